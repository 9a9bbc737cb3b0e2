// Small behaviours every page may use, declared in the markup (the Content-Security-Policy allows
// no inline scripts or event handlers):
//   <select data-autosubmit>  submits its form when changed;
//   <button data-print>       prints the page;
//   <input data-filter-list="id">  narrows the checkboxes inside #id to those whose `data-search`
//                             (or label) holds the typed text; ticked ones stay in sight;
//   <button data-menu-toggle aria-controls="…">  opens and closes the menu on a phone;
//   <details data-navgroup>   a section of a long menu: opening one closes the others, a click
//                             elsewhere or Escape closes it;
//   <table class="grid">      becomes a list of cards below 640 px (portal.css): each cell gets its
//                             column's header as `data-label`, the cell of a column without a header
//                             that holds buttons or links becomes the card's footer (`cell-actions`).
//                             A table of label/value rows (row headers, no <thead>) is marked `kv`
//                             and stacks each label above its value. `data-no-cards` opts out.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });
  document.addEventListener("input", function (event) {
    var box = event.target.closest("[data-filter-list]");
    var list = box && document.getElementById(box.getAttribute("data-filter-list"));
    if (!list) { return; }
    var query = box.value.trim().toLowerCase();
    Array.prototype.forEach.call(list.querySelectorAll("input[type=checkbox]"), function (input) {
      var label = input.closest("label") || input;
      var text = (input.getAttribute("data-search") || label.textContent).toLowerCase();
      var item = label.parentElement === list ? label : label.parentElement;
      item.hidden = Boolean(query) && text.indexOf(query) === -1 && !input.checked;
    });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      if (menu) { menu.classList.toggle("open", open); }
    }
  });

  function closeSections(except) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-navgroup][open]"), function (section) {
      if (section !== except) { section.open = false; }
    });
  }
  document.addEventListener("toggle", function (event) {
    var section = event.target;
    if (section.matches && section.matches("details[data-navgroup]") && section.open) { closeSections(section); }
  }, true);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details[data-navgroup]")) { closeSections(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeSections(null); }
  });

  function headerLabels(table) {
    // One label per column, colspans expanded, from the last header row.
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) { return null; }
    var labels = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      var text = (cell.getAttribute("data-label") || cell.textContent).replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(text); }
    });
    return labels;
  }

  function labelTable(table) {
    if (table.hasAttribute("data-no-cards") || table.classList.contains("cards") || table.classList.contains("kv")) { return; }
    var labels = headerLabels(table);
    if (!labels) {
      if (table.querySelector("th")) { table.classList.add("kv"); }
      return;
    }
    table.classList.add("cards");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column] || "";
          column += cell.colSpan || 1;
          if (cell.colSpan >= labels.length) { cell.classList.add("cell-full"); return; }
          if (label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          if (!label && cell.querySelector("a, button, form")) { cell.classList.add("cell-actions"); }
        });
      });
    });
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("table.grid")) { labelTable(scope); }
    Array.prototype.forEach.call(scope.querySelectorAll("table.grid"), labelTable);
    // Rows swapped into a table already labelled (htmx) are labelled too.
    var table = scope.closest && scope.closest("table.grid.cards");
    if (table) { table.classList.remove("cards"); labelTable(table); }
  }

  document.documentElement.classList.add("js");
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  } else {
    labelTables(document);
  }
  document.addEventListener("htmx:load", function (event) { labelTables(event.target); });
})();
