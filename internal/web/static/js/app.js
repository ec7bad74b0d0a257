// okra's own script: small progressive enhancements. Every page works
// without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The CSRF token rides on every htmx request.
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) e.detail.headers["X-CSRF-Token"] = meta.content;
  });

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The phone menu.
    var toggle = document.querySelector(".menu-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var side = document.querySelector(".sidebar");
        var open = side.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Pickers that apply at once (the period picker): their button is for
    // people without JavaScript.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
      var btn = sel.form.querySelector("[data-autosubmit-button]");
      if (btn) btn.classList.add("visually-hidden");
    });
    drawCharts(document);
  });

  document.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });

  // Charts read their data from a JSON block beside the canvas (the same
  // numbers are in a table for screen readers and people without scripts).
  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var src = document.getElementById(canvas.dataset.chart);
      if (!src) return;
      var spec = JSON.parse(src.textContent);
      canvas.dataset.drawn = "1";
      var style = getComputedStyle(document.documentElement);
      var color = function (name) { return style.getPropertyValue(name).trim(); };
      var datasets = spec.datasets.map(function (d) {
        return {
          label: d.label, data: d.data, borderColor: color(d.color || "--bar"),
          backgroundColor: color(d.color || "--bar"), borderDash: d.dashed ? [6, 4] : [],
          pointRadius: d.points === false ? 0 : 3, stepped: d.stepped || false, tension: 0, fill: false,
          type: d.type || spec.type || "line", borderWidth: 2
        };
      });
      new Chart(canvas, {
        type: spec.type || "line",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { labels: { color: color("--text-2"), boxWidth: 12 } } },
          scales: spec.type === "doughnut" ? {} : {
            x: { ticks: { color: color("--text-2"), maxRotation: 0, autoSkip: true }, grid: { display: false }, stacked: !!spec.stacked },
            y: { ticks: { color: color("--text-2") }, grid: { color: color("--border") }, beginAtZero: spec.beginAtZero !== false, stacked: !!spec.stacked }
          }
        }
      });
    });
  }
})();
