// The weights editor's live total (es-CO: decimal comma, points group thousands). The server
// checks the same rule (cascada.engine.weights) and is the one that decides; this only helps.
(function () {
  "use strict";

  function parse(text) {
    var t = text.trim().replace(/\s/g, "");
    if (t === "") return 0;
    if (t.indexOf(",") >= 0) t = t.replace(/\./g, "").replace(",", ".");
    else if ((t.match(/\./g) || []).length > 1) t = t.replace(/\./g, "");
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(t)) return NaN;
    return Number(t);
  }

  function format(n) {
    return n.toFixed(2).replace(".", ",").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function update(table) {
    var output = table.querySelector("[data-total]");
    var total = 0;
    var inputs = table.querySelectorAll("input[data-weight]");
    for (var i = 0; i < inputs.length; i++) total += parse(inputs[i].value);
    if (isNaN(total)) {
      output.textContent = "—";
      output.className = "total total--bad";
      return;
    }
    var ok = Math.abs(total - 100) <= 0.01;
    output.textContent = format(total) + " % (" + output.getAttribute(ok ? "data-ok" : "data-bad") + ")";
    output.className = ok ? "total total--ok" : "total total--bad";
  }

  function init() {
    var tables = document.querySelectorAll("[data-weights]");
    for (var i = 0; i < tables.length; i++) {
      (function (table) {
        table.addEventListener("input", function () { update(table); });
        update(table);
      })(tables[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
