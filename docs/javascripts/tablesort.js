// Sort any table by its headers: a few lines instead of a library from a CDN.
// Each header holds a button (reached with Tab, pressed with Enter or Space, as any button),
// and the sorted column's header alone carries aria-sort (as the WAI-ARIA sortable table
// example does). A totals row (its first cell all bold, such
// as "**All**") stays last whichever way the table is sorted.
// Cells compare by kind: ISO dates ("2025-12-04", "2025-12-03 to 2025-12-06") by date, numbers
// ("34 h", "78/100", "38 %") by value, other text alphabetically; an empty cell (or "—") means
// nothing to sort by and stays last in either direction, like the totals row.
// Material's instant navigation swaps the page without a new DOMContentLoaded: its document$
// announces every page shown (the first too), so the tables are made sortable there when it
// exists, else once the document is loaded. A table already made sortable is left alone.
(function (makeSortable) {
  if (typeof document$ !== "undefined" && document$ && typeof document$.subscribe === "function") {
    document$.subscribe(makeSortable);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", makeSortable);
  } else {
    makeSortable();
  }
})(function () {
  var DATE = 0, NUMBER = 1, TEXT = 2, EMPTY = 3;
  var ISO_DATE = /^\d{4}-\d{2}-\d{2}(?!\d)/;
  var sortKey = function (text) {
    if (text === "" || text === "—" || text === "-") return {kind: EMPTY, value: ""};
    var date = ISO_DATE.exec(text);
    if (date) return {kind: DATE, value: date[0]};  // ISO dates sort as text, in date order
    var number = parseFloat(text);
    if (!isNaN(number)) return {kind: NUMBER, value: number};
    return {kind: TEXT, value: text};
  };
  var isTotal = function (row) {
    var first = row.cells[0];
    var bold = first && first.querySelector("strong, b");
    return !!bold && bold.textContent.trim() !== "" && bold.textContent.trim() === first.textContent.trim();
  };
  document.querySelectorAll("article table").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    if (!table.tBodies[0] || table.tBodies[0].rows.length < 2) return;
    if (table.querySelector("thead button.readiness-sort")) return;  // done on an earlier call
    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "readiness-sort";
      button.title = "Sort by this column";
      button.style.cssText = "font:inherit;color:inherit;background:none;border:0;padding:0;" +
        "margin:0;cursor:pointer;text-align:inherit;width:100%";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var body = table.tBodies[0];
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var totals = rows.filter(isTotal);
        rows = rows.filter(function (row) { return !isTotal(row); });
        var key = function (row) { return ((row.cells[column] || {}).textContent || "").trim(); };
        rows.sort(function (a, b) {
          var x = sortKey(key(a)), y = sortKey(key(b));
          if (x.kind === EMPTY || y.kind === EMPTY) return (x.kind === EMPTY) - (y.kind === EMPTY);
          var order = x.kind !== y.kind ? x.kind - y.kind
            : x.kind === TEXT ? x.value.localeCompare(y.value)
            : x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.concat(totals).forEach(function (row) { body.appendChild(row); });
      });
    });
  });
});
