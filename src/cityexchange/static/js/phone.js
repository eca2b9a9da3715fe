// Small screens: the header's links fold behind a menu button, and every table cell carries its column's
// heading so a table can be laid out as stacked cards (site.css). Without this script the header simply shows
// every link and tables stay tables: nothing is lost.
(function () {
  "use strict";

  function foldMenu() {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector("button.menu-button");
    if (!button) return;
    header.classList.add("foldable");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
  }

  function labelCells() {
    document.querySelectorAll("main table").forEach(function (table) {
      var headings = [];
      table.querySelectorAll("thead tr:last-child th").forEach(function (th) {
        var span = parseInt(th.getAttribute("colspan") || "1", 10);
        for (var i = 0; i < span; i++) headings.push(th.textContent.trim());
      });
      if (!headings.length) return;
      table.classList.add("stackable");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && headings[column]) cell.setAttribute("data-label", headings[column]);
          column += parseInt(cell.getAttribute("colspan") || "1", 10);
        });
      });
    });
  }

  function ready() { foldMenu(); labelCells(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("htmx:afterSwap", labelCells);
})();
