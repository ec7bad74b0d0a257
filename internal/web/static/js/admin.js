// The admin pages' enhancements; every page works without them.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Slugify mirrors app.Slugify: lower-case letters and digits, dashes between.
  function slugify(s) {
    return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  ready(function () {
    // Copy buttons next to a secret shown once.
    document.querySelectorAll("[data-copy]").forEach(function (btn) {
      var field = document.getElementById(btn.dataset.copy);
      if (!field) return;
      var status = btn.parentNode.querySelector(".admin-copy-status");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var done = function () {
          btn.textContent = "Copied";
          if (status) status.textContent = "Copied to the clipboard.";
          setTimeout(function () { btn.textContent = "Copy"; }, 2500);
        };
        var fallback = function () {
          field.focus();
          field.select();
          try {
            if (document.execCommand("copy")) { done(); return; }
          } catch (e) { /* not allowed: the text stays selected */ }
          if (status) status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
    document.querySelectorAll("[data-select-on-focus]").forEach(function (f) {
      f.addEventListener("focus", function () { f.select(); });
    });
    // The card with a secret takes the focus, so it is read first.
    var secret = document.querySelector(".admin-secret");
    if (secret) secret.focus();

    // Forms that ask before they do something hard to undo.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      });
    });

    // A team's slug: the one its name gives, shown while the field is empty.
    document.querySelectorAll("[data-slug-source]").forEach(function (name) {
      var slug = document.getElementById(name.dataset.slugSource);
      if (!slug) return;
      var show = function () { slug.placeholder = slugify(name.value); };
      name.addEventListener("input", show);
      show();
    });
  });
})();
