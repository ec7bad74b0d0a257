// The review packet's Print button: shown only where JavaScript runs (the
// browser's own Print works everywhere; the page has print styles).
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
