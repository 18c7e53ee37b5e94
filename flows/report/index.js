"use strict";
(function () {
  // Document table of the report index: filters, sorting and pagination over row shards.
  // The page embeds only the lists (rules, categories, sources, statuses) and a summary of
  // each shard; rows live in rows/rNNNNN.js, each calling decruftRows(shard, rows) when
  // loaded, and are fetched as a page, a filter or a sort needs them (a script element
  // works from file://, where fetch does not). A filter skips the shards whose summary
  // cannot match.
  // Rows: [seq, id, title, source, status, removals, charsRemoved, charsIn, rules, categories,
  //        held, href]; rules/categories/source/status are indexes into the lists beside them.
  var node = document.getElementById("docs-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var shards = data.shards;  // [{n: rows, st: [status], ru: [rule], ca: [category], held: 0/1}]
  var SHARD = data.shard_size, PER_PAGE = data.per_page || 100;
  var total = 0;
  shards.forEach(function (s) { total += s.n; });
  var $ = function (id) { return document.getElementById(id); };
  var fStatus = $("f-status"), fRule = $("f-rule"), fCat = $("f-category"), fSource = $("f-source");
  var fText = $("f-text"), fSort = $("f-sort"), body = $("docs-body"), info = $("docs-info");
  var page = 0, view = null, generation = 0;
  // The editor's decisions, as the document pages keep them in this browser (doc.js).
  var reviewNode = $("review-id"), decided = {};
  if (reviewNode) {
    try {
      var kept = JSON.parse(window.localStorage.getItem("decruft-decisions:" + reviewNode.textContent) || "null");
      if (kept && typeof kept.docs === "object") decided = kept.docs;
    } catch (e) { decided = {}; }
  }
  function decisionOf(id) {
    var d = decided[id];
    if (!d) return "";
    var n = Object.keys(d.restore || {}).length;
    if (d.action === "exclude") return "excluded";
    var what = d.action === "accept_held" ? "held accepted" : d.action === "original" ? "original" : d.held ? "held, undecided" : "";
    if (n && d.action !== "original") what += (what ? ", " : "") + n + " kept";
    return what;
  }
  var cache = {}, cached = [], waiting = {}, CACHE_SHARDS = 40;

  window.decruftRows = function (i, rows) {
    cache[i] = rows;
    cached.push(i);
    if (cached.length > CACHE_SHARDS) delete cache[cached.shift()];
    (waiting[i] || []).forEach(function (done) { done(rows); });
    delete waiting[i];
  };
  function shardName(i) { return "rows/r" + ("0000" + (i + 1)).slice(-5) + ".js"; }
  function load(i, done) {  // done(rows), at once when the shard is in memory
    if (cache[i]) return done(cache[i]);
    if (waiting[i]) return waiting[i].push(done);
    waiting[i] = [done];
    var s = document.createElement("script");
    s.src = shardName(i);
    s.onload = s.onerror = function () {
      s.remove();
      if (waiting[i]) window.decruftRows(i, []);  // a missing shard shows as no rows
    };
    document.body.appendChild(s);
  }

  function share(r) { return r[7] ? r[6] / r[7] : 0; }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function filters() {
    var st = fStatus.value, ru = fRule.value, ca = fCat.value, so = fSource.value;
    return {
      held: st === "held", st: st === "held" || st === "" ? -1 : data.statuses.indexOf(st),
      ru: ru === "" ? -1 : +ru, ca: ca === "" ? -1 : +ca, so: so === "" ? -1 : +so,
      q: fText.value.trim().toLowerCase(), sort: fSort.value
    };
  }
  function active(f) { return f.held || f.st >= 0 || f.ru >= 0 || f.ca >= 0 || f.so >= 0 || f.q || f.sort; }
  function mayMatch(s, f) {
    if (f.held && !s.held) return false;
    if (f.st >= 0 && s.st.indexOf(f.st) < 0) return false;
    if (f.ru >= 0 && s.ru.indexOf(f.ru) < 0) return false;
    if (f.ca >= 0 && s.ca.indexOf(f.ca) < 0) return false;
    return true;
  }
  function matches(r, f) {
    if (f.held ? !r[10] : f.st >= 0 && r[4] !== f.st) return false;
    if (f.ru >= 0 && r[8].indexOf(f.ru) < 0) return false;
    if (f.ca >= 0 && r[9].indexOf(f.ca) < 0) return false;
    if (f.so >= 0 && r[3] !== f.so) return false;
    if (f.q && (r[1] + "\n" + r[2]).toLowerCase().indexOf(f.q) < 0) return false;
    return true;
  }
  function apply() {
    var f = filters(), mine = ++generation;
    page = 0;
    if (!active(f)) { view = null; return render(); }
    // Scan the shards that may match, in order; keep only the matching rows.
    var todo = [], found = [], scanned = 0;
    shards.forEach(function (s, i) { if (mayMatch(s, f)) todo.push(i); else scanned += s.n; });
    (function next(k) {
      if (mine !== generation) return;  // a newer filter took over
      if (k >= todo.length) {
        if (f.sort === "share") found.sort(function (a, b) { return share(b) - share(a) || a[0] - b[0]; });
        else if (f.sort === "removals") found.sort(function (a, b) { return b[5] - a[5] || a[0] - b[0]; });
        else if (f.sort === "id") found.sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
        view = found;
        return render();
      }
      load(todo[k], function (rows) {
        for (var j = 0; j < rows.length; j++) if (matches(rows[j], f)) found.push(rows[j]);
        scanned += shards[todo[k]].n;
        if (k + 1 < todo.length) info.textContent = "searching… " + scanned + " of " + total + " documents";
        next(k + 1);
      });
    })(0);
  }
  function show(rows, count) {
    var pages = Math.max(1, Math.ceil(count / PER_PAGE));
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      var a = document.createElement("a");
      a.href = r[11];
      a.textContent = r[1];
      td.appendChild(a);
      tr.appendChild(td);
      cell(tr, r[2]);
      cell(tr, data.sources[r[3]]);
      var status = data.statuses[r[4]];
      cell(tr, r[10] ? status + " (held)" : status, "st-" + status);
      var mine = decisionOf(r[1]);
      if (mine) {
        var tag = document.createElement("span");
        tag.className = "chip decided";
        tag.textContent = mine;
        tr.lastChild.appendChild(document.createTextNode(" "));
        tr.lastChild.appendChild(tag);
        if (mine === "excluded") tr.className = "excluded";
      }
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
    info.textContent = count + " of " + total + " documents · page " + (page + 1) + " of " + pages;
    $("prev-page").disabled = page === 0;
    $("next-page").disabled = page >= pages - 1;
  }
  function render() {
    var count = view ? view.length : total;
    var pages = Math.max(1, Math.ceil(count / PER_PAGE));
    if (page >= pages) page = pages - 1;
    var start = page * PER_PAGE, end = Math.min(start + PER_PAGE, count);
    if (view) return show(view.slice(start, end), count);
    // Run order, no filter: the rows of this page, from one or two shards.
    var first = Math.floor(start / SHARD), last = Math.floor(Math.max(end - 1, 0) / SHARD);
    var mine = generation, got = [];
    (function next(i) {
      if (mine !== generation) return;
      if (i > last || i >= shards.length) return show(got.slice(start - first * SHARD, end - first * SHARD), count);
      load(i, function (rows) { got = got.concat(rows); next(i + 1); });
    })(first);
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
  var counted = { kept: 0, excluded: 0 };
  Object.keys(decided).forEach(function (id) {
    var d = decided[id];
    if (d.action === "exclude") counted.excluded++;
    else counted.kept += Object.keys(d.restore || {}).length;
  });
  if (reviewNode && (counted.kept || counted.excluded)) {
    var note = document.createElement("p");
    note.className = "review decided-note";
    note.id = "decided-note";
    note.textContent = "Your decisions in this browser: " + counted.kept + " kept · " + counted.excluded +
      " excluded (marked in the document table; export them from any document page).";
    reviewNode.closest("p").after(note);
  }
  document.body.classList.add("js");
  apply();
})();
