// Small behaviours every page may use, declared in the markup (the Content-Security-Policy allows
// no inline scripts or event handlers):
//   <select data-autosubmit>  submits its form when changed;
//   <button data-print>       prints the page.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
