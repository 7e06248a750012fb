// Spreadsheet keys for the score grid: arrows move between cells, Enter moves down.
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("[data-grid-cell]")) return;
  var cell = input.closest("td");
  var row = cell.parentElement;
  var column = Array.prototype.indexOf.call(row.children, cell);
  var target = null;
  if (event.key === "ArrowRight" && input.selectionStart === input.value.length) target = cell.nextElementSibling;
  else if (event.key === "ArrowLeft" && input.selectionStart === 0) target = cell.previousElementSibling;
  else if (event.key === "ArrowDown" || event.key === "Enter") target = row.nextElementSibling && row.nextElementSibling.children[column];
  else if (event.key === "ArrowUp") target = row.previousElementSibling && row.previousElementSibling.children[column];
  var next = target && target.querySelector("[data-grid-cell]");
  if (next) {
    event.preventDefault();
    next.focus();
    next.select();
  }
});
