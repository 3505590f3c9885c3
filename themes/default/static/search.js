// stagedoor search client: queries the prebuilt, sharded index under search/ with the same
// ranking as src/search/query.rs. Terms go through elasticlunr.js's own pipeline (loaded on
// first use), the pipeline elasticlunr-rs ran at build time.
(function () {
  "use strict";

  var root = (document.querySelector('meta[name="stagedoor-root"]') || {}).content || "";
  var MIN_PREFIX = 3, MAX_EXPANSIONS = 30, EXPANSION_FACTOR = 0.7;
  // Typo correction and tiers: src/search/fuzzy.rs and src/search/query.rs.
  var KEY_LEN = 3, MAX_FUZZY = 16, FUZZY_FACTOR = 0.5, NAME_TIER = 2, TIER = 10000;
  var manifest = null, shardCache = {}, fuzzyCache = {}, chunkCache = {}, facetsPromise = null, libPromise = null;
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
        s.src = root + "assets/vendor/elasticlunr/elasticlunr.min.js" + (version ? "?" + version : "");
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
        m.fuzzySet = {};
        (m.fuzzy || []).forEach(function (k) { m.fuzzySet[k] = true; });
        m.fuzzySplitSet = {};
        (m.fuzzySplit || []).forEach(function (k) { m.fuzzySplitSet[k] = true; });
        return m;
      });
    }
    return manifest;
  }

  // The same key and file name rules as src/search/shards.rs.
  function keyIn(set, split, term) {
    var chars = Array.from(term), n = Math.min(1, chars.length);
    while (n < chars.length && n < 3 && split[chars.slice(0, n).join("")]) n++;
    var key = chars.slice(0, n).join("");
    return set[key] ? key : null;
  }
  function shardKey(m, term) { return keyIn(m.shardSet, m.splitSet, term); }
  function fileKey(key) {
    var bytes = new TextEncoder().encode(key), out = "";
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if ((b >= 97 && b <= 122) || (b >= 48 && b <= 57)) out += String.fromCharCode(b);
      else out += "_" + (b < 16 ? "0" : "") + b.toString(16);
    }
    return out;
  }
  // Index files are named after their content; the manifest maps each name to its file.
  function indexFile(m, name) { return "search/" + ((m.files && m.files[name]) || name + ".json"); }
  function loadShard(m, key) {
    if (key === null) return Promise.resolve({});
    if (m.inline) return Promise.resolve(m.inline.shards[key] || {});
    if (!shardCache[key]) shardCache[key] = getJSON(indexFile(m, "t/" + fileKey(key)));
    return shardCache[key];
  }

  function loadFuzzy(m, key) {
    if (key === null) return Promise.resolve({});
    if (!fuzzyCache[key]) fuzzyCache[key] = getJSON(indexFile(m, "f/" + fileKey(key)));
    return fuzzyCache[key];
  }

  // Lower case without accents, as fold() in src/search/index.rs.
  function fold(s) { return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }

  // ---- Typo correction: src/search/fuzzy.rs ----
  function typosAllowed(word) {
    var n = Array.from(word).length;
    return n <= 4 ? 0 : n <= 8 ? 1 : 2;
  }
  // Optimal string alignment distance over code points (strsim::osa_distance).
  function osa(a, b) {
    a = Array.from(a); b = Array.from(b);
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }
  // First KEY_LEN letters of every variant of word with at most k letters deleted.
  function variantKeys(word, k) {
    var head = Array.from(word).slice(0, KEY_LEN + k), out = {};
    for (var mask = 0; mask < (1 << head.length); mask++) {
      var bits = 0, key = [];
      for (var i = 0; i < head.length; i++) {
        if (mask & (1 << i)) bits++;
        else if (key.length < KEY_LEN) key.push(head[i]);
      }
      if (bits <= k) out[key.join("")] = true;
    }
    return Object.keys(out);
  }
  // The terms a misspelt word stands for: those of the nearest vocabulary words, and those
  // words (for marking them in results).
  function corrections(m, word) {
    var k = typosAllowed(word);
    if (!k) return Promise.resolve({ terms: [], words: [] });
    var keys = {};
    variantKeys(word, k).forEach(function (v) {
      var key = keyIn(m.fuzzySet, m.fuzzySplitSet, v);
      if (key !== null) keys[key] = true;
    });
    return Promise.all(Object.keys(keys).map(function (key) { return loadFuzzy(m, key); })).then(function (files) {
      var n = Array.from(word).length, best = k + 1, terms = {}, near = {};
      files.forEach(function (f) {
        for (var w in f) {
          if (Math.abs(Array.from(w).length - n) > k) continue;
          var d = osa(word, w);
          if (d > k) continue;
          if (d < best) { best = d; terms = {}; near = {}; }
          if (d === best) { terms[f[w] || w] = true; near[w] = true; }
        }
      });
      return { terms: Object.keys(terms).sort(byString).slice(0, MAX_FUZZY), words: Object.keys(near) };
    });
  }
  function byString(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

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

  // Query words: stemmed term, the raw word as a prefix while it is being typed, and the word
  // as written for typo correction.
  function words(query) {
    var raw = query.split(/[\s\-]+/).filter(Boolean).map(fold);
    var typing = !/\s$/.test(query);
    var out = [];
    raw.forEach(function (w, i) {
      var term = stem(w);
      var trimmed = w.replace(/^[^A-Za-z0-9_]+/, "").replace(/[^A-Za-z0-9_]+$/, "");
      var prefix = typing && i === raw.length - 1 && Array.from(trimmed).length >= MIN_PREFIX ? trimmed : null;
      if (term || prefix) out.push({ term: term, prefix: prefix, written: trimmed });
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
      var exact = "=" + fold(query.trim());
      var shards = {};
      function load(keys) {
        return Promise.all(keys.map(function (k) {
          return loadShard(m, k).then(function (s) { shards[k] = s; });
        }));
      }
      function entry(term) { return (shards[shardKey(m, term)] || {})[term]; }
      var keys = [shardKey(m, exact)], corrected = [];
      ws.forEach(function (w) {
        if (w.term) keys.push(shardKey(m, w.term));
        if (w.prefix) keys.push(shardKey(m, w.prefix));
      });
      return load(keys).then(function () {
        // Each word's terms: itself and its expansions, or failing those, its corrections.
        return Promise.all(ws.map(function (w) {
          w.matches = [];
          if (w.term && entry(w.term)) w.matches.push([w.term, 1]);
          if (w.prefix) {
            expansions(shards[shardKey(m, w.prefix)] || {}, w.prefix, w.term).forEach(function (t) { w.matches.push([t, EXPANSION_FACTOR]); });
          }
          if (w.matches.length || !w.term) return null;
          return corrections(m, w.written).then(function (c) {
            var ts = c.terms;
            corrected = corrected.concat(c.words);
            return load(ts.map(function (t) { return shardKey(m, t); })).then(function () {
              // The most common corrections only, as most_common() in src/search/query.rs.
              function df(t) { var e = entry(t); return e ? e[0] : 0; }
              var max = Math.max.apply(null, [0].concat(ts.map(df)));
              ts.forEach(function (t) { if (df(t) === max) w.matches.push([t, FUZZY_FACTOR]); });
            });
          });
        }));
      }).then(function () {
        var totals = {}, named = null;
        ws.forEach(function (w) {
          var best = {}, names = {};
          w.matches.forEach(function (mt) {
            var e = entry(mt[0]);
            if (!e) return;
            var f = idf(m.docs, e[0]), p = e[1];
            for (var i = 0; i < p.length; i += 2) {
              var s = p[i + 1] * f * mt[1];
              if (!(p[i] in best) || s > best[p[i]]) best[p[i]] = s;
            }
            (e[2] || []).forEach(function (d) { names[d] = true; });
          });
          if (named === null) named = names;
          else { var both = {}; for (var d0 in named) if (names[d0]) both[d0] = true; named = both; }
          for (var d in best) {
            var t = totals[d] || (totals[d] = [0, 0]);
            t[0] += best[d];
            t[1] += 1;
          }
        });
        var scores = {};
        for (var d in totals) scores[d] = [totals[d][0] * (totals[d][1] / ws.length), 0];
        // Tiers above the score: an entity naming every word, and exact names and headings.
        for (var d1 in named || {}) (scores[d1] || (scores[d1] = [0, 0]))[1] = NAME_TIER;
        var ex = entry(exact);
        if (ex) for (var i = 0; i < ex[1].length; i += 2) {
          var sc = scores[ex[1][i]] || (scores[ex[1][i]] = [0, 0]);
          sc[1] = Math.max(sc[1], ex[1][i + 1]);
        }
        var hits = [];
        for (var d2 in scores) hits.push({ doc: +d2, score: scores[d2][0] + scores[d2][1] * TIER });
        hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        hits.corrected = corrected;
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
        if (!chunkCache[c]) chunkCache[c] = getJSON(indexFile(m, "d/" + c));
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
      if (!facetsPromise) facetsPromise = getJSON(indexFile(m, "facets"));
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
          var ws = markWords(q).concat(hits.corrected || []);
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
    var levelSel = page.querySelector("[data-search-level]");
    var more = page.querySelector("[data-search-more]");
    input.value = q;
    var hits = [], corrected = [], fac = null, shown = 0, PAGE = 20;
    function filtered() {
      return hits.filter(function (h) {
        var k = fac.d[2 * h.doc], o = fac.d[2 * h.doc + 1];
        return (!kindSel.value || fac.kinds[k][0] === kindSel.value) && (!ownerSel.value || fac.owners[o] === ownerSel.value) && (!levelSel || !levelSel.value || levelOf(h.doc) === levelSel.value);
      });
    }
    // A scored entity's scorecard level id ("" for docs and unscored entities).
    function levelOf(doc) {
      var i = fac.l ? fac.l[doc] : -1;
      return i >= 0 ? fac.levels[i][0] : "";
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
        var ws = markWords(q).concat(corrected);
        list.insertAdjacentHTML("beforeend", rows.map(function (d) { return hitHtml(d, ws, false); }).join(""));
        shown += next.length;
        more.hidden = shown >= f.length;
      });
    }
    if (!q.trim()) { summary.textContent = "Type a query above."; return; }
    Promise.all([search(q), facets()]).then(function (r) {
      hits = r[0].slice(0, 500);
      corrected = r[0].corrected || [];
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
      if (levelSel) {
        // Levels keep their order (lowest first), as the index lists them.
        var lc = (fac.levels || []).map(function (l) { return [l[0], 0, l[1]]; });
        hits.forEach(function (h) { var i = fac.l ? fac.l[h.doc] : -1; if (i >= 0) lc[i][1]++; });
        options(levelSel, lc.filter(function (v) { return v[1] > 0; }), function (v) { return v[2]; });
        levelSel.closest("label").hidden = !lc.some(function (v) { return v[1] > 0; });
      }
      render(true);
    }).catch(function (e) { summary.textContent = "Search is unavailable here (" + e.message + ")."; });
    kindSel.addEventListener("change", function () { render(true); });
    ownerSel.addEventListener("change", function () { render(true); });
    if (levelSel) levelSel.addEventListener("change", function () { render(true); });
    more.addEventListener("click", function () { render(false); });
  }

  window.stagedoorSearch = { search: search, docs: docs, words: words, fold: fold };
  function init() { setupBox(); setupPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
