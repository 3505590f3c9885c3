// stagedoor search client: queries the prebuilt, sharded index under search/ with the same
// ranking as src/search/query.rs. Terms go through elasticlunr.js's own pipeline (loaded on
// first use), the pipeline elasticlunr-rs ran at build time.
(function () {
  "use strict";

  var root = (document.querySelector('meta[name="stagedoor-root"]') || {}).content || "";
  var MIN_PREFIX = 3, MAX_EXPANSIONS = 30, EXPANSION_FACTOR = 0.7;
  var manifest = null, shardCache = {}, chunkCache = {}, facetsPromise = null, libPromise = null;
  var version = (document.querySelector('script[src*="search.js"]') || { src: "" }).src.split("?")[1] || "";

  function getJSON(path) {
    return fetch(root + path + (version ? "?" + version : "")).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function loadLib() {
    if (window.elasticlunr) return Promise.resolve();
    if (!libPromise) {
      libPromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + "assets/vendor/elasticlunr/elasticlunr.min.js";
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return libPromise;
  }

  function loadManifest() {
    if (!manifest) {
      manifest = Promise.all([getJSON("search/index.json"), loadLib()]).then(function (r) {
        var m = r[0];
        m.shardSet = {};
        m.shards.forEach(function (k) { m.shardSet[k] = true; });
        m.splitSet = {};
        (m.split || []).forEach(function (k) { m.splitSet[k] = true; });
        return m;
      });
    }
    return manifest;
  }

  // The same key and file name rules as src/search/shards.rs.
  function shardKey(m, term) {
    var chars = Array.from(term), n = Math.min(1, chars.length);
    while (n < chars.length && n < 3 && m.splitSet[chars.slice(0, n).join("")]) n++;
    var key = chars.slice(0, n).join("");
    return m.shardSet[key] ? key : null;
  }
  function fileKey(key) {
    var bytes = new TextEncoder().encode(key), out = "";
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if ((b >= 97 && b <= 122) || (b >= 48 && b <= 57)) out += String.fromCharCode(b);
      else out += "_" + (b < 16 ? "0" : "") + b.toString(16);
    }
    return out;
  }
  function loadShard(m, key) {
    if (key === null) return Promise.resolve({});
    if (m.inline) return Promise.resolve(m.inline.shards[key] || {});
    if (!shardCache[key]) shardCache[key] = getJSON("search/t/" + fileKey(key) + ".json");
    return shardCache[key];
  }

  function stem(word) {
    var e = window.elasticlunr;
    var out = null;
    e.tokenizer(word).forEach(function (t) {
      t = e.trimmer(t);
      if (t) t = e.stopWordFilter(t);
      if (t) t = e.stemmer(t);
      if (t) out = t;
    });
    return out;
  }

  // Query words: stemmed term, plus the raw word as a prefix while it is being typed.
  function words(query) {
    var raw = query.toLowerCase().split(/[\s\-]+/).filter(Boolean);
    var typing = !/\s$/.test(query);
    var out = [];
    raw.forEach(function (w, i) {
      var term = stem(w);
      var trimmed = w.replace(/^[^A-Za-z0-9_]+/, "").replace(/[^A-Za-z0-9_]+$/, "");
      var prefix = typing && i === raw.length - 1 && Array.from(trimmed).length >= MIN_PREFIX ? trimmed : null;
      if (term || prefix) out.push({ term: term, prefix: prefix });
    });
    return out;
  }

  function idf(docs, df) { return 1 + Math.log(docs / (df + 1)); }

  function expansions(shard, prefix, exact) {
    var found = [];
    for (var t in shard) if (t.indexOf(prefix) === 0 && t !== exact) found.push([t, shard[t][0]]);
    found.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    return found.slice(0, MAX_EXPANSIONS).map(function (f) { return f[0]; });
  }

  // Ranked [{doc, score}] for a query: the algorithm of src/search/query.rs.
  function search(query) {
    return loadManifest().then(function (m) {
      var ws = words(query);
      if (!query.trim()) return [];
      var exact = "=" + query.trim().toLowerCase();
      var keys = [shardKey(m, exact)];
      ws.forEach(function (w) {
        if (w.term) keys.push(shardKey(m, w.term));
        if (w.prefix) keys.push(shardKey(m, w.prefix));
      });
      return Promise.all(keys.map(function (k) { return loadShard(m, k).then(function (s) { return [k, s]; }); })).then(function (loaded) {
        var shards = {};
        loaded.forEach(function (p) { shards[p[0]] = p[1]; });
        var totals = {};
        ws.forEach(function (w) {
          var best = {};
          function add(term, factor) {
            var shard = shards[shardKey(m, term)] || {};
            var entry = shard[term];
            if (!entry) return;
            var f = idf(m.docs, entry[0]), p = entry[1];
            for (var i = 0; i < p.length; i += 2) {
              var s = p[i + 1] * f * factor;
              if (!(p[i] in best) || s > best[p[i]]) best[p[i]] = s;
            }
          }
          if (w.term) add(w.term, 1);
          if (w.prefix) {
            var shard = shards[shardKey(m, w.prefix)] || {};
            expansions(shard, w.prefix, w.term).forEach(function (t) { add(t, EXPANSION_FACTOR); });
          }
          for (var d in best) {
            var e = totals[d] || (totals[d] = [0, 0]);
            e[0] += best[d];
            e[1] += 1;
          }
        });
        var scores = {};
        for (var d in totals) scores[d] = totals[d][0] * (totals[d][1] / ws.length);
        // A name, title or heading that is exactly the query: a bonus (src/search/index.rs).
        var ex = (shards[shardKey(m, exact)] || {})[exact];
        if (ex) for (var i = 0; i < ex[1].length; i += 2) scores[ex[1][i]] = (scores[ex[1][i]] || 0) + ex[1][i + 1];
        var hits = [];
        for (var d2 in scores) hits.push({ doc: +d2, score: scores[d2] });
        hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return hits;
      });
    });
  }

  // Display data of documents, fetched per chunk.
  function docs(ids) {
    return loadManifest().then(function (m) {
      if (m.inline) return ids.map(function (i) { return m.inline.store[i]; });
      var chunks = {};
      ids.forEach(function (i) { chunks[Math.floor(i / m.chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        if (!chunkCache[c]) chunkCache[c] = getJSON("search/d/" + c + ".json");
        return chunkCache[c];
      })).then(function () {
        return Promise.all(ids.map(function (i) {
          return chunkCache[Math.floor(i / m.chunk)].then(function (rows) { return rows[i % m.chunk]; });
        }));
      });
    });
  }

  function facets() {
    return loadManifest().then(function (m) {
      if (m.inline) return m.inline.facets;
      if (!facetsPromise) facetsPromise = getJSON("search/facets.json");
      return facetsPromise;
    });
  }

  // ---- Rendering ----
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function markWords(query) {
    return query.toLowerCase().split(/[\s\-]+/).map(function (w) { return w.replace(/^[^a-z0-9_]+|[^a-z0-9_]+$/g, ""); }).filter(function (w) { return w.length >= 2; });
  }
  function mark(text, ws) {
    var html = esc(text);
    if (!ws.length) return html;
    // Not after "&" or "#": the text is already escaped, and entities must stay whole.
    var re = new RegExp("(^|[^a-z0-9_&#])(" + ws.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "gi");
    return html.replace(re, "$1<mark>$2</mark>");
  }
  function snippet(text, ws) {
    var lower = text.toLowerCase(), at = -1;
    ws.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60);
    var cut = text.slice(start, start + 220);
    return (start > 0 ? "…" : "") + mark(cut, ws) + (start + 220 < text.length ? "…" : "");
  }
  // A document row: [title, url, kind, kindLabel, type, owner, context, text].
  function hitHtml(d, ws, active) {
    var chips = '<span class="chip chip--kind">' + esc(d[3]) + "</span>";
    if (d[4]) chips += ' <span class="chip">' + esc(d[4]) + "</span>";
    if (d[5]) chips += ' <span class="chip">' + esc(d[5]) + "</span>";
    return '<a class="search-hit' + (active ? " is-active" : "") + '" href="' + esc(root + d[1]) + '">' +
      '<span class="search-hit__title">' + mark(d[0], ws) + "</span>" +
      '<span class="search-hit__meta">' + chips + ' <span class="muted">' + esc(d[6]) + "</span></span>" +
      (d[7] ? '<span class="search-hit__snippet">' + snippet(d[7], ws) + "</span>" : "") + "</a>";
  }
  function noResults(query) {
    return '<p class="search-empty">No results for “' + esc(query) + '”. Try the <a href="' + esc(root + catalogHref()) + "?q=" +
      encodeURIComponent(query) + '">catalog filters</a>.</p>';
  }
  function catalogHref() {
    var a = document.querySelector(".site-nav a");
    return a ? a.getAttribute("href").replace(root, "") : "catalog/";
  }
  function resultsHref() {
    var form = document.querySelector("[data-search-form]");
    return form ? form.getAttribute("action") : root + "search/";
  }

  // ---- Header box: results as you type, keyboard navigation ----
  function setupBox() {
    var input = document.querySelector("[data-search-input]");
    var panel = document.querySelector("[data-search-results]");
    if (!input || !panel) return;
    var timer = 0, seq = 0, active = -1, current = "";
    function close() { panel.hidden = true; active = -1; }
    function links() { return panel.querySelectorAll(".search-hit"); }
    function paint() {
      links().forEach(function (a, i) { a.classList.toggle("is-active", i === active); });
    }
    function run() {
      var q = input.value, my = ++seq;
      current = q;
      if (q.trim().length < 2) { close(); return; }
      search(q).then(function (hits) {
        return docs(hits.slice(0, 8).map(function (h) { return h.doc; })).then(function (rows) {
          if (my !== seq) return;
          var ws = markWords(q);
          panel.innerHTML = rows.length
            ? rows.map(function (d) { return hitHtml(d, ws, false); }).join("") +
              '<a class="search-all" href="' + esc(resultsHref() + "?q=" + encodeURIComponent(q)) + '">All ' + hits.length + " results</a>"
            : noResults(q);
          panel.hidden = false;
          active = -1;
        });
      }).catch(function (e) {
        panel.innerHTML = '<p class="search-empty">Search is unavailable here (' + esc(e.message) + ").</p>";
        panel.hidden = false;
      });
    }
    input.addEventListener("focus", function () { loadManifest().catch(function () {}); if (input.value.trim().length >= 2) run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });
    input.addEventListener("keydown", function (e) {
      var items = links();
      if (e.key === "ArrowDown" && items.length) { active = (active + 1) % items.length; paint(); e.preventDefault(); }
      else if (e.key === "ArrowUp" && items.length) { active = (active - 1 + items.length) % items.length; paint(); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0 && items[active]) { e.preventDefault(); location.href = items[active].href; }
      else if (e.key === "Escape") { close(); input.blur(); }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); input.focus(); input.select(); }
    });
    document.addEventListener("click", function (e) {
      if (!panel.contains(e.target) && e.target !== input) close();
    });
  }

  // ---- Results page: every hit, filtered by kind and owner ----
  function setupPage() {
    var page = document.querySelector("[data-search-page]");
    if (!page) return;
    var q = new URLSearchParams(location.search).get("q") || "";
    var input = page.querySelector("[data-search-page-input]");
    var list = page.querySelector("[data-search-page-results]");
    var summary = page.querySelector("[data-search-page-summary]");
    var kindSel = page.querySelector("[data-search-kind]"), ownerSel = page.querySelector("[data-search-owner]");
    var more = page.querySelector("[data-search-more]");
    input.value = q;
    var hits = [], fac = null, shown = 0, PAGE = 20;
    function filtered() {
      return hits.filter(function (h) {
        var k = fac.d[2 * h.doc], o = fac.d[2 * h.doc + 1];
        return (!kindSel.value || fac.kinds[k][0] === kindSel.value) && (!ownerSel.value || fac.owners[o] === ownerSel.value);
      });
    }
    function options(sel, values, label) {
      var keep = sel.value;
      sel.innerHTML = '<option value="">All</option>' + values.map(function (v) {
        return '<option value="' + esc(v[0]) + '">' + esc(label(v)) + " (" + v[1] + ")</option>";
      }).join("");
      sel.value = keep;
    }
    function render(reset) {
      var f = filtered();
      if (reset) { list.innerHTML = ""; shown = 0; }
      var next = f.slice(shown, shown + PAGE);
      summary.textContent = f.length + (f.length === 1 ? " result" : " results") + " for “" + q + "”";
      if (!f.length) { list.innerHTML = noResults(q); more.hidden = true; return; }
      docs(next.map(function (h) { return h.doc; })).then(function (rows) {
        var ws = markWords(q);
        list.insertAdjacentHTML("beforeend", rows.map(function (d) { return hitHtml(d, ws, false); }).join(""));
        shown += next.length;
        more.hidden = shown >= f.length;
      });
    }
    if (!q.trim()) { summary.textContent = "Type a query above."; return; }
    Promise.all([search(q), facets()]).then(function (r) {
      hits = r[0].slice(0, 500);
      fac = r[1];
      var kc = {}, oc = {};
      hits.forEach(function (h) {
        var k = fac.kinds[fac.d[2 * h.doc]], o = fac.owners[fac.d[2 * h.doc + 1]];
        kc[k[0]] = kc[k[0]] || [k[0], 0, k[1]];
        kc[k[0]][1]++;
        if (o) { oc[o] = oc[o] || [o, 0]; oc[o][1]++; }
      });
      options(kindSel, Object.keys(kc).sort().map(function (k) { return kc[k]; }), function (v) { return v[2]; });
      options(ownerSel, Object.keys(oc).sort().map(function (k) { return oc[k]; }), function (v) { return v[0]; });
      render(true);
    }).catch(function (e) { summary.textContent = "Search is unavailable here (" + e.message + ")."; });
    kindSel.addEventListener("change", function () { render(true); });
    ownerSel.addEventListener("change", function () { render(true); });
    more.addEventListener("click", function () { render(false); });
  }

  window.stagedoorSearch = { search: search, docs: docs, words: words };
  function init() { setupBox(); setupPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
