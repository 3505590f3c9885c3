// Tech radar: hovering or focusing a blip highlights its legend entry and back; the entry
// named by the URL's #fragment is marked on the radar and in the legend. Opening an entry
// needs no script (links to #entry-<id> and :target), so this only adds emphasis.
(function () {
  "use strict";

  function init() {
    var radar = document.querySelector("[data-radar]");
    if (!radar) return;
    var byId = {};
    radar.querySelectorAll("[data-entry]").forEach(function (el) {
      var id = el.getAttribute("data-entry");
      (byId[id] = byId[id] || []).push(el);
    });
    function mark(id, cls, on) {
      (byId[id] || []).forEach(function (el) { el.classList.toggle(cls, on); });
    }
    Object.keys(byId).forEach(function (id) {
      byId[id].forEach(function (el) {
        el.addEventListener("mouseenter", function () { mark(id, "is-active", true); });
        el.addEventListener("mouseleave", function () { mark(id, "is-active", false); });
        el.addEventListener("focusin", function () { mark(id, "is-active", true); });
        el.addEventListener("focusout", function () { mark(id, "is-active", false); });
      });
    });
    var selected = null;
    function select() {
      if (selected) mark(selected, "is-selected", false);
      var hash = decodeURIComponent(location.hash.slice(1));
      selected = hash.indexOf("entry-") === 0 ? hash.slice(6) : null;
      if (selected) mark(selected, "is-selected", true);
    }
    window.addEventListener("hashchange", select);
    select();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
