// Draws the page's ```mermaid diagrams with the vendored Mermaid, in the current theme. A
// diagram Mermaid cannot parse shows Mermaid's message and the source in a readable box, not
// Mermaid's error bomb; the other diagrams on the page are still drawn.
(function () {
  "use strict";

  function errorBox(pre, source, error) {
    var box = document.createElement("div");
    box.className = "mermaid-error";
    box.setAttribute("role", "note");
    var title = document.createElement("p");
    title.textContent = "This diagram could not be drawn: Mermaid reports a syntax error.";
    var message = document.createElement("pre");
    message.textContent = String((error && (error.message || error.str)) || error || "unknown error").trim();
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "Diagram source";
    var code = document.createElement("pre");
    code.textContent = source;
    details.appendChild(summary);
    details.appendChild(code);
    box.appendChild(title);
    box.appendChild(message);
    box.appendChild(details);
    pre.replaceWith(box);
  }

  function draw() {
    var mermaid = window.mermaid;
    if (!mermaid) return;
    var dark = document.documentElement.dataset.theme === "dark" ||
      (!document.documentElement.dataset.theme && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
    var pres = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
    // Parse each diagram first: mermaid.run would stop at the first error and draw a bomb.
    Promise.all(pres.map(function (pre) {
      var source = pre.textContent;
      return mermaid.parse(source).then(function () { return pre; }, function (error) {
        errorBox(pre, source, error);
        return null;
      });
    })).then(function (ok) {
      var nodes = ok.filter(Boolean);
      if (nodes.length) return mermaid.run({ nodes: nodes, suppressErrors: true });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
