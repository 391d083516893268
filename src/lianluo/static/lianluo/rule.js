// The reception-rule form shows only the fields of the chosen kind of rule
// (month days, weekdays or market days). A file, not an inline script: the CSP allows
// scripts from our own origin only.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var kinds = ["month_days", "weekdays", "market_days"];
  function show() {
    kinds.forEach(function (k) {
      var box = document.querySelector('[data-field="' + k + '"]');
      if (box) box.hidden = kind.value !== k;
    });
  }
  if (kind) {
    kind.addEventListener("change", show);
    show();
  }
})();
