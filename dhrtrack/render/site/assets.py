"""The site's one stylesheet (screen and print) and its small script: sorting and filtering the
tables, as progressive enhancement (every page is complete without it)."""

CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 1.1875rem; line-height: 1.45;
       color: #0b0c0c; background: #fff; }
a { color: #1d70b8; text-decoration: underline; text-underline-offset: 0.1em; }
a:visited { color: #4c2c92; }
a:hover { color: #003078; text-decoration-thickness: 3px; }
a:focus, button:focus, input:focus, [tabindex]:focus { outline: 3px solid transparent; background: #ffdd00;
       color: #0b0c0c; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
input:focus { box-shadow: inset 0 0 0 2px #0b0c0c; outline: 3px solid #ffdd00; background: #fff; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: block; padding: 0.5rem 1rem; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
.marking { background: #0b0c0c; color: #fff; text-align: center; font-weight: bold; letter-spacing: 0.05em;
           padding: 0.25rem 1rem; margin: 0; }
.header { background: #0b0c0c; color: #fff; border-bottom: 10px solid #1d70b8; padding: 0.75rem 0; }
.header a.service { color: #fff; font-weight: bold; font-size: 1.25rem; text-decoration: none; }
.header a.service:focus { color: #0b0c0c; }
.header .wrap { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem 1rem; }
.header a.language { color: #fff; }
.header a.language:focus { color: #0b0c0c; }
.nav { border-bottom: 1px solid #b1b4b6; }
.nav ul { list-style: none; margin: 0; padding: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.nav a[aria-current] { font-weight: bold; color: #0b0c0c; text-decoration: none; border-bottom: 4px solid #1d70b8; }
.crumbs ol { list-style: none; margin: 0.75rem 0 0; padding: 0; display: flex; flex-wrap: wrap; font-size: 1rem; }
.crumbs li + li::before { content: "\\203A"; margin: 0 0.5rem; color: #505a5f; }
main { display: block; padding: 1rem 0 2rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
p.lead { font-size: 1.25rem; }
.notice { border-left: 5px solid #1d70b8; background: #f3f2f1; padding: 0.75rem 1rem; margin: 1rem 0; font-size: 1rem; }
.notice.internal { border-left-color: #d4351c; }
.notice p { margin: 0.25rem 0; }
.figures { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: 0.75rem;
           grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); }
.figures li { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: 0.5rem 0.75rem; }
.figures .n { display: block; font-size: 2rem; font-weight: bold; line-height: 1.1; }
.figures li.alert { border-top-color: #d4351c; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.5rem; }
table { border-collapse: collapse; width: 100%; font-size: 1rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
th button { font: inherit; font-weight: bold; color: #1d70b8; background: none; border: 0; padding: 0;
            cursor: pointer; text-align: left; text-decoration: underline; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.filter { margin: 1rem 0 0.5rem; }
.filter label { display: block; font-weight: bold; margin-bottom: 0.25rem; }
.filter input { font: inherit; width: 100%; max-width: 30rem; padding: 0.3rem; border: 2px solid #0b0c0c; }
.filter p { margin: 0.25rem 0; font-size: 1rem; }
.tag { display: inline-block; padding: 0.1rem 0.4rem; font-weight: bold; font-size: 0.95rem; }
.tag-red { background: #f4cdc6; color: #942514; }
.tag-amber { background: #fcd6c3; color: #6e3619; }
.tag-green { background: #cce2d8; color: #005a30; }
.tag-complete { background: #bbd4ea; color: #0c2d4a; }
.tag-none { background: #e5e6e7; color: #383f43; }
.late { color: #942514; font-weight: bold; }
.bar { display: block; height: 0.6rem; background: #e5e6e7; margin-top: 0.25rem; min-width: 4rem; }
.bar span { display: block; height: 100%; background: #00703c; }
dl.summary { margin: 0 0 1rem; border-top: 1px solid #b1b4b6; }
dl.summary div { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: 0 1rem;
                 border-bottom: 1px solid #b1b4b6; padding: 0.4rem 0; }
dl.summary dt { font-weight: bold; }
dl.summary dd { margin: 0; overflow-wrap: anywhere; }
dl.summary dd p:first-child, dl.summary dd ul { margin-top: 0; }
dl.summary dd p:last-child, dl.summary dd ul { margin-bottom: 0; }
section.recommendation { border-top: 3px solid #0b0c0c; margin-top: 2rem; }
.action { border-left: 4px solid #b1b4b6; padding-left: 1rem; margin: 1rem 0 1.5rem; }
.pages ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
footer { border-top: 2px solid #1d70b8; background: #f3f2f1; padding: 1rem 0; margin-top: 2rem; font-size: 1rem; }
footer p { margin: 0.4rem 0; }
@media (max-width: 40rem) {
  body { font-size: 1rem; }
  h1 { font-size: 1.6rem; }
  dl.summary div { grid-template-columns: 1fr; }
}
@media print {
  body { font-size: 10pt; color: #000; }
  .skip, .nav, .filter, .pages, th button::after { display: none; }
  .header { background: none; color: #000; border-bottom: 2px solid #000; }
  .header a.service { color: #000; }
  .marking { background: none; color: #000; border: 1px solid #000; }
  a { color: #000; text-decoration: none; }
  th button { color: #000; text-decoration: none; }
  .table-wrap { overflow: visible; }
  tr, .action, .figures li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .tag, .bar span, .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { background: none; }
}
"""

# Sort by a column (a button in each heading; aria-sort says which way), and filter the rows by
# text, with a live count of the rows shown. Cells sort by data-sort when they have one. What the
# script says comes from the table's data-filter-label and data-rows-shown, in the page's language.
SCRIPT = """
(function () {
  var tables = document.querySelectorAll("table[data-sortable]");
  Array.prototype.forEach.call(tables, function (table, n) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var box = document.createElement("div");
    box.className = "filter";
    var id = "filter-" + (n + 1);
    var label = document.createElement("label"), input = document.createElement("input");
    var status = document.createElement("p");
    label.htmlFor = id;
    label.textContent = table.getAttribute("data-filter-label");
    input.type = "search";
    input.id = id;
    input.setAttribute("autocomplete", "off");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    var wrap = table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
    wrap.parentNode.insertBefore(box, wrap);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().trim(), shown = 0;
      rows.forEach(function (row) {
        var hit = !words || row.textContent.toLowerCase().indexOf(words) !== -1;
        row.hidden = !hit;
        if (hit) shown++;
      });
      var said = table.getAttribute("data-rows-shown");
      status.textContent = words ? said.replace("{shown}", shown).replace("{total}", rows.length) : "";
    });
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          var text = cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
          var number = parseFloat(text);
          return { text: text.toLowerCase(), number: /^-?[0-9.]+%?$/.test(text) ? number : null };
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), r;
          if (x.number !== null && y.number !== null) r = x.number - y.number;
          else r = x.text < y.text ? -1 : x.text > y.text ? 1 : 0;
          return up ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
"""
