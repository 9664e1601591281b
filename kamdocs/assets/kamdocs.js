/* kamdocs: sort and filter the plan tables in the browser.
   The tables are complete without this script; it only adds a filter box
   and click-to-sort headers. No dependencies, nothing loaded from outside. */
(function () {
  "use strict";
  function cellKey(cell) {
    var marked = cell.querySelector("[data-sort]");
    var text = marked ? marked.getAttribute("data-sort") : cell.textContent.trim();
    var asNumber = Number(text);
    return text !== "" && !isNaN(asNumber) && !/\|/.test(text) ? asNumber : text.toLowerCase();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }
  function enhance(table) {
    if (table.getAttribute("data-kd-ready")) { return; }
    table.setAttribute("data-kd-ready", "1");
    var body = table.tBodies[0];
    var input = document.createElement("input");
    input.type = "search";
    input.className = "kd-filter";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter the table");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    var holder = table.parentNode.classList.contains("kd-scroll") ? table.parentNode : table;
    holder.parentNode.insertBefore(input, holder);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      header.tabIndex = 0;
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var order = compare(cellKey(x.cells[index]), cellKey(y.cells[index]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
    });
  }
  function run() { document.querySelectorAll("table[data-kd-sortable]").forEach(enhance); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); } else { run(); }
  document.addEventListener("DOMContentLoaded", run);
})();
