"""Server-drawn charts: geometry for small, accessible SVGs (no JavaScript, no inline style).

Every chart is shown beside a table holding the same figures, and has a title. The SVG is
written here in one pass (``stacked_svg``, ``horizontal_svg``) rather than by template loops:
a chart of twelve years by eleven kinds is a few hundred elements, which cost a template
several milliseconds per page. Coordinates are written unlocalised (SVG wants "12.5", not
"12,5"); the figures a reader reads (a bar's value, its tooltip) as the reader writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from vpswg.figures import figure

#: How many series colours the stylesheet defines (``.series-0`` to ``.series-10`` in
#: ``static/css/vpswg.css``): Paul Tol's "muted" scheme, nine colours told apart with any
#: colour vision, his pale grey, and a dark grey. Eleven: one per kind of activity, so that a
#: kind keeps its colour from one period to the next and no two series of a chart share one.
PALETTE_SIZE = 11


def series_class(index: int) -> str:
    """The colour class of the ``index``-th series. A chart of more series than colours would
    repeat one: the tests keep every chart the reports draw within the palette."""
    return f"series-{index % PALETTE_SIZE}"


@dataclass
class Bar:
    label: str
    value: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    css: str = ""


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Bar] = field(default_factory=list)  # axis labels (value unused)
    series: list[tuple[str, str]] = field(default_factory=list)  # (css class, legend label)


def horizontal(
    rows: list[tuple[str, int]],
    *,
    width: int = 420,
    bar: int = 18,
    gap: int = 8,
    label_width: int = 150,
) -> Chart:
    """One bar per row, longest = full width."""
    top = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 50
    chart = Chart(width=width, height=max(len(rows) * (bar + gap) - gap, 0))
    for index, (label, value) in enumerate(rows):
        y = index * (bar + gap)
        chart.bars.append(
            Bar(
                label,
                value,
                x=label_width,
                y=y,
                width=round(value / top * span, 1),
                height=bar,
                css=series_class(index),
            )
        )
        chart.labels.append(Bar(label, value, x=label_width - 6, y=y + bar - 5))
    return chart


def stacked_columns(
    columns: list[str],
    series: list[tuple[str, str, list[int]]],
    *,
    width: int = 560,
    height: int = 200,
) -> Chart:
    """Columns (e.g. years) stacked by series (css class, label, one value per column)."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(columns))]
    top = max(totals, default=0) or 1
    plot = height - 22
    slot = width / max(len(columns), 1)
    column_width = max(min(slot * 0.7, 48), 4)
    chart = Chart(width=width, height=height, series=[(css, label) for css, label, _ in series])
    for i, column in enumerate(columns):
        x = round(i * slot + (slot - column_width) / 2, 1)
        base = plot
        for css, label, values in series:
            h = round(values[i] / top * (plot - 4), 1)
            if h:
                base -= h
                chart.bars.append(
                    Bar(
                        f"{column}: {label}",
                        values[i],
                        x=x,
                        y=round(base, 1),
                        width=round(column_width, 1),
                        height=h,
                        css=css,
                    )
                )
        chart.labels.append(Bar(column, totals[i], x=round(i * slot + slot / 2, 1), y=height - 4))
    return chart


def _n(value: float) -> str:
    """A coordinate as SVG wants it, whatever the language."""
    return f"{value:g}"


def _e(text: object) -> str:
    """Escaped text: the stdlib's escape, which does for these few hundred labels what
    ``format_html`` does at a fraction of the cost (classes and numbers are our own)."""
    return escape(str(text))


def _legend(chart: Chart) -> SafeString:
    if not chart.series:
        return SafeString("")
    return format_html(
        '<ul class="legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="swatch {}" aria-hidden="true"></span>{}</li>',
            chart.series,
        ),
    )


def stacked_svg(chart: Chart, title: str) -> SafeString:
    """The markup of ``stacked_columns``: columns, their labels, and the legend."""
    bars = "".join(
        f'<rect class="{b.css}" x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" '
        f'height="{_n(b.height)}"><title>{_e(b.label)}: {figure(b.value)}</title></rect>'
        for b in chart.bars
    )
    labels = "".join(
        f'<text class="axis-label" x="{_n(label.x)}" y="{_n(label.y)}" '
        f'text-anchor="middle">{_e(label.label)}</text>'
        for label in chart.labels
    )
    return SafeString(
        f'<svg class="bar-chart" viewBox="0 0 {chart.width} {chart.height}" width="100%" '
        f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>{bars}{labels}</svg>'
        + _legend(chart)
    )


def horizontal_svg(chart: Chart, title: str) -> SafeString:
    """The markup of ``horizontal``: a labelled bar per row with its value at the end."""
    labels = format_html_join(
        "",
        '<text class="axis-label" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                _n(label.x),
                _n(label.y),
                label.label if len(label.label) <= 24 else label.label[:23] + "…",
            )
            for label in chart.labels
        ),
    )
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text class="bar-label" x="{}" y="{}">{}</text>',
        (
            (
                b.css,
                _n(b.x),
                _n(b.y),
                _n(b.width),
                _n(b.height),
                b.label,
                figure(b.value),
                _n(b.x + b.width + 4),
                _n(b.y + b.height - 5),
                figure(b.value),
            )
            for b in chart.bars
        ),
    )
    return format_html(
        '<svg class="bar-chart" viewBox="0 -2 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}{}</svg>",
        chart.width,
        chart.height + 4,
        title,
        title,
        labels,
        bars,
    )
