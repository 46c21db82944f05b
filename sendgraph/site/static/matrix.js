(function () {
  "use strict";
  // Sort the theme-by-area table by a column: its header's button; again to reverse.
  var table = document.getElementById("matrix");
  if (!table) { return; }
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function value(row, column, type) {
    var v = row.cells[column].getAttribute("data-value") || "";
    return type === "number" ? parseFloat(v) || 0 : v.toLowerCase();
  }
  Array.prototype.forEach.call(table.querySelectorAll("thead button"), function (button) {
    button.addEventListener("click", function () {
      var column = parseInt(button.getAttribute("data-sort"), 10);
      var type = button.getAttribute("data-type");
      var th = headers[column];
      var descending = type === "number" ? th.getAttribute("aria-sort") !== "descending"
                                         : th.getAttribute("aria-sort") === "ascending";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a, column, type), y = value(b, column, type);
        var order = x < y ? -1 : x > y ? 1 : 0;
        if (order === 0) { order = value(a, 0, "text") < value(b, 0, "text") ? -1 : 1; return order; }
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    });
  });
})();
