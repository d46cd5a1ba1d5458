/* The map page without page loads: choosing a route, stepping through its stages, history.
 *
 * The page works without this file (every route has its own address, its story rendered on the
 * server). This script makes choosing instant: it shows the chosen story, highlights the route on
 * the map and fits the map to it, keeps the address in step (pushState; back and forward restore
 * the choice) and turns the stages into steps whose previous/next buttons fly the map to each
 * stage's place, where the stage's numbered marker is marked as the current step (pressing a
 * marker opens its stage).
 *
 * It moves the map through static/js/mapview.js. In the static export, whose addresses are
 * relative, a route in another folder (from index.html to routes/<id>.html) is loaded as a page,
 * and so is every route when the export is opened from a file (no pushState there).
 */
(function () {
  "use strict";

  var config = window.mapapp && window.mapapp.pageConfig();
  if (!config) {
    return;
  }
  var view = window.mapapp.mapView(config, {
    activate: function (id, index) {
      if (stories[id] && id === current.route) {
        showStage(stories[id], index, true);
      }
    },
  });
  var reducedMotion = view.reducedMotion;
  var narrow = window.matchMedia("(max-width: 759px)");

  var stories = {}; // route id ("" for the welcome text) -> <article>
  document.querySelectorAll(".story").forEach(function (article) {
    stories[article.dataset.route || ""] = article;
  });
  var paths = {}; // route id ("" for the page without a route) -> address path
  var relative = false; // addresses relative to the page: the static export
  document.querySelectorAll("a[data-route]").forEach(function (link) {
    paths[link.dataset.route] = new URL(link.href).pathname;
    relative = relative || !/^(\/|[a-z][a-z0-9+.-]*:)/i.test(link.getAttribute("href"));
  });

  function folder(path) {
    return path.slice(0, path.lastIndexOf("/") + 1);
  }

  /* Where a route's link (or "All routes", id "") leads now: its path, with the year that
   * static/js/years.js keeps in it. */
  function addressOf(id) {
    var link = document.querySelector("a[data-route='" + id + "']");
    return link ? link.getAttribute("href") : paths[id];
  }

  /* pushState, or false where the browser refuses it (a file:// page may not change its path). */
  function pushed(id) {
    try {
      history.pushState({ route: id }, "", addressOf(id));
      return true;
    } catch (error) {
      return false;
    }
  }

  var current = { route: null, stage: -1 };
  var ready = false; // set once the page's own route is shown: only later changes are announced
  var announcer = document.getElementById("story-announcer");

  /* Say in the live region what the panel now shows (the panel itself is too long to read). */
  function announce(article, id) {
    if (!announcer) {
      return;
    }
    var status = article.querySelector(".step-status");
    announcer.textContent = id
      ? article.querySelector("h2").textContent + ". " + (status ? status.textContent : "")
      : window.mapappText("allRoutes");
  }

  function routeAt(pathname) {
    var found = Object.keys(paths).filter(function (id) {
      return paths[id] === pathname;
    });
    return found.length ? found[0] : "";
  }

  /* Overview (index -1) or one stage of the open story. */
  function showStage(article, index, animate) {
    var stages = article.querySelectorAll(".stage");
    var id = article.dataset.route;
    var stepping = index >= 0;
    current.stage = index;
    article.querySelectorAll(".story-overview, .story-closing").forEach(function (part) {
      part.hidden = stepping;
    });
    // Kept for screen readers while stepping, so that the stage's h4 follows an h3.
    article.querySelector(".stages-heading").classList.toggle("visually-hidden", stepping);
    article.querySelector(".stages").classList.toggle("is-collapsed", !stepping);
    stages.forEach(function (stage, i) {
      stage.hidden = stepping && i !== index;
    });
    article.querySelector(".step-status").textContent = stepping
      ? window.mapappText("stageOf", { n: index + 1, total: stages.length, title: stages[index].dataset.title })
      : window.mapappText("overview", { n: stages.length });
    var previous = article.querySelector(".step-prev");
    var next = article.querySelector(".step-next");
    var focused = document.activeElement;
    previous.disabled = !stepping;
    next.disabled = index >= stages.length - 1;
    // A button disabled under the keyboard's focus would drop it to the top of the page.
    if (focused === next && next.disabled) {
      previous.focus();
    } else if (focused === previous && previous.disabled) {
      next.focus();
    }
    // The stage is part of the address (#<route>-stage-N), so that a reload, a shared link or
    // the page in the other language opens it again.
    if (ready) {
      history.replaceState(history.state, "",
                           location.pathname + location.search + (stepping ? "#" + stages[index].id : ""));
    }
    view.showStage(id, index, animate);
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
    if (id) {
      showStage(article, -1, options.animate);
    } else {
      view.showStage("", -1, options.animate);
    }
    if (options.push && changed && paths[id] !== undefined) {
      // In the export, the page's relative addresses would point elsewhere from another folder:
      // load the route's own page then, and where the browser refuses pushState (file://).
      if ((relative && folder(paths[id]) !== folder(location.pathname)) || !pushed(id)) {
        location.assign(addressOf(id));
        return;
      }
    }
    if (changed && ready) {
      announce(article, id);
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
    var layer = view.routeLayer(id);
    if (layer) {
      layer.on("click", function () {
        choose(id, { push: true, focus: true, animate: true });
      });
    }
  });

  document.querySelectorAll(".stepper").forEach(function (stepper) {
    stepper.hidden = false;
  });
  window.mapapp.settleStatus(view, window.mapappText("listStillWorks"));

  // The server has already rendered the page's own route: set up the rest, and the map's first
  // view, without animation.
  var initial = routeAt(location.pathname);
  history.replaceState({ route: initial }, "", location.href);
  choose(initial, { push: false, focus: false, animate: false });
  var linked = location.hash && document.getElementById(location.hash.slice(1));
  if (initial && linked && linked.classList.contains("stage") && stories[initial].contains(linked)) {
    showStage(stories[initial], Array.prototype.indexOf.call(
      stories[initial].querySelectorAll(".stage"), linked), false);
  }
  ready = true;
  document.documentElement.classList.add("js-ready");
})();
