// stagedoor serve --watch: reloads the page after each rebuild and shows build errors over
// it. Injected into served pages only; `stagedoor build` never contains this script.
(function () {
  "use strict";
  if (window.__stagedoorLive) return;
  window.__stagedoorLive = true;
  var box = null;

  function hide() {
    if (box) box.remove();
    box = null;
  }

  function show(errors) {
    hide();
    box = document.createElement("div");
    box.id = "stagedoor-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;max-height:50vh;overflow:auto;" +
      "background:#2b0d0b;color:#fde7e5;border:2px solid #ff8a80;border-radius:8px;padding:1rem 1.2rem;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = errors.length + (errors.length === 1 ? " error" : " errors") + " in the last build (the page shows the last good content):";
    box.appendChild(title);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Dismiss");
    close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.onclick = hide;
    box.insertBefore(close, title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.2rem";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = (e.location ? e.location + ": " : "") + "[" + e.code + "] " + e.message;
      list.appendChild(li);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  var events = new EventSource("/__stagedoor/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("status", function (e) {
    document.documentElement.setAttribute("data-stagedoor-live", "connected");
    var data = JSON.parse(e.data);
    if (data.errors.length) show(data.errors);
    else hide();
  });
})();
