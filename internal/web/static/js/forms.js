// The forms' progressive enhancement (objective, key result and initiative
// forms). Without it every field shows, with hints saying when it applies,
// and a few empty rows stand ready; with it:
//   [data-when="name=a b"]  shows only while the control `name` has value a or b
//                           (its inputs are disabled while hidden, so they are not sent);
//   [data-rows]             keeps one empty row, with Add and Remove buttons;
//   [data-filter]           filters the items of a picker list as one types;
//   .js-hide                is for people without JavaScript only.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function valueOf(form, name) {
    var el = form.elements.namedItem(name);
    if (!el) return "";
    return el.value || "";
  }

  // A control's show/hide rule holds when its own and every enclosing rule hold.
  function applyWhen(form) {
    form.querySelectorAll("[data-when]").forEach(function (el) {
      var rule = el.getAttribute("data-when").split("=");
      var shown = rule[1].split(" ").indexOf(valueOf(form, rule[0])) >= 0;
      el.hidden = !shown;
    });
    form.querySelectorAll("[data-when] input, [data-when] select, [data-when] textarea").forEach(function (input) {
      input.disabled = !!input.closest("[data-when][hidden]");
    });
  }

  function renumber(list) {
    list.querySelectorAll("[data-row]").forEach(function (row, i) {
      row.querySelectorAll(".row-n").forEach(function (n) { n.textContent = String(i + 1); });
      row.querySelectorAll("[id]").forEach(function (el) {
        var id = el.id.replace(/-\d+(-error)?$/, "-" + i + "$1");
        if (id === el.id) return;
        row.querySelectorAll('label[for="' + el.id + '"]').forEach(function (l) { l.htmlFor = id; });
        el.id = id;
      });
      row.querySelectorAll("[aria-describedby]").forEach(function (el) {
        el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/-\d+-error/g, "-" + i + "-error"));
      });
    });
  }

  function isEmptyRow(row) {
    var text = row.querySelector('input[type="text"]');
    var id = row.querySelector('input[type="hidden"]');
    return text && !text.value.trim() && !(id && id.value);
  }

  function setupRows(list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("[data-row]"));
    if (!rows.length) return;
    var blank = rows[rows.length - 1].cloneNode(true);
    blank.querySelectorAll("input").forEach(function (i) {
      if (i.type === "number") i.value = i.defaultValue = "1"; else i.value = i.defaultValue = "";
      i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby");
    });
    blank.querySelectorAll(".error").forEach(function (e) { e.remove(); });
    blank.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
    blank.querySelectorAll("input, select").forEach(function (el) { el.disabled = false; });
    // Keep the filled rows and one empty one (the server sends a few).
    var keptEmpty = false;
    rows.forEach(function (row) {
      if (!isEmptyRow(row)) return;
      if (keptEmpty) row.remove();
      keptEmpty = true;
    });
    function wire(row) {
      var rm = row.querySelector("[data-row-remove]");
      if (!rm) return;
      rm.hidden = false;
      rm.addEventListener("click", function () {
        var next = row.nextElementSibling || row.previousElementSibling;
        if (list.querySelectorAll("[data-row]").length > 1) row.remove();
        else row.querySelectorAll('input:not([type="hidden"]), select').forEach(function (i) { i.value = i.type === "number" ? "1" : ""; });
        renumber(list);
        var focus = (next && next.querySelector('input[type="text"]')) || add;
        if (focus) focus.focus();
      });
    }
    list.querySelectorAll("[data-row]").forEach(wire);
    var add = list.parentElement.querySelector("[data-row-add]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var row = blank.cloneNode(true);
        list.appendChild(row);
        wire(row);
        renumber(list);
        var input = row.querySelector('input[type="text"]');
        if (input) input.focus();
      });
    }
    renumber(list);
  }

  function setupFilter(input) {
    var list = document.querySelector(input.getAttribute("data-filter"));
    if (!list) return;
    var box = input.closest("[data-filter-box]");
    if (box) box.hidden = false;
    var none = list.parentElement.querySelector("[data-filter-none]");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("[data-filter-item]").forEach(function (item) {
        var hit = !q || item.textContent.toLowerCase().indexOf(q) >= 0 || !!item.querySelector("input:checked");
        item.hidden = !hit;
        if (hit) shown++;
      });
      if (none) none.hidden = shown > 0;
    });
  }

  function enhance(root) {
    root.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    root.querySelectorAll("[data-filter]").forEach(setupFilter);
  }

  ready(function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-when]")) return;
      applyWhen(form);
      form.addEventListener("change", function () { applyWhen(form); });
    });
    document.querySelectorAll("[data-rows]").forEach(setupRows);
    enhance(document);
  });

  // The alignment picker comes back from htmx when the period changes.
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target.parentElement || document); });
})();
