// stagedoor default theme: theme toggle, stars, catalog filters. Vanilla JS, no framework.
(function () {
  "use strict";

  var root = (document.querySelector('meta[name="stagedoor-root"]') || {}).content || "";

  function store(key, fallback) {
    try {
      var v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  // Theme: auto (follows the system) -> dark -> light -> auto.
  function setupTheme() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    button.addEventListener("click", function () {
      var html = document.documentElement;
      var systemDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
      var current = html.dataset.theme || (systemDark ? "dark" : "light");
      var next = current === "dark" ? "light" : "dark";
      html.dataset.theme = next;
      try { localStorage.setItem("stagedoor-theme", next); } catch (e) { /* ignore */ }
    });
  }

  // Stars: kept in localStorage as [{ref, title, kind, url}], shown on the home page.
  var STARS = "stagedoor-stars";
  function setupStars() {
    var stars = store(STARS, []);
    if (!Array.isArray(stars)) stars = [];
    document.querySelectorAll("[data-star]").forEach(function (button) {
      var ref = button.dataset.ref;
      var label = button.querySelector("[data-star-label]");
      function paint() {
        var on = stars.some(function (s) { return s.ref === ref; });
        button.setAttribute("aria-pressed", on ? "true" : "false");
        if (label) label.textContent = on ? "Starred" : "Star";
      }
      button.addEventListener("click", function () {
        stars = store(STARS, []);
        var on = stars.some(function (s) { return s.ref === ref; });
        if (on) {
          stars = stars.filter(function (s) { return s.ref !== ref; });
        } else {
          stars.push({ ref: ref, title: button.dataset.title, kind: button.dataset.kind, url: button.dataset.url });
          stars.sort(function (a, b) { return a.title.localeCompare(b.title); });
        }
        save(STARS, stars);
        paint();
      });
      paint();
    });
    var list = document.querySelector("[data-starred]");
    if (list) {
      list.textContent = "";
      if (!stars.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = list.dataset.empty;
        list.appendChild(empty);
      }
      stars.forEach(function (s) {
        var li = document.createElement("li");
        var chip = document.createElement("span");
        chip.className = "chip chip--kind";
        chip.textContent = s.kind;
        var a = document.createElement("a");
        a.href = root + s.url;
        a.textContent = " " + s.title;
        a.className = "ref";
        a.prepend(chip);
        li.appendChild(a);
        list.appendChild(li);
      });
    }
  }

  // Catalog filters: rows carry data-* facets; text matches the row's text. Laying out
  // thousands of table rows is what freezes a page, so at most `limit` matching rows are ever
  // shown (the server renders the rest hidden) and "Show more" raises the limit. The same
  // code drives every such table (the catalog, the API explorer).
  function setupCatalog() {
    var form = document.querySelector("[data-catalog-filters]");
    var table = document.querySelector("[data-catalog-table]");
    if (!form || !table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = document.querySelector("[data-catalog-count]");
    var empty = document.querySelector("[data-catalog-empty]");
    var more = document.querySelector("[data-catalog-more]");
    var controls = form.querySelectorAll("[data-filter]");
    var keys = Array.prototype.map.call(controls, function (c) { return c.dataset.filter; }).filter(function (k) { return k !== "q" && k !== "starred"; });
    var page = +(table.dataset.pageSize || 500), limit = page, timer = 0, matched = [];
    var sort = { column: "", dir: "" };
    var LISTS = { tag: true, owner: true };

    // Each row's facet values and lower-case text, read from the DOM once (lazily, and in
    // idle slices after load), kept on the row so sorting can move rows freely.
    function row(i) {
      var r = rows[i], d = r._stagedoor;
      if (!d) {
        d = r._stagedoor = { text: r.textContent.toLowerCase(), ref: r.getAttribute("data-ref") || "" };
        keys.forEach(function (k) { d[k] = r.getAttribute("data-" + k) || ""; });
      }
      return d;
    }
    function readIdle(from) {
      var end = Math.min(rows.length, from + 500);
      for (var i = from; i < end; i++) row(i);
      if (end < rows.length) (window.requestIdleCallback || setTimeout)(function () { readIdle(end); });
    }
    function value(c) { return c.type === "checkbox" ? (c.checked ? c.value : "") : c.value; }
    function state() {
      var s = {};
      controls.forEach(function (c) { if (value(c)) s[c.dataset.filter] = value(c); });
      if (sort.column) { s.sort = sort.column; s.dir = sort.dir; }
      return s;
    }
    function starredRefs() {
      var set = {};
      var stars = store(STARS, []);
      if (Array.isArray(stars)) stars.forEach(function (st) { set[st.ref] = true; });
      return set;
    }
    function matches(d, s, words, starred) {
      for (var k in s) {
        if (k === "q" || k === "sort" || k === "dir") continue;
        if (k === "starred") { if (!starred[d.ref]) return false; continue; }
        // Tags and owners are space-separated lists (an owning group's members are owners too).
        if (LISTS[k] ? (" " + d[k] + " ").indexOf(" " + s[k] + " ") < 0 : d[k] !== s[k]) return false;
      }
      for (var w = 0; w < words.length; w++) if (d.text.indexOf(words[w]) < 0) return false;
      return true;
    }
    // Shows the first `limit` matches; touches only rows whose visibility changes.
    function show() {
      var visible = {};
      matched.slice(0, limit).forEach(function (i) { visible[i] = true; });
      for (var i = 0; i < rows.length; i++) {
        var on = visible[i] === true;
        if (rows[i].hidden === on) rows[i].hidden = !on;
      }
      if (count) count.textContent = String(matched.length);
      if (empty) empty.hidden = matched.length !== 0;
      if (more) {
        var rest = matched.length - limit;
        more.hidden = rest <= 0;
        // The label is only ever computed for a button that shows, so it never counts below one.
        if (rest > 0) more.textContent = "Show " + Math.min(page, rest) + " more of " + matched.length;
      }
    }
    // Types depend on the kind: with a kind chosen, only its types are offered, with its counts.
    function narrowOptions() {
      var kind = form.querySelector("[data-filter=kind]");
      var chosen = kind ? kind.value : "";
      form.querySelectorAll("option[data-per-kind]").forEach(function (o) {
        var n = +o.dataset.count;
        if (chosen) {
          var m = (" " + o.dataset.perKind).match(new RegExp(" " + chosen.replace(/[^a-z0-9-]/gi, "\\$&") + ":(\\d+)"));
          n = m ? +m[1] : 0;
        }
        o.hidden = o.disabled = n === 0;
        o.textContent = o.value + " (" + n + ")";
        if (n === 0 && o.selected) o.parentNode.value = "";
      });
    }
    function apply() {
      narrowOptions();
      var s = state();
      var words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
      var starred = s.starred ? starredRefs() : {};
      matched = [];
      for (var i = 0; i < rows.length; i++) if (matches(row(i), s, words, starred)) matched.push(i);
      limit = page;
      show();
      var query = new URLSearchParams(s).toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(apply, 40);
    }

    // Sorting: a header button sorts by its column (ascending, then descending); empty cells
    // go last either way, numbers compare as numbers.
    var headers = table.querySelectorAll("th[data-sort-column]");
    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    function cellKey(r, col) {
      var d = r._sortKeys || (r._sortKeys = {});
      if (!(col in d)) {
        var cell = r.cells[col];
        d[col] = cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
      }
      return d[col];
    }
    function sortRows() {
      var th = table.querySelector('th[data-sort-column="' + sort.column + '"]');
      headers.forEach(function (h) {
        if (h === th) h.setAttribute("aria-sort", sort.dir === "desc" ? "descending" : "ascending");
        else h.removeAttribute("aria-sort");
      });
      if (!th) return;
      var col = th.cellIndex, sign = sort.dir === "desc" ? -1 : 1;
      var order = rows.map(function (r, i) { return { r: r, i: i, k: cellKey(r, col) }; });
      order.sort(function (a, b) {
        if (!a.k !== !b.k) return a.k ? -1 : 1;
        return sign * collator.compare(a.k, b.k) || a.i - b.i;
      });
      rows = order.map(function (o) { return o.r; });
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) { frag.appendChild(r); });
      body.appendChild(frag);
    }
    headers.forEach(function (h) {
      var button = h.querySelector("[data-sort]");
      if (!button) return;
      button.addEventListener("click", function () {
        var column = h.dataset.sortColumn;
        sort = { column: column, dir: sort.column === column && sort.dir !== "desc" ? "desc" : "asc" };
        sortRows();
        apply();
      });
    });

    var initial = new URLSearchParams(location.search);
    controls.forEach(function (c) {
      var v = initial.get(c.dataset.filter);
      if (v !== null) {
        if (c.type === "checkbox") c.checked = v === c.value;
        else {
          if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) {
            var o = document.createElement("option");
            o.value = v;
            o.textContent = v;
            c.appendChild(o);
          }
          c.value = v;
        }
      }
      c.addEventListener(c.tagName === "SELECT" || c.type === "checkbox" ? "change" : "input", schedule);
    });
    document.querySelectorAll("[data-filter-reset]").forEach(function (b) {
      b.addEventListener("click", function (e) {
        e.preventDefault();
        controls.forEach(function (c) { if (c.type === "checkbox") c.checked = false; else c.value = ""; });
        apply();
      });
    });
    if (more) more.addEventListener("click", function () { limit += page; show(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    if (initial.get("sort")) {
      sort = { column: initial.get("sort"), dir: initial.get("dir") === "desc" ? "desc" : "asc" };
      sortRows();
    }
    if (initial.toString()) apply();
    else {
      for (var i = 0; i < rows.length; i++) matched.push(i);
      show();
      readIdle(0);
    }
  }

  // A profile picture that does not load leaves the initials under it showing.
  function setupAvatars() {
    document.querySelectorAll("img[data-avatar]").forEach(function (img) {
      function drop() { img.remove(); }
      if (img.complete && img.naturalWidth === 0) drop();
      else img.addEventListener("error", drop);
    });
  }

  // An entity's page has one folder, spelt with its name's case; the 404 page sends an
  // address typed in another case (…/etlpipeline/) there. Each map entry is a lower-cased
  // folder and the real one; an address already spelt the real way is never sent again.
  function followCase() {
    var el = document.getElementById("case-map");
    if (!el) return;
    var map, root = el.getAttribute("data-root") || "/";
    try { map = JSON.parse(el.textContent); } catch (e) { return; }
    var path = location.pathname;
    if (path.indexOf(root) !== 0) return;
    var rel = path.slice(root.length);
    var lower = rel.toLowerCase();
    for (var key in map) {
      if (lower.indexOf(key) !== 0) continue;
      var real = map[key];
      if (rel.indexOf(real) === 0) return;
      location.replace(root + real + rel.slice(key.length) + location.search + location.hash);
      return;
    }
  }

  // Copy buttons beside snippets (entity badges, and docs.js's code blocks): shown only with
  // JS; without it the snippet is a selectable <pre>. execCommand is the fallback where the
  // Clipboard API is absent (http:// hosts, file://).
  window.stagedoor = window.stagedoor || {};
  window.stagedoor.copyText = copyText;
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }
  function setupCopySnippets() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var code = button.parentNode.querySelector("pre");
      if (!code) return;
      button.hidden = false;
      button.setAttribute("aria-label", "Copy to clipboard");
      var timer;
      button.addEventListener("click", function () {
        function show(label) {
          button.textContent = label;
          button.dataset.state = label === "Copied" ? "done" : "failed";
          clearTimeout(timer);
          timer = setTimeout(function () { button.textContent = "Copy"; delete button.dataset.state; }, 2000);
        }
        copyText(code.textContent).then(function () { show("Copied"); }, function () { show("Copy failed"); });
      });
    });
  }

  // A relation graph wider than its card scrolls inside it (src/graph/svg.rs); start it with
  // the page's own entity in view rather than at the left edge, where on a phone only the
  // entities pointing at it would show.
  function centreGraphs() {
    document.querySelectorAll(".graph__scroll").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth) return;
      var focus = box.querySelector(".graph__node--focus");
      if (!focus) return;
      var b = box.getBoundingClientRect(), f = focus.getBoundingClientRect();
      box.scrollLeft += (f.left + f.width / 2) - (b.left + b.width / 2);
    });
  }

  function init() {
    followCase();
    centreGraphs();
    setupAvatars();
    setupTheme();
    setupStars();
    setupCatalog();
    setupCopySnippets();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
