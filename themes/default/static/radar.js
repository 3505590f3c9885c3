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
    zoom(radar);
  }

  // On narrow screens the whole radar's numbers are too small to read: buttons show one
  // quadrant at a time (its own viewBox), drawn at least READABLE px per blip number; when
  // that is wider than the screen, the frame pans. Wide screens keep the whole radar.
  var NARROW = "(max-width: 1000px)";
  var READABLE = 11.5;

  function zoom(radar) {
    var bar = radar.querySelector(".radar-zoom");
    var svg = radar.querySelector("svg.radar-svg");
    var frame = radar.querySelector(".radar-frame");
    if (!bar || !svg || !frame || !window.matchMedia) return;
    var whole = svg.getAttribute("viewBox");
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
    var narrow = window.matchMedia(NARROW);
    // The smallest blip number, in SVG units: every blip is drawn at the same scale.
    var smallest = Infinity;
    svg.querySelectorAll(".blip-number").forEach(function (t) {
      var size = parseFloat(t.getAttribute("font-size"));
      if (size > 0) smallest = Math.min(smallest, size);
    });

    function show(button) {
      var view = button && narrow.matches ? button.getAttribute("data-view") : "";
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button || (!view && !b.getAttribute("data-view")))); });
      svg.setAttribute("viewBox", view || whole);
      svg.classList.toggle("is-zoomed", !!view);
      svg.style.width = "";
      if (!view || !isFinite(smallest)) return;
      var box = view.split(/\s+/).map(parseFloat);
      var needed = box[2] * READABLE / smallest;
      if (needed > frame.clientWidth) {
        svg.style.width = Math.ceil(needed) + "px";
        // Start at the radar's centre, where the innermost (most crowded) ring is.
        var centre = (-box[0] / box[2]) * frame.scrollWidth;
        frame.scrollLeft = Math.max(0, centre - frame.clientWidth / 2);
      }
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { show(b); });
    });
    function layout() {
      bar.hidden = !narrow.matches;
      var pressed = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })[0];
      show(pressed);
    }
    if (narrow.addEventListener) narrow.addEventListener("change", layout);
    // Phones fire resize when their address bar slides; only a new width needs a new fit.
    var width = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      if (narrow.matches) layout();
    });
    layout();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
