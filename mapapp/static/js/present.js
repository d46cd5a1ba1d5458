/* Presentation mode: step through the slides with the keyboard, a clicker or the buttons.
 *
 * Forward: Right, Down, Page Down, Space. Back: Left, Up, Page Up (what clickers send),
 * Shift+Space. Home and End: the first and the last slide. B or "." blanks the screen black,
 * W or "," white, as presentation software does; the same key, any other key or a click shows
 * the slide again. F toggles full screen, as the button does; Escape leaves full screen and
 * nothing else, so that no key drops a class out of the deck (the Leave button does that).
 *
 * The server has rendered the slide at ?step=N; this script shows the others in place, keeps
 * ?step= in the address with replaceState (a reload keeps the place; Back leaves the
 * presentation, as it would a slide deck) and flies the map to each slide's route or stage
 * (static/js/mapview.js: a jump when the viewer prefers less motion); a slide comparing two
 * routes shows both. Opened from a file, the static export reads ?step= the same way, and
 * ?routes=a,b keeps the chosen routes of the deck of every route (what the server does with
 * that address). Its words come from the page (data-* attributes of the controls), so they are
 * translated with the rest of it.
 */
(function () {
  "use strict";

  var container = document.querySelector(".deck-slides");
  if (!container) {
    return;
  }
  var params = new URLSearchParams(location.search);
  var slides = chooseRoutes(Array.prototype.slice.call(container.querySelectorAll(".slide")));
  var config = window.mapapp && window.mapapp.pageConfig();
  var view = config ? window.mapapp.mapView(config, { activate: showStageSlide }) : null;
  var controls = document.querySelector(".deck-controls");
  var words = controls.dataset;
  var previous = controls.querySelector(".deck-prev");
  var next = controls.querySelector(".deck-next");
  var count = controls.querySelector(".deck-count");
  var bar = controls.querySelector(".deck-bar");
  var fullscreen = controls.querySelector(".deck-fullscreen");
  var blank = document.querySelector(".deck-blank");
  var announce = document.querySelector(".deck-announce");
  var current = -1;

  /* The ids a slide lists in an attribute, space-separated ("" lists none). */
  function ids(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  /* The deck of every route, opened as a file with ?routes= (the static export, where no server
   * makes the chosen deck): only the chosen routes' slides, and the context chapter's when
   * ?context=1. Unknown ids are left out; if none is known, the whole deck stays. */
  function chooseRoutes(all) {
    var asked = params.getAll("routes").join(",").split(",").filter(Boolean);
    if (container.dataset.deck !== "all" || !asked.length) {
      return all;
    }
    var known = asked.filter(function (id) {
      return all.some(function (slide) { return slide.dataset.route === id; });
    });
    if (!known.length) {
      return all;
    }
    var kept = all.filter(function (slide) {
      var route = slide.dataset.route;
      if (slide.classList.contains("slide-context")) {
        return params.get("context") === "1";
      }
      return !route || known.indexOf(route) >= 0;
    });
    all.forEach(function (slide) {
      if (kept.indexOf(slide) < 0) {
        slide.remove();
      }
    });
    var byRoute = {};
    kept.forEach(function (slide) {
      var route = slide.dataset.route || "";
      (byRoute[route] = byRoute[route] || []).push(slide);
    });
    kept = (byRoute[""] || []).filter(function (slide) {
      return !slide.classList.contains("slide-end");
    });
    known.forEach(function (id) {
      kept = kept.concat(byRoute[id]);
    });
    kept = kept.concat((byRoute[""] || []).filter(function (slide) {
      return slide.classList.contains("slide-end");
    }));
    kept.forEach(function (slide) {
      container.appendChild(slide); // in the order asked for
    });
    return kept;
  }

  function stepFromAddress() {
    var step = parseInt(params.get("step"), 10);
    return isNaN(step) ? 0 : Math.min(Math.max(step, 1), slides.length) - 1;
  }

  function addressOf(index) {
    params.set("step", String(index + 1));
    return "?" + params.toString();
  }

  function setLink(link, index, rel) {
    if (index >= 0 && index < slides.length) {
      link.setAttribute("href", addressOf(index));
      link.setAttribute("rel", rel);
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.removeAttribute("rel");
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
    count.textContent = words.count.replace("{number}", index + 1)
      .replace("{total}", slides.length);
    bar.max = slides.length;
    bar.value = index + 1;
    setLink(previous, index - 1, "prev");
    setLink(next, index + 1, "next");
    container.scrollTop = 0;
    if (focusWasInSlide) {
      slide.querySelector("h2").focus({ preventScroll: true });
    }
    try {
      history.replaceState(null, "", addressOf(index) + location.hash);
    } catch (error) {
      // An address the browser will not rewrite: the slide is still shown.
    }
    if (view && slide.dataset.routes) {
      view.showRoutes(slide.dataset.routes.split(" "), animate); // two routes compared
      view.showYear(null);
    } else if (view) {
      var route = slide.dataset.route || "";
      view.showStage(route, parseInt(slide.dataset.stage, 10), animate);
      view.showYear(slide.dataset.year ? {
        routes: ids(slide.dataset.inUse),
        barriers: ids(slide.dataset.standing),
      } : null);
    }
  }

  /* A stage's numbered marker on the map pressed: its (first) slide. */
  function showStageSlide(route, stage) {
    var index = slides.findIndex(function (slide) {
      return slide.dataset.route === route && parseInt(slide.dataset.stage, 10) === stage;
    });
    if (index >= 0) {
      show(index, true);
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

  /* Black or white over everything; null shows the slide again. */
  function setBlank(colour) {
    blank.hidden = !colour;
    blank.classList.toggle("white", colour === "white");
    announce.textContent = colour ? announce.dataset[colour] : "";
  }

  var STEPS = {
    ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1,
    ArrowLeft: -1, ArrowUp: -1, PageUp: -1,
  };
  var BLANKS = { b: "black", B: "black", ".": "black", w: "white", W: "white", ",": "white" };

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    if (!blank.hidden) {
      if (["Shift", "Control", "Alt", "Meta", "Escape"].indexOf(event.key) < 0) {
        setBlank(null); // any key shows the slide again, and does nothing else
        event.preventDefault();
      }
      return;
    }
    var target = event.target instanceof Element ? event.target : null;
    // Enter on a link or button, and Space on a button, are that control's own.
    if (target && ((event.key === "Enter" && target.closest("a[href], button, summary")) ||
                   (event.key === " " && target.closest("button, summary")))) {
      return;
    }
    if (Object.prototype.hasOwnProperty.call(STEPS, event.key)) {
      show(current + (event.key === " " && event.shiftKey ? -1 : STEPS[event.key]), true);
    } else if (event.key === "Home") {
      show(0, true);
    } else if (event.key === "End") {
      show(slides.length - 1, true);
    } else if (Object.prototype.hasOwnProperty.call(BLANKS, event.key)) {
      setBlank(BLANKS[event.key]);
    } else if (event.key === "Escape") {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      }
    } else if ((event.key === "f" || event.key === "F") && !fullscreen.hidden) {
      toggleFullscreen();
    } else {
      return;
    }
    event.preventDefault();
  });

  blank.addEventListener("click", function () {
    setBlank(null);
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
      fullscreen.textContent = on ? words.exitFullscreen : words.fullscreen;
      fullscreen.setAttribute("aria-pressed", String(on));
    });
  }

  if (view && view.map) {
    view.map.keyboard.disable(); // the arrow keys step through slides, never pan the map
  }
  window.mapapp.settleStatus(view, words.mapFailed);
  if (document.activeElement === container) {
    container.blur(); // focused for the keys without a script (the export's autofocus): not here
  }
  show(stepFromAddress(), false);
  document.documentElement.classList.add("js-ready");
})();
