"use strict";
(function () {
  // Document pages: toggle original-with-removals vs clean text; keyboard navigation.
  // j / k: next / previous removal; n / p: next / previous document; c: toggle the view.
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.rm"));
  var docs = Array.prototype.slice.call(document.querySelectorAll("article.doc"));
  var status = document.getElementById("status");
  var toggle = document.getElementById("toggle");
  var mi = -1, di = -1;

  function say(text) { status.textContent = text; }
  function setDoc(i) {
    if (di >= 0 && docs[di]) docs[di].classList.remove("current");
    di = i;
    docs[di].classList.add("current");
  }
  function docIndexOf(el) { return docs.indexOf(el.closest("article.doc")); }
  function showMark(i) {
    if (document.body.classList.contains("clean")) setClean(false);
    mi = i;
    var m = marks[mi];
    setDoc(docIndexOf(m));
    m.focus();
    m.scrollIntoView({ block: "center" });
    say("Removal " + (mi + 1) + " of " + marks.length + " on this page: " + m.title);
  }
  function showDoc(i) {
    if (i < 0) { if (document.body.dataset.prev) location.href = document.body.dataset.prev + "#last"; return; }
    if (i >= docs.length) { if (document.body.dataset.next) location.href = document.body.dataset.next; return; }
    setDoc(i);
    docs[i].focus();
    docs[i].scrollIntoView({ block: "start" });
    history.replaceState(null, "", "#" + docs[i].id);
    say("Document " + docs[i].dataset.seq + ": " + docs[i].dataset.docId);
  }
  function setClean(on) {
    document.body.classList.toggle("clean", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? "Show original with removals" : "Show clean text";
    say(on ? "Clean text: removed spans hidden (the output also tidies whitespace)."
           : "Original text with every removal marked.");
  }
  function nextMark(step) {
    if (!marks.length) return;
    var i = mi;
    if (i < 0 && di >= 0) {
      // start from the current document
      for (i = 0; i < marks.length && docIndexOf(marks[i]) < di; i++);
      i = step > 0 ? i : i - 1;
    } else {
      i += step;
    }
    showMark(Math.min(Math.max(i, 0), marks.length - 1));
  }
  toggle.addEventListener("click", function () { setClean(!document.body.classList.contains("clean")); });
  marks.forEach(function (m, i) {
    m.addEventListener("click", function () { showMark(i); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input,select,textarea")) return;
    var k = e.key;
    if (k === "j") nextMark(1);
    else if (k === "k") nextMark(-1);
    else if (k === "n") { mi = -1; showDoc(di + 1); }
    else if (k === "p") { mi = -1; showDoc(di - 1); }
    else if (k === "c") setClean(!document.body.classList.contains("clean"));
    else return;
    e.preventDefault();
  });
  var h = location.hash.slice(1);
  if (h === "last" && docs.length) showDoc(docs.length - 1);
  else if (h) {
    var t = document.getElementById(h);
    if (t && t.matches("article.doc")) setDoc(docs.indexOf(t));
  } else if (docs.length) setDoc(0);
  document.body.classList.add("js");
})();
