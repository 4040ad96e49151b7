"""What the accessibility tests share: the two layouts, axe-core run in the page, the sideways
scroll measure, and the focus indicator read from the focused control.

axe-core is vendored (static/vendor/axe-core/README.md) and added to the page from the live
server's own /static/: same origin, so the Content-Security-Policy (``script-src 'self'``)
allows it as it allows the app's scripts, and nothing is fetched from a CDN.
"""

from __future__ import annotations

AXE_URL = "/static/vendor/axe-core/axe.min.js"
AXE_VERSION = "4.14.1"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules the test fails on, at any impact.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

#: The two layouts: a laptop, and a phone (a 390 px wide CSS viewport, touch, the page's
#: meta viewport applied).
LAYOUTS = {
    1280: {"viewport": {"width": 1280, "height": 800}},
    390: {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}

# Every <details> (menus, folded sections) is opened first: axe skips hidden content, and what
# a menu holds is on the page as much as what it shows closed. The run is left running in the
# page (``window.__axeRun``, a promise) so that the test can load the next page meanwhile. A
# contrast failure names its colours and ratio beside the element's selector.
_AXE_START = """(tags) => {
  // Every disclosure is opened, for its contents to be checked. At 1280 px the header's menus
  // drop down over the page, and several open at once would cover the page's own buttons (a
  // target-size failure no one meets: a menu closes when another opens): they stay closed
  // there, and are checked open at 390 px, where they unfold in place.
  const covering = window.innerWidth > 640 ? ':not(.menu)' : '';
  document.querySelectorAll(`details${covering}:not([open])`).forEach((d) => { d.open = true; });
  window.__axeRun = axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  }).then((result) => result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : t).join(' ')
      + contrast(n)),
  })));
  function contrast(node) {
    const d = node.any && node.any[0] && node.any[0].data;
    return d && d.contrastRatio
      ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}:1, needs ${d.expectedContrastRatio})`
      : '';
  }
}"""


def start_axe(page) -> None:
    """Add axe-core to the page and start its WCAG A and AA rules; ``axe_result`` waits."""
    page.add_script_tag(url=AXE_URL)
    version = page.evaluate("() => window.axe && window.axe.version")
    assert version == AXE_VERSION, f"axe-core {AXE_VERSION} did not load ({version!r})"
    page.evaluate(_AXE_START, WCAG_TAGS)


def axe_result(page) -> list[dict]:
    """The violations found by ``start_axe`` on this page: [{id, impact, help, nodes}]."""
    return page.evaluate("() => window.__axeRun")


# The layout viewport's width (clientWidth) is the phone's 390 px; window.innerWidth is the
# visual viewport's, which a mobile browser widens to show a page wider than the screen, so
# the page is measured against the smaller of the two.
_SCROLL_WIDTH = """() => {
  const root = document.documentElement;
  return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, clientWidth: root.clientWidth};
}"""


def sideways_scroll(page) -> dict | None:
    """``{scrollWidth, innerWidth, clientWidth}`` when the page is wider than the window."""
    sizes = page.evaluate(_SCROLL_WIDTH)
    if sizes["scrollWidth"] > min(sizes["innerWidth"], sizes["clientWidth"]):
        return sizes
    return None


# The focused control and its focus indicator. Colours are read through a canvas, which turns
# any CSS colour (rgb, oklch, color-mix, named) into sRGB pixels. The background behind an
# indicator is the nearest non-transparent background of the element (an indicator drawn
# inside it) or of its parent (drawn outside), semi-transparent layers composited over white.
FOCUSED = """(selectors) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  function rgba(color) {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = 'rgba(0, 0, 0, 0)';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return {r: d[0], g: d[1], b: d[2], a: d[3] / 255};
  }
  function over(top, bottom) {
    const a = top.a;
    return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
            b: top.b * a + bottom.b * (1 - a), a: 1};
  }
  function background(start) {
    const layers = [];
    for (let n = start; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  }
  function luminance(c) {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function ratio(a, b) {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }
  function hex(c) {
    return '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  }
  function splitTop(value) {
    const parts = []; let depth = 0, from = 0;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '(') depth++;
      else if (value[i] === ')') depth--;
      else if (value[i] === ',' && depth === 0) { parts.push(value.slice(from, i)); from = i + 1; }
    }
    parts.push(value.slice(from));
    return parts.map((p) => p.trim()).filter(Boolean);
  }
  const cs = getComputedStyle(el);
  const candidates = [];
  const outlineWidth = parseFloat(cs.outlineWidth) || 0;
  if (cs.outlineStyle !== 'none' && outlineWidth > 0) {
    const inside = (parseFloat(cs.outlineOffset) || 0) + outlineWidth <= 0;
    candidates.push({kind: 'outline ' + cs.outlineStyle, width: outlineWidth,
                     color: cs.outlineColor, inside});
  }
  if (cs.boxShadow && cs.boxShadow !== 'none') {
    for (const shadow of splitTop(cs.boxShadow)) {
      const lengths = shadow.match(/-?[\\d.]+px/g) || [];
      const color = shadow.replace(/-?[\\d.]+px/g, '').replace('inset', '').trim() || cs.color;
      const spread = lengths.length >= 4 ? parseFloat(lengths[3]) : 0;
      if (spread > 0) {
        candidates.push({kind: 'box-shadow', width: spread, color, inside: shadow.includes('inset')});
      }
    }
  }
  const indicators = candidates.map((c) => {
    const bg = background(c.inside ? el : el.parentElement);
    const colour = over(rgba(c.color), bg);
    return {kind: c.kind, width: c.width, colour: hex(colour), background: hex(bg),
            ratio: Math.round(ratio(colour, bg) * 100) / 100};
  });
  const rect = el.getBoundingClientRect();
  const visible = rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
    && rect.left < window.innerWidth && cs.visibility !== 'hidden';
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  else if (el.getAttribute('name')) name += '[name=' + el.getAttribute('name') + ']';
  if (el.type && el.tagName !== 'BUTTON' && el.tagName !== 'SELECT' && el.tagName !== 'TEXTAREA') name += '[type=' + el.type + ']';
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  if (label && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) name += ' "' + label + '"';
  let node = el;
  const path = [];
  while (node && node !== document.body) {
    const parent = node.parentElement;
    path.unshift(node.tagName + (parent ? ':' + Array.prototype.indexOf.call(parent.children, node) : ''));
    node = parent;
  }
  const expandable = (el.tagName === 'SUMMARY' && el.parentElement && !el.parentElement.open)
    || el.getAttribute('aria-expanded') === 'false';
  return {key: path.join('/'), name, id: el.id, indicators, visible, expandable,
          matched: (selectors || []).map((s) => el.matches(s))};
}"""


def focus_failure(focused: dict) -> str | None:
    """Why the focused control's indicator fails (None if it does not): no outline or
    box-shadow, thinner than 2 px, or under 3:1 against the background behind it."""
    if not focused["visible"]:
        return "not visible when focused"
    indicators = focused["indicators"]
    if not indicators:
        return "no focus indicator (no outline, no box-shadow)"
    best = max(indicators, key=lambda i: (i["width"] >= 2, i["ratio"] >= 3, i["ratio"]))
    described = (
        f"{best['kind']} {best['width']:g}px {best['colour']} on {best['background']}"
        f" = {best['ratio']:.2f}:1"
    )
    if best["width"] < 2 and best["ratio"] < 3:
        return f"thinner than 2px and under 3:1: {described}"
    if best["width"] < 2:
        return f"thinner than 2px: {described}"
    if best["ratio"] < 3:
        return f"under 3:1: {described}"
    return None
