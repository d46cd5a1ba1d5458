/* Moving the map the server drew: shared by app.js (the map page), present.js (presentation
 * mode) and embed.js (one route in an iframe).
 *
 * mapapp.mapView(config) takes the JSON configuration the server writes into the page
 * (#map-config: the names of the global variables folium's script declares, the overview, each
 * route's bounds and each stage's place) and returns what the pages need to fly the map to a
 * route or a stage and to highlight a route. Without the map (Leaflet failed to load) every
 * method does nothing, so the text of each page still works.
 */
(function () {
  "use strict";

  var PADDING = [28, 28];
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  /* Keyboard and screen readers. Chromium makes every SVG path with a focus listener a tab stop,
   * and Leaflet gives one to every path with a tooltip: dozens of unnamed stops (each country)
   * before the story. Everything the map shows is in the page as text and links (the route list,
   * "Places on the map"), so its shapes leave the tab order; the map itself keeps one stop (arrow
   * keys pan, + and - zoom), named, and its controls stay reachable. */
  function makeAccessible(map) {
    function quiet(layer) {
      var path = layer.getElement && layer.getElement();
      if (path && path.tagName.toLowerCase() === "path") {
        path.setAttribute("tabindex", "-1");
      }
    }
    map.eachLayer(quiet);
    map.on("layeradd", function (event) {
      quiet(event.layer);
    });
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label",
                           "Map. Arrow keys move it, plus and minus zoom; every route and place " +
                           "on it is also listed in the page.");
  }

  function mapView(config) {
    var map = window[config.map] || null;
    if (map) {
      makeAccessible(map);
    }

    function routeLayer(id) {
      var entry = config.routes[id];
      return entry ? window[entry.layer] : undefined;
    }

    /* Where a route (stage < 0) or one of its stages is shown; the overview without a route. */
    function viewOf(id, stage) {
      if (!id || !config.routes[id]) {
        return { bounds: config.overview };
      }
      var route = config.routes[id];
      return stage >= 0 && route.stages[stage] ? route.stages[stage] : { bounds: route.bounds };
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

    /* The chosen route drawn wider and on top, the others faded; all as drawn when none is.
     * Nothing is drawn before the first moveTo (folium's script leaves the first view to the page,
     * so that each layer is drawn once, where the page opens): until then, wait for it. */
    function highlight(id) {
      if (map) {
        map.whenReady(function () {
          restyle(id);
        });
      }
    }

    function restyle(id) {
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

    return {
      map: map,
      reducedMotion: reducedMotion,
      routeLayer: routeLayer,
      viewOf: viewOf,
      moveTo: moveTo,
      highlight: highlight,
    };
  }

  /* The "Loading the map…" line: hidden once the map is drawn, else saying what still works. */
  function settleStatus(view, failure) {
    var status = document.querySelector(".map-status");
    if (!status) {
      return;
    }
    if (view && view.map) {
      status.hidden = true;
    } else {
      status.textContent = "The map could not be drawn. " + failure;
    }
  }

  /* The configuration in this page, or null on a page without a map. */
  function pageConfig() {
    var node = document.getElementById("map-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  window.mapapp = { mapView: mapView, pageConfig: pageConfig, settleStatus: settleStatus };
})();
