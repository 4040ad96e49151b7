/* vpswg: refuse an over-size file before it is sent, rather than after a long upload.
 *
 * A file input that carries data-max-bytes (vpswg.uploads.DocumentField renders it) is checked
 * when a file is chosen. The message is the server's own, translated and rendered into
 * data-max-message with the limit filled in and "%(size)s" left for the chosen file's size.
 * The server checks again: this only spares the person a wasted upload. No inline script, so
 * the Content-Security-Policy holds.
 */
(function () {
  "use strict";

  // The size as Django's filesizeformat writes it (1024-based, one decimal), in the page's
  // language.
  function formatSize(bytes) {
    var units = ["KB", "MB", "GB", "TB"];
    var value = bytes / 1024;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    var number;
    try {
      number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
        useGrouping: false
      }).format(value);
    } catch (error) {
      number = value.toFixed(1);
    }
    return number + "\u00a0" + units[unit];
  }

  function messageFor(input) {
    return document.getElementById(input.id + "_size_error");
  }

  function clear(input) {
    var box = messageFor(input);
    if (box) { box.remove(); }
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== input.id + "_size_error";
    });
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
    input.removeAttribute("aria-invalid");
  }

  function refuse(input, file) {
    var template = input.getAttribute("data-max-message") || "";
    var box = document.createElement("p");
    box.className = "error";
    box.id = input.id + "_size_error";
    box.setAttribute("role", "alert");
    box.textContent = template.replace("%(size)s", formatSize(file.size));
    input.value = "";
    input.insertAdjacentElement("afterend", box);
    input.setAttribute("aria-invalid", "true");
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + box.id);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    if (!limit) { return; }
    clear(input);
    var files = input.files || [];
    for (var i = 0; i < files.length; i += 1) {
      if (files[i].size > limit) {
        refuse(input, files[i]);
        return;
      }
    }
  });
})();
