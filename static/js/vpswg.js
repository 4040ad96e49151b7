/* vpswg: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Close an open menu (a <details class="menu">) on Escape or a click elsewhere.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });

  // On a phone the header's tools and the group's sections fold behind one "Menu" button.
  // Without this file the button stays hidden and everything is shown, stacked.
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    var header = toggle.closest(".site-header");
    toggle.hidden = false;
    header.classList.add("has-toggle");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("is-open", open);
    });
  }

  // A table that scrolls inside its wrapper and holds nothing focusable: the wrapper takes
  // the focus, so the arrow keys scroll it (WCAG 2.1.1).
  function focusableScrollers() {
    document.querySelectorAll(".table-scroll, .table-fit, .table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var hasFocusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (scrolls && !hasFocusable) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);

  // A form sent back with errors: the focus goes to their summary, which links to each field.
  function focusErrors(root) {
    var summary = root.querySelector(".form-errors[data-autofocus]");
    if (summary) { summary.focus(); }
  }
  focusErrors(document);
  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });

  // Buttons and forms marked data-confirm ask before they act.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // The minutes editor's autosave says it is saving; the answer replaces this with "Saved",
  // the reason it was refused, or the conflict.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest ? event.target.closest("form.autosave") : null;
    var status = form ? form.querySelector(".save-status[data-saving]") : null;
    if (status) {
      status.textContent = status.getAttribute("data-saving");
      status.classList.remove("is-error");
    }
  });

  // An expired session answers htmx with HX-Redirect (handled by htmx itself); any other
  // failed htmx request shows a message instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "htmx-error";
      box.className = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = document.documentElement.getAttribute("data-error-text") ||
      "Something went wrong. Reload the page and try again.";
    box.hidden = false;
  });
})();
