"use strict";
(function () {
  // Document pages: toggle original-with-removals vs clean text; keyboard navigation; the
  // editor's decisions (keep a removal's text, exclude a document, decide a held one), kept
  // in this browser per review id across the pages and exported as a signed file that
  // `decruft publish --decisions` reads (format and signature: flows/decisions.py).
  // j / k: next / previous removal; n / p: next / previous document; c: toggle the view;
  // r: keep (restore) the current removal's text; x: exclude the current document;
  // a / o: a held document: accept the held removals / publish the original.
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

  // --- decisions -------------------------------------------------------------------------
  var dataNode = document.getElementById("review-data");
  var review = dataNode ? JSON.parse(dataNode.textContent) : null;
  var storeKey = review ? "decruft-decisions:" + review.review_id : null;
  var memory = null;  // when the browser refuses storage: this page only
  var ACTIONS = { exclude: "excluded", accept_held: "held removals accepted", original: "original published" };

  function blank() { return { by: "", docs: {} }; }
  function load() {
    if (!review) return blank();
    if (memory) return memory;
    try {
      var raw = window.localStorage.getItem(storeKey);
      var got = raw ? JSON.parse(raw) : blank();
      return got && typeof got.docs === "object" ? got : blank();
    } catch (e) {
      memory = blank();
      return memory;
    }
  }
  function save(state) {
    if (memory) { memory = state; return; }
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); }
    catch (e) { memory = state; }
  }
  function entryOf(state, article) {
    var id = article.dataset.docId;
    var d = state.docs[id];
    if (!d) d = state.docs[id] = { action: null, restore: {} };
    d.fp = article.dataset.fp;
    d.held = article.dataset.held === "1";
    return d;
  }
  function prune(state, id) {
    var d = state.docs[id];
    if (d && !d.action && !Object.keys(d.restore).length) delete state.docs[id];
  }
  function markKey(m) { return m.dataset.s + ":" + m.dataset.e + ":" + m.dataset.rule; }
  function decidable(article) { return review && article && article.dataset.fp !== undefined; }

  function setAction(article, action) {
    if (!decidable(article)) return;
    var state = load(), d = entryOf(state, article);
    if (article.dataset.held !== "1" && action !== "exclude") return;
    d.action = d.action === action ? null : action;
    prune(state, article.dataset.docId);
    save(state);
    paint();
    var what = d.action ? ACTIONS[d.action] : (article.dataset.held === "1" ? "undecided (held)" : "published cleaned");
    say("Document " + article.dataset.docId + ": " + what + ".");
  }
  function toggleKeep(m) {
    var article = m.closest("article.doc");
    if (!decidable(article)) return;
    var state = load(), d = entryOf(state, article), k = markKey(m);
    if (d.restore[k]) delete d.restore[k]; else d.restore[k] = 1;
    prune(state, article.dataset.docId);
    save(state);
    paint();
    say((d.restore[k] ? "Kept: this text will be published. " : "Removed again. ") + m.title);
  }

  // What the export says about one document (null: nothing to say).
  function exported(d) {
    var action = d.action || "cleaned";
    if (d.held && !d.action) return null;  // a held document needs a decision first
    var out = { action: action, fingerprint: d.fp };
    if (action === "cleaned" || action === "accept_held") {
      var restore = Object.keys(d.restore).map(function (k) {
        var parts = k.split(":");
        return { start: +parts[0], end: +parts[1], rule: parts.slice(2).join(":") };
      });
      restore.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
      if (restore.length) out.restore = restore;
    }
    if (action === "cleaned" && !out.restore) return null;
    return out;
  }
  function counts(state) {
    var c = { kept: 0, excluded: 0, held: 0, undecided: 0 };
    Object.keys(state.docs).forEach(function (id) {
      var d = state.docs[id], e = exported(d);
      if (d.action === "exclude") c.excluded++;
      else if (d.action) c.held++;
      else if (d.held) c.undecided++;
      if (e && e.restore) c.kept += e.restore.length;
    });
    return c;
  }

  function paint() {
    if (!review) return;
    var state = load();
    docs.forEach(function (article) {
      if (!decidable(article)) return;
      var d = state.docs[article.dataset.docId] || { action: null, restore: {} };
      var held = article.dataset.held === "1";
      article.classList.toggle("excluded", d.action === "exclude");
      article.classList.toggle("accepted", d.action === "accept_held");
      article.classList.toggle("original", d.action === "original");
      article.querySelectorAll("button.act").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.act === d.action ? "true" : "false");
      });
      var line = article.querySelector(".dstate");
      var kept = Object.keys(d.restore).length;
      var text;
      if (d.action === "exclude") text = "Excluded: this document will not be published.";
      else if (d.action === "original") text = "Decided: the original text will be published.";
      else if (held && !d.action) text = "Held by the guard: undecided (publishing refuses until you decide).";
      else {
        text = d.action === "accept_held" ? "Decided: published with the held removals applied" : "Published cleaned";
        text += kept ? ", " + kept + " removal(s) kept (their text goes back)." : ".";
      }
      if (line) line.textContent = text;
    });
    marks.forEach(function (m) {
      var article = m.closest("article.doc");
      var d = state.docs[article.dataset.docId];
      var on = !!(d && d.restore[markKey(m)]);
      m.classList.toggle("kept", on);
      var badge = m.querySelector(".badge");
      if (on && !badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "kept";
        m.insertBefore(badge, m.firstChild);
      } else if (!on && badge) badge.remove();
      var button = article.querySelector('button.keep[data-mark="' + m.id + '"]');
      if (button) {
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.textContent = on ? "kept: undo" : "keep this text";
      }
    });
    var c = counts(state);
    var parts = [];
    if (c.kept) parts.push(c.kept + " kept");
    if (c.excluded) parts.push(c.excluded + " excluded");
    if (c.held) parts.push(c.held + " held decided");
    if (c.undecided) parts.push(c.undecided + " held undecided");
    document.getElementById("dcount").textContent =
      "Decisions (review " + review.review_id + ", all pages, saved in this browser" +
      (memory ? " only while this page is open" : "") + "): " + (parts.join(" · ") || "none yet");
    var who = document.getElementById("decider");
    if (document.activeElement !== who) who.value = state.by || "";
  }

  // --- the signed export -------------------------------------------------------------------
  // Python: json.dumps(body, separators=(",", ":"), ensure_ascii=True) in the file's key order.
  function canonical(body) {
    return JSON.stringify(body).replace(/[\u0080-\uffff]/g, function (ch) {
      return "\\u" + ("000" + ch.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  function hexBytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
    return out;
  }
  function asciiBytes(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  function toHex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += ("0" + bytes[i].toString(16)).slice(-2);
    return s;
  }
  // SHA-256 and HMAC for pages opened where WebCrypto is absent (a non-secure http origin).
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  function sha256(msg) {
    var len = msg.length, padded = new Uint8Array(((len + 9 + 63) >> 6) << 6);
    padded.set(msg);
    padded[len] = 0x80;
    var bits = len * 8, view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var off = 0; off < padded.length; off += 64) {
      for (var t = 0; t < 16; t++) w[t] = view.getUint32(off + 4 * t);
      for (t = 16; t < 64; t++) {
        var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    for (var i = 0; i < 8; i++) new DataView(out.buffer).setUint32(4 * i, h[i] >>> 0);
    return out;
  }
  function hmacPure(key, msg) {
    if (key.length > 64) key = sha256(key);
    var inner = new Uint8Array(64 + msg.length), outer = new Uint8Array(96);
    for (var i = 0; i < 64; i++) {
      var byte = i < key.length ? key[i] : 0;
      inner[i] = byte ^ 0x36;
      outer[i] = byte ^ 0x5c;
    }
    inner.set(msg, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }
  function hmac(keyHex, text, done) {
    var key = hexBytes(keyHex), msg = asciiBytes(text);
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle) return done(toHex(hmacPure(key, msg)));
    subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (k) { return subtle.sign("HMAC", k, msg); })
      .then(function (sig) { done(toHex(new Uint8Array(sig))); },
            function () { done(toHex(hmacPure(key, msg))); });
  }

  function exportDecisions() {
    if (!review) return;
    var state = load();
    var name = document.getElementById("decider").value.trim();
    if (!name) {
      say("Type your name (decided by) before exporting: the audit record keeps it.");
      document.getElementById("decider").focus();
      return;
    }
    state.by = name;
    save(state);
    var documents = {};
    Object.keys(state.docs).sort().forEach(function (id) {
      var e = exported(state.docs[id]);
      if (e) documents[id] = e;
    });
    var body = {
      format: review.format, review_id: review.review_id, run_id: review.run_id,
      decided_by: name, decided_at: new Date().toISOString(), documents: documents
    };
    hmac(review.key, canonical(body), function (mac) {
      body.signature = "hmac-sha256:" + mac;
      var blob = new Blob([JSON.stringify(body, null, 1) + "\n"], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "decisions-" + review.review_id + ".json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
      var c = counts(state);
      var msg = "Exported " + a.download + " (" + Object.keys(documents).length + " document(s)" +
        (c.undecided ? "; " + c.undecided + " held document(s) still undecided" : "") +
        "): decruft publish DIR --to DEST --decisions " + a.download;
      document.getElementById("dsaved").textContent = "Exported at " +
        body.decided_at.slice(11, 19) + " UTC (" + Object.keys(documents).length + " document(s)).";
      say(msg);
    });
  }

  if (review) {
    docs.forEach(function (article) {
      article.querySelectorAll("button.act").forEach(function (b) {
        b.addEventListener("click", function () { setDoc(docs.indexOf(article)); setAction(article, b.dataset.act); });
      });
      article.querySelectorAll("button.keep").forEach(function (b) {
        b.addEventListener("click", function () {
          var m = document.getElementById(b.dataset.mark);
          if (m) toggleKeep(m);
        });
      });
    });
    document.getElementById("export").addEventListener("click", exportDecisions);
    document.getElementById("decider").addEventListener("change", function (e) {
      var state = load();
      state.by = e.target.value.trim();
      save(state);
    });
    window.addEventListener("storage", function (e) { if (e.key === storeKey) paint(); });
    document.body.classList.add("decisions-on");
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
    else if (k === "r") {
      if (mi >= 0 && review) toggleKeep(marks[mi]);
      else say("Pick a removal first (j / k), then r keeps its text.");
    }
    else if ((k === "x" || k === "a" || k === "o") && review && di >= 0) {
      var article = docs[di];
      if (!decidable(article)) say("This document cannot be published: nothing to decide.");
      else if (k !== "x" && article.dataset.held !== "1") say("Only a document the guard held needs a or o.");
      else setAction(article, k === "x" ? "exclude" : k === "a" ? "accept_held" : "original");
    }
    else return;
    e.preventDefault();
  });
  function fromHash() {  // the document the address names is the current one (x, a, o act on it)
    var h = location.hash.slice(1);
    if (h === "last" && docs.length) return showDoc(docs.length - 1);
    var t = h && document.getElementById(h);
    if (t && t.matches("article.doc")) { mi = -1; setDoc(docs.indexOf(t)); }
    else if (t && t.matches("mark.rm")) showMark(marks.indexOf(t));
    else if (!h && docs.length && di < 0) setDoc(0);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  paint();
  document.body.classList.add("js");
})();
