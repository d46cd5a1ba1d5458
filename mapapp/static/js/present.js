/* Presentation mode: step through the slides with the keyboard, a clicker or the buttons.
 *
 * Forward: Right, Down, Page Down, Space. Back: Left, Up, Page Up (what clickers send),
 * Shift+Space. Home and End: the first and the last slide. Escape leaves full screen, or else the
 * presentation. F toggles full screen, as the button does.
 *
 * The server has rendered the slide at ?step=N; this script shows the others in place, keeps
 * ?step= in the address with replaceState (a reload keeps the place; Back leaves the
 * presentation, as it would a slide deck) and flies the map to each slide's route or stage
 * (static/js/mapview.js: a jump when the viewer prefers less motion). Opened from a file, the
 * static export reads ?step= the same way.
 */
(function () {
  "use strict";

  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) {
    return;
  }
  var config = window.mapapp && window.mapapp.pageConfig();
  var view = config ? window.mapapp.mapView(config) : null;
  var previous = document.querySelector(".deck-prev");
  var next = document.querySelector(".deck-next");
  var count = document.querySelector(".deck-count");
  var bar = document.querySelector(".deck-bar");
  var leave = document.querySelector(".deck-leave");
  var fullscreen = document.querySelector(".deck-fullscreen");
  var current = -1;

  function stepFromAddress() {
    var step = parseInt(new URLSearchParams(location.search).get("step"), 10);
    return isNaN(step) ? 0 : Math.min(Math.max(step, 1), slides.length) - 1;
  }

  function setLink(link, index) {
    if (index >= 0 && index < slides.length) {
      link.setAttribute("href", "?step=" + (index + 1));
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  }

  function show(index, animate) {
    index = Math.min(Math.max(index, 0), slides.length - 1);
    if (index === current) {
      return;
    }
    var focusWasInSlide = current >= 0 && slides[current].contains(document.activeElement);
    current = index;
    slides.forEach(function (slide, i) {
      slide.hidden = i !== index;
    });
    var slide = slides[index];
    document.title = slide.dataset.title;
    count.textContent = "Slide " + (index + 1) + " of " + slides.length;
    bar.value = index + 1;
    setLink(previous, index - 1);
    setLink(next, index + 1);
    slide.parentNode.scrollTop = 0;
    if (focusWasInSlide) {
      slide.querySelector("h2").focus({ preventScroll: true });
    }
    try {
      history.replaceState(null, "", "?step=" + (index + 1) + location.hash);
    } catch (error) {
      // An address the browser will not rewrite: the slide is still shown.
    }
    if (view) {
      var route = slide.dataset.route || "";
      view.highlight(route);
      view.moveTo(view.viewOf(route, parseInt(slide.dataset.stage, 10)), animate);
    }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen().catch(function () {
        fullscreen.hidden = true; // refused (an iframe without allowfullscreen): no button
      });
    }
  }

  var KEYS = {
    ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1,
    ArrowLeft: -1, ArrowUp: -1, PageUp: -1,
  };

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    var target = event.target instanceof Element ? event.target : null;
    // Enter on a link or button, and Space on a button, are that control's own.
    if (target && ((event.key === "Enter" && target.closest("a[href], button, summary")) ||
                   (event.key === " " && target.closest("button, summary")))) {
      return;
    }
    if (Object.prototype.hasOwnProperty.call(KEYS, event.key)) {
      show(current + (event.key === " " && event.shiftKey ? -1 : KEYS[event.key]), true);
    } else if (event.key === "Home") {
      show(0, true);
    } else if (event.key === "End") {
      show(slides.length - 1, true);
    } else if (event.key === "Escape") {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        location.assign(leave.href);
      }
    } else if ((event.key === "f" || event.key === "F") && !fullscreen.hidden) {
      toggleFullscreen();
    } else {
      return;
    }
    event.preventDefault();
  });

  [previous, next].forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(current + (link === next ? 1 : -1), true);
    });
  });

  if (document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", toggleFullscreen);
    document.addEventListener("fullscreenchange", function () {
      var on = Boolean(document.fullscreenElement);
      fullscreen.textContent = on ? "Exit full screen" : "Full screen";
      fullscreen.setAttribute("aria-pressed", String(on));
    });
  }

  if (view && view.map) {
    view.map.keyboard.disable(); // the arrow keys step through slides, never pan the map
  }
  window.mapapp.settleStatus(view, "The slides still work.");
  show(stepFromAddress(), false);
  document.documentElement.classList.add("js-ready");
})();
