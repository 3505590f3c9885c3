// Docs pages: copy buttons on code blocks, the current section marked in "On this page",
// and the pages menu that folds away on narrow screens. Vanilla JS, loaded on docs pages only.
(function () {
  "use strict";

  // The text a code block shows, without its line numbers (they sit in a separate cell).
  function codeText(block) {
    var code = block.querySelector("td.code pre") || block.querySelector("pre");
    return code ? code.textContent.replace(/\n$/, "") : "";
  }

  // Shared with the badge snippets' buttons: stagedoor.js, which runs after this file (the
  // page's head block comes first) but long before any click.
  function copyText(text) {
    var shared = window.stagedoor && window.stagedoor.copyText;
    return shared ? shared(text) : Promise.reject(new Error("no copy helper"));
  }

  function setupCopyButtons() {
    var blocks = document.querySelectorAll(".md-content div.highlight");
    if (!blocks.length) return;
    // One live region announces the result to screen readers; a label change alone is silent.
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
    blocks.forEach(function (block) {
      if (block.querySelector(".copy-button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code to clipboard");
      var timer;
      button.addEventListener("click", function () {
        function show(label) {
          button.textContent = label;
          button.dataset.state = label === "Copied" ? "done" : "failed";
          live.textContent = label;
          clearTimeout(timer);
          timer = setTimeout(function () { button.textContent = "Copy"; delete button.dataset.state; }, 2000);
        }
        copyText(codeText(block)).then(function () { show("Copied"); }, function () { show("Copy failed"); });
      });
      block.appendChild(button);
    });
  }

  // Scroll spy: the last heading above the top third of the viewport is the current section.
  function setupTocHighlight() {
    var links = Array.prototype.slice.call(document.querySelectorAll('.docs-toc a[href^="#"]'));
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var headings = [];
    links.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var h = document.getElementById(id);
      if (h) { byId[id] = a; headings.push(h); }
    });
    var visible = {};
    function mark() {
      var current = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) { current = headings[i]; break; }
        if (headings[i].getBoundingClientRect().top < window.innerHeight * 0.33) current = headings[i];
      }
      links.forEach(function (a) {
        var on = current !== null && a === byId[current.id];
        a.classList.toggle("is-active", on);
        if (on) a.setAttribute("aria-current", "location"); else a.removeAttribute("aria-current");
      });
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      mark();
    }, { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    mark();
  }

  // Narrow screens: the pages menu folds behind a button so the page's content comes first.
  function setupNavToggle() {
    var layout = document.querySelector(".docs-layout");
    var button = document.querySelector(".docs-nav-toggle");
    var nav = document.getElementById("docs-nav");
    if (!layout || !button || !nav) return;
    layout.classList.add("has-nav-toggle");
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("is-open")) { set(false); button.focus(); }
    });
  }

  function init() {
    setupCopyButtons();
    setupTocHighlight();
    setupNavToggle();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
