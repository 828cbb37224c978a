// Sort any table by clicking its header: a few lines instead of a library from a CDN.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("article table").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, column) {
      header.style.cursor = "pointer";
      header.title = "Sort by this column";
      header.addEventListener("click", function () {
        var body = table.tBodies[0];
        var ascending = header.dataset.sort !== "asc";
        header.dataset.sort = ascending ? "asc" : "desc";
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { return (row.cells[column] || {}).textContent || ""; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
});
