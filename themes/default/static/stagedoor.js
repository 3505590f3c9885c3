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
  // shown (the server renders the rest hidden) and "Show more" raises the limit.
  function setupCatalog() {
    var form = document.querySelector("[data-catalog-filters]");
    var table = document.querySelector("[data-catalog-table]");
    if (!form || !table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.querySelector("[data-catalog-count]");
    var empty = document.querySelector("[data-catalog-empty]");
    var more = document.querySelector("[data-catalog-more]");
    var controls = form.querySelectorAll("[data-filter]");
    var keys = Array.prototype.map.call(controls, function (c) { return c.dataset.filter; }).filter(function (k) { return k !== "q"; });
    var page = +(table.dataset.pageSize || 500), limit = page, timer = 0, matched = [];

    // Each row's facet values and lower-case text, read from the DOM once (lazily, and in
    // idle slices after load).
    var data = new Array(rows.length);
    function row(i) {
      var d = data[i];
      if (!d) {
        d = data[i] = { text: rows[i].textContent.toLowerCase() };
        keys.forEach(function (k) { d[k] = rows[i].getAttribute("data-" + k) || ""; });
      }
      return d;
    }
    function readIdle(from) {
      var end = Math.min(rows.length, from + 500);
      for (var i = from; i < end; i++) row(i);
      if (end < rows.length) (window.requestIdleCallback || setTimeout)(function () { readIdle(end); });
    }
    function state() {
      var s = {};
      controls.forEach(function (c) { if (c.value) s[c.dataset.filter] = c.value; });
      return s;
    }
    function matches(d, s, words) {
      for (var k in s) {
        if (k === "q") continue;
        if (k === "tag" ? (" " + d[k] + " ").indexOf(" " + s[k] + " ") < 0 : d[k] !== s[k]) return false;
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
        more.hidden = matched.length <= limit;
        more.textContent = "Show " + Math.min(page, matched.length - limit) + " more of " + matched.length;
      }
    }
    function apply() {
      var s = state();
      var words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
      matched = [];
      for (var i = 0; i < rows.length; i++) if (matches(row(i), s, words)) matched.push(i);
      limit = page;
      show();
      var query = new URLSearchParams(s).toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(apply, 40);
    }
    var initial = new URLSearchParams(location.search);
    controls.forEach(function (c) {
      var v = initial.get(c.dataset.filter);
      if (v !== null) {
        if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) {
          var o = document.createElement("option");
          o.value = v;
          o.textContent = v;
          c.appendChild(o);
        }
        c.value = v;
      }
      c.addEventListener(c.tagName === "SELECT" ? "change" : "input", schedule);
    });
    document.querySelectorAll("[data-filter-reset]").forEach(function (b) {
      b.addEventListener("click", function (e) {
        e.preventDefault();
        controls.forEach(function (c) { c.value = ""; });
        apply();
      });
    });
    if (more) more.addEventListener("click", function () { limit += page; show(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    if (initial.toString()) apply();
    else {
      for (var i = 0; i < rows.length; i++) matched.push(i);
      show();
      readIdle(0);
    }
  }

  function init() {
    setupTheme();
    setupStars();
    setupCatalog();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
