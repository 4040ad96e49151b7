/* Lists of institutions (templates/activities/includes/institution_picker.html): a filter box
   that hides the names not matching what is typed (case and accents aside), and a count of those
   chosen. Without this file the lists are plain checkboxes and work the same. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(picker) {
    var filter = picker.querySelector("[data-picker-filter]");
    var count = picker.querySelector("[data-picker-count]");
    var none = picker.querySelector("[data-picker-none]");
    var options = Array.prototype.slice.call(picker.querySelectorAll(".picker-option"));
    var groups = Array.prototype.slice.call(picker.querySelectorAll(".picker-group"));

    function recount() {
      var chosen = picker.querySelectorAll("input[type=checkbox]:checked").length;
      // One form for one, the other for more (English, Spanish and French have two).
      var template = count.getAttribute(chosen === 1 ? "data-template-one" : "data-template");
      count.textContent = chosen ? template.replace("%(count)s", chosen) : "";
    }

    function apply() {
      var wanted = fold(filter.value.trim());
      var shown = 0;
      options.forEach(function (option) {
        var match = !wanted || fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".picker-option:not([hidden])");
      });
      none.hidden = shown !== 0;
    }

    filter.hidden = false;
    filter.addEventListener("input", apply);
    // Enter in the filter box must not send the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    picker.addEventListener("change", recount);
    recount();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  });
})();
