// Draws the page's ```mermaid diagrams with the vendored Mermaid, in the current theme.
(function () {
  "use strict";
  function draw() {
    if (!window.mermaid) return;
    var dark = document.documentElement.dataset.theme === "dark" ||
      (!document.documentElement.dataset.theme && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
    window.mermaid.run({ querySelector: "pre.mermaid" });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
