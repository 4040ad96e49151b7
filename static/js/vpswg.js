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
