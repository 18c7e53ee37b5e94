"use strict";
(function () {
  // Document table of the report index: filters, sorting and pagination over the embedded rows.
  // Rows: [seq, id, title, source, status, removals, charsRemoved, charsIn, rules, categories,
  //        held, href]; rules/categories/source are indexes into the lists beside them.
  var node = document.getElementById("docs-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var rows = data.rows;
  var PER_PAGE = data.per_page || 100;
  var $ = function (id) { return document.getElementById(id); };
  var fStatus = $("f-status"), fRule = $("f-rule"), fCat = $("f-category"), fSource = $("f-source");
  var fText = $("f-text"), fSort = $("f-sort"), body = $("docs-body"), info = $("docs-info");
  var page = 0, view = rows;

  function share(r) { return r[7] ? r[6] / r[7] : 0; }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function apply() {
    var st = fStatus.value, ru = fRule.value, ca = fCat.value, so = fSource.value;
    var q = fText.value.trim().toLowerCase();
    var ruI = ru === "" ? -1 : +ru, caI = ca === "" ? -1 : +ca, soI = so === "" ? -1 : +so;
    view = rows.filter(function (r) {
      if (st === "held" ? !r[10] : st !== "" && r[4] !== st) return false;
      if (ruI >= 0 && r[8].indexOf(ruI) < 0) return false;
      if (caI >= 0 && r[9].indexOf(caI) < 0) return false;
      if (soI >= 0 && r[3] !== soI) return false;
      if (q && (r[1] + "\n" + r[2]).toLowerCase().indexOf(q) < 0) return false;
      return true;
    });
    var s = fSort.value;
    if (s === "share") view.sort(function (a, b) { return share(b) - share(a) || a[0] - b[0]; });
    else if (s === "removals") view.sort(function (a, b) { return b[5] - a[5] || a[0] - b[0]; });
    else if (s === "id") view.sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
    else if (view === rows) view = rows.slice();
    page = 0;
    render();
  }
  function render() {
    var pages = Math.max(1, Math.ceil(view.length / PER_PAGE));
    if (page >= pages) page = pages - 1;
    var frag = document.createDocumentFragment();
    view.slice(page * PER_PAGE, (page + 1) * PER_PAGE).forEach(function (r) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      var a = document.createElement("a");
      a.href = r[11];
      a.textContent = r[1];
      td.appendChild(a);
      tr.appendChild(td);
      cell(tr, r[2]);
      cell(tr, data.sources[r[3]]);
      cell(tr, r[10] ? r[4] + " (held)" : r[4], "st-" + r[4]);
      cell(tr, r[5], "n");
      cell(tr, r[6], "n");
      cell(tr, (100 * share(r)).toFixed(1) + "%", "n");
      var cats = cell(tr, "");
      r[9].forEach(function (c) {
        var span = document.createElement("span");
        span.className = "chip c-" + data.category_classes[c];
        span.textContent = data.categories[c];
        cats.appendChild(span);
      });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    info.textContent = view.length + " of " + rows.length + " documents · page " + (page + 1) +
      " of " + pages;
    $("prev-page").disabled = page === 0;
    $("next-page").disabled = page >= pages - 1;
  }
  [fStatus, fRule, fCat, fSource, fSort].forEach(function (el) { el.addEventListener("change", apply); });
  fText.addEventListener("input", apply);
  $("prev-page").addEventListener("click", function () { if (page > 0) { page--; render(); } });
  $("next-page").addEventListener("click", function () { page++; render(); });
  document.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("input,select,textarea")) return;
    if (e.key === "/") { e.preventDefault(); fText.focus(); }
    else if (e.key === "]") { page++; render(); }
    else if (e.key === "[" && page > 0) { page--; render(); }
  });
  document.body.classList.add("js");
  apply();
})();
