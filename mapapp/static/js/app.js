/* The map page without page loads: choosing a route, stepping through its stages, history.
 *
 * The page works without this file (every route has its own address, its story rendered on the
 * server). This script makes choosing instant: it shows the chosen story, highlights the route on
 * the map and fits the map to it, keeps the address in step (pushState; back and forward restore
 * the choice) and turns the stages into steps whose previous/next buttons fly the map to each
 * stage's place.
 *
 * It finds the map and the route layers through the JSON configuration the server writes into the
 * page (#map-config): the names of the global variables folium's script declares, each route's
 * bounds and each stage's place.
 */
(function () {
  "use strict";

  var configNode = document.getElementById("map-config");
  if (!configNode) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var map = window[config.map] || null;
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var narrow = window.matchMedia("(max-width: 759px)");
  var PADDING = [28, 28];

  var stories = {}; // route id ("" for the welcome text) -> <article>
  document.querySelectorAll(".story").forEach(function (article) {
    stories[article.dataset.route || ""] = article;
  });
  var paths = {}; // route id ("" for the page without a route) -> address path
  document.querySelectorAll("a[data-route]").forEach(function (link) {
    paths[link.dataset.route] = new URL(link.href).pathname;
  });
  var current = { route: null, stage: -1 };

  function routeLayer(id) {
    var entry = config.routes[id];
    return entry ? window[entry.layer] : undefined;
  }

  function routeAt(pathname) {
    var found = Object.keys(paths).filter(function (id) {
      return paths[id] === pathname;
    });
    return found.length ? found[0] : "";
  }

  /* Fly (or jump, when the reader prefers less motion) to bounds or to a point. */
  function moveTo(view, animate) {
    if (!map) {
      return;
    }
    var fly = animate && !reducedMotion.matches;
    if (view.bounds) {
      if (fly) {
        map.flyToBounds(view.bounds, { padding: PADDING, duration: 1.1 });
      } else {
        map.fitBounds(view.bounds, { padding: PADDING, animate: false });
      }
    } else if (fly) {
      map.flyTo(view.center, config.stageZoom, { duration: 1.1 });
    } else {
      map.setView(view.center, config.stageZoom, { animate: false });
    }
  }

  /* The chosen route drawn wider and on top, the others faded; all as drawn when none is. */
  function highlight(id) {
    Object.keys(config.routes).forEach(function (other) {
      var layer = routeLayer(other);
      if (!layer) {
        return;
      }
      layer.eachLayer(function (leg) {
        layer.resetStyle(leg);
        if (id && other === id) {
          leg.setStyle({ weight: leg.options.weight + 2, opacity: 1 });
        } else if (id) {
          leg.setStyle({ opacity: 0.25 });
        }
        var path = leg.getElement && leg.getElement();
        if (path) {
          path.classList.toggle("route-selected", Boolean(id) && other === id);
          path.classList.toggle("route-dimmed", Boolean(id) && other !== id);
        }
      });
      if (other === id) {
        layer.bringToFront();
      }
    });
  }

  /* Overview (index -1) or one stage of the open story. */
  function showStage(article, index, animate) {
    var stages = article.querySelectorAll(".stage");
    var id = article.dataset.route;
    var stepping = index >= 0;
    current.stage = index;
    article.querySelectorAll(".story-overview, .story-closing, .stages-heading").forEach(
      function (part) {
        part.hidden = stepping;
      }
    );
    article.querySelector(".stages").classList.toggle("is-collapsed", !stepping);
    stages.forEach(function (stage, i) {
      stage.hidden = stepping && i !== index;
    });
    article.querySelector(".step-status").textContent = stepping
      ? "Stage " + (index + 1) + " of " + stages.length + ": " + stages[index].dataset.title
      : "Overview · " + stages.length + (stages.length === 1 ? " stage" : " stages");
    article.querySelector(".step-prev").disabled = !stepping;
    article.querySelector(".step-next").disabled = index >= stages.length - 1;
    moveTo(stepping ? config.routes[id].stages[index] : { bounds: config.routes[id].bounds },
           animate);
  }

  /* Show a route's story (or the welcome text for ""), highlight it, move the map to it. */
  function choose(id, options) {
    if (!Object.prototype.hasOwnProperty.call(stories, id)) {
      id = "";
    }
    var changed = id !== current.route;
    current.route = id;
    Object.keys(stories).forEach(function (key) {
      stories[key].hidden = key !== id;
    });
    document.querySelectorAll(".route-link").forEach(function (link) {
      if (link.dataset.route === id) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    var article = stories[id];
    document.title = article.dataset.title;
    highlight(id);
    if (id) {
      showStage(article, -1, options.animate);
    } else {
      moveTo({ bounds: config.overview }, options.animate);
    }
    if (options.push && changed && paths[id] !== undefined) {
      history.pushState({ route: id }, "", paths[id]);
    }
    if (options.focus) {
      var heading = article.querySelector("h2");
      heading.focus({ preventScroll: true });
      var panel = document.getElementById("story-panel");
      if (narrow.matches) {
        article.scrollIntoView({ block: "start", behavior: reducedMotion.matches ? "auto" : "smooth" });
      } else if (panel) {
        panel.scrollTop = 0;
      }
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target && target.closest("a[data-route]");
    if (link && event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)) {
      event.preventDefault();
      choose(link.dataset.route, { push: true, focus: true, animate: true });
      return;
    }
    var step = target && target.closest(".step-prev, .step-next");
    if (step && current.route) {
      var delta = step.classList.contains("step-next") ? 1 : -1;
      showStage(stories[current.route], current.stage + delta, true);
    }
  });

  /* Links answer Enter natively; the list items also answer Space, like buttons. */
  document.addEventListener("keydown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (event.key === " " && target && target.matches("a.route-link")) {
      event.preventDefault();
      target.click();
    }
  });

  window.addEventListener("popstate", function (event) {
    var state = event.state;
    var id = state && typeof state.route === "string" ? state.route : routeAt(location.pathname);
    choose(id, { push: false, focus: false, animate: true });
  });

  Object.keys(config.routes).forEach(function (id) {
    var layer = routeLayer(id);
    if (layer) {
      layer.on("click", function () {
        choose(id, { push: true, focus: true, animate: true });
      });
    }
  });

  document.querySelectorAll(".stepper").forEach(function (stepper) {
    stepper.hidden = false;
  });
  var status = document.querySelector(".map-status");
  if (status) {
    if (map) {
      status.hidden = true;
    } else {
      status.textContent = "The map could not be drawn. Every route and its story can still be read from the list.";
    }
  }

  // The server has already rendered the page's own route: set up the rest, and the map's first
  // view, without animation.
  var initial = routeAt(location.pathname);
  history.replaceState({ route: initial }, "", location.href);
  choose(initial, { push: false, focus: false, animate: false });
  document.documentElement.classList.add("js-ready");
})();
