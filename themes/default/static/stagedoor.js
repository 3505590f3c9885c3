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

  // Catalog filters: rows carry data-* facets; text matches the row's text. Work is
  // debounced and done in one pass that only toggles `hidden`, so 10,000 rows stay fluid.
  function setupCatalog() {
    var form = document.querySelector("[data-catalog-filters]");
    var table = document.querySelector("[data-catalog-table]");
    if (!form || !table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null; // built on first text search
    var count = document.querySelector("[data-catalog-count]");
    var empty = document.querySelector("[data-catalog-empty]");
    var controls = form.querySelectorAll("[data-filter]");
    var timer = 0;

    function state() {
      var s = {};
      controls.forEach(function (c) { if (c.value) s[c.dataset.filter] = c.value; });
      return s;
    }
    function apply() {
      var s = state();
      var words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length && !texts) texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = true;
        for (var key in s) {
          if (key === "q") continue;
          var v = r.getAttribute("data-" + key) || "";
          if (key === "tag" ? (" " + v + " ").indexOf(" " + s[key] + " ") < 0 : v !== s[key]) { ok = false; break; }
        }
        if (ok && words.length) {
          for (var w = 0; w < words.length; w++) if (texts[i].indexOf(words[w]) < 0) { ok = false; break; }
        }
        if (r.hidden === ok) r.hidden = !ok;
        if (ok) shown++;
      }
      if (count) count.textContent = String(shown);
      if (empty) empty.hidden = shown !== 0;
      var params = new URLSearchParams(s);
      var query = params.toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(apply, rows.length > 2000 ? 120 : 40);
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
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    if (initial.toString()) apply();
  }

  function init() {
    setupTheme();
    setupStars();
    setupCatalog();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
