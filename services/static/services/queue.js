// The work queue's page script.
(function () {
  "use strict";
  // A lost claim race answers 409 with the row saying who has it: show it instead of nothing.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status === 409 || e.detail.xhr.status === 403 || e.detail.xhr.status === 400) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });
  // "/" jumps to the search field, as in most work queues.
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !/input|textarea|select/i.test(document.activeElement.tagName)) {
      e.preventDefault(); document.getElementById("queue-search").focus();
    }
  });
})();
