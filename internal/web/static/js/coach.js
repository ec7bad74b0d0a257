// The coach's hints in the forms (coach.go): the hints themselves come from
// the server (htmx swaps them as people write). This only shows the
// objective form's alignment note while no parent is chosen (or while it
// holds text); without JavaScript the note is always shown.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.querySelectorAll("[data-alignment-note]").forEach(function (note) {
      var form = note.closest("form");
      var text = note.querySelector("textarea");
      if (!form || !text) return;
      function update() {
        var chosen = form.querySelector('input[name="align"]:checked');
        note.hidden = !!chosen && !text.value.trim();
      }
      form.addEventListener("change", update);
      document.addEventListener("htmx:afterSwap", update);
      update();
    });
  });
})();
