/* The map page without page loads: choosing a route, stepping through its stages, history.
 *
 * The page works without this file (every route has its own address, its story rendered on the
 * server). This script makes choosing instant: it shows the chosen story, highlights the route on
 * the map and fits the map to it, keeps the address in step (pushState; back and forward restore
 * the choice) and turns the stages into steps whose previous/next buttons fly the map to each
 * stage's place, where the stage's numbered marker is marked as the current step (pressing a
 * marker opens its stage).
 *
 * A page holds only its own story: another is taken from the route's own page when it is chosen
 * (fetched already when the reader points at or tabs to its link), kept, and announced to the
 * other scripts with a "mapapp:story" event on the document, so that they set it up too.
 *
 * It moves the map through static/js/mapview.js. In the static export, whose addresses are
 * relative, a route in another folder (from index.html to routes/<id>.html) is loaded as a page,
 * and so is every route when the export is opened from a file (no pushState or fetch there).
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

  var panel = document.getElementById("story-panel");
  var stories = {}; // route id ("" for the welcome text) -> its <article>, once in the page
  function keep(article) {
    stories[article.dataset.route || ""] = article;
  }
  document.querySelectorAll(".story").forEach(keep);
  var paths = {}; // route id ("" for the page without a route) -> address path
  var relative = false; // addresses relative to the page: the static export
  function learn(root) {
    root.querySelectorAll("a[data-route]").forEach(function (link) {
      paths[link.dataset.route] = new URL(link.href).pathname;
      relative = relative || !/^(\/|[a-z][a-z0-9+.-]*:)/i.test(link.getAttribute("href"));
    });
  }
  learn(document);

  function folder(path) {
    return path.slice(0, path.lastIndexOf("/") + 1);
  }

  /* Where a route's link (or "All routes", id "") leads now: its path, with the year that
   * static/js/years.js keeps in it. */
  function addressOf(id) {
    var link = document.querySelector("a[data-route='" + id + "']");
    return link ? link.getAttribute("href") : paths[id];
  }

  /* Whether a route's story may be taken from its page here rather than its page loaded: over
   * HTTP, and, in the export, from a page in this folder (its relative links stay right). */
  function fetchable(id) {
    return /^https?:$/.test(location.protocol) && typeof window.fetch === "function" &&
      !(relative && folder(paths[id]) !== folder(location.pathname));
  }

  var fetching = {}; // route id -> the promise of its <article> (null: load its page instead)

  /* A route's story: in the page already, or taken from the route's own page and kept there. */
  function story(id) {
    if (stories[id]) {
      return Promise.resolve(stories[id]);
    }
    if (!fetchable(id)) {
      return Promise.resolve(null);
    }
    fetching[id] = fetching[id] || fetch(addressOf(id), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html")
          .getElementById("story-" + id);
        if (!found) {
          throw new Error("no story");
        }
        var article = document.importNode(found, true);
        article.hidden = true;
        panel.appendChild(article);
        keep(article);
        learn(article); // its link back to all routes, which a page without a route may lack
        article.querySelectorAll(".stepper").forEach(function (stepper) {
          stepper.hidden = false;
        });
        document.dispatchEvent(new CustomEvent("mapapp:story", { detail: article }));
        return article;
      })
      .catch(function () {
        delete fetching[id]; // try again next time; meanwhile its page is loaded
        return null;
      });
    return fetching[id];
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

  var wanted = null; // the route asked for last, while its story is on its way

  /* Show a route's story (or the welcome text for ""), highlight it, move the map to it; a story
   * not in the page yet first, or the route's page when it cannot be had. */
  function choose(id, options) {
    if (!stories[id] && !Object.prototype.hasOwnProperty.call(paths, id)) {
      id = "";
    }
    wanted = id;
    if (stories[id]) {
      show(id, options);
      return;
    }
    panel.setAttribute("aria-busy", "true");
    story(id).then(function (article) {
      if (wanted !== id) {
        return; // another route was chosen meanwhile
      }
      panel.removeAttribute("aria-busy");
      if (article) {
        show(id, options);
      } else {
        location.assign(addressOf(id));
      }
    });
  }

  function show(id, options) {
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
      if (narrow.matches) {
        article.scrollIntoView({ block: "start", behavior: reducedMotion.matches ? "auto" : "smooth" });
      } else if (panel) {
        panel.scrollTop = 0;
      }
    }
  }

  /* Pointing at a route's link, or tabbing to it, fetches its story: choosing it is then instant. */
  ["pointerover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[data-route]") : null;
      if (link && link.dataset.route && paths[link.dataset.route] !== undefined) {
        story(link.dataset.route);
      }
    });
  });

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
