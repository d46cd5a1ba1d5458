/* Moving the map the server drew: shared by app.js (the map page), present.js (presentation
 * mode) and embed.js (one route in an iframe).
 *
 * mapapp.mapView(config, options) takes the JSON configuration the server writes into the page
 * (#map-config: the names of the global variables folium's script declares, the overview, each
 * route's bounds, period and stages, the names to show by zoom) and returns what the pages need:
 * show a route and one of its stages (the route highlighted, its stages as numbered markers, the
 * map flown there), and the map as it was in a year. Everything the map needs to know was
 * computed once on the server (mapapp/mapbuilder.py); here it is only shown and hidden by zoom.
 * Without the map (Leaflet failed to load) every method does nothing, so the text of each page
 * still works.
 *
 * view.showStage(id, index, animate): a route ("" for none) and one of its stages (-1 for the
 * whole route). view.showYear(year): only the routes in use and the barriers standing in that
 * year; showYear(null): all of them.
 */
(function () {
  "use strict";

  var PADDING = [28, 28];
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  /* Keyboard and screen readers. Chromium makes every SVG path with a focus listener a tab stop,
   * and Leaflet gives one to every path with a tooltip: dozens of unnamed stops before the story.
   * Everything the map shows is in the page as text and links (the route list, "Places on the
   * map"), so its shapes leave the tab order; the map itself keeps one stop (arrow keys pan, + and
   * - zoom), named, and so do its controls and the chosen route's stage markers. */
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
    container.setAttribute("aria-label", window.mapappText("mapLabel"));
    [["in", "zoomIn"], ["out", "zoomOut"]].forEach(function (button) {
      var control = container.querySelector(".leaflet-control-zoom-" + button[0]);
      if (control) {
        control.title = window.mapappText(button[1]);
        control.setAttribute("aria-label", control.title);
      }
    });
  }

  function inPeriod(period, year) {
    return period[0] <= year && (period[1] === null || year <= period[1]);
  }

  /* The group a layer belongs to (the layer control's overlay), or the map itself. */
  function groupOf(map, layer) {
    var group = map;
    map.eachLayer(function (candidate) {
      if (candidate !== layer && candidate.hasLayer && candidate.hasLayer(layer)) {
        group = candidate;
      }
    });
    return group;
  }

  /* Show the sublayers of `layer` for which `wanted(sublayer, index)` holds, hide the others
   * (`all`, every sublayer it may show, keeps them so that they can come back). */
  function filter(layer, all, wanted) {
    all.forEach(function (sublayer, index) {
      var on = wanted(sublayer, index);
      if (on !== layer.hasLayer(sublayer)) {
        if (on) {
          layer.addLayer(sublayer);
        } else {
          layer.removeLayer(sublayer);
        }
      }
    });
  }

  /* The countries: the coarse copy folium's script drew below config.countries.detailZoom, the
   * shapes as shipped from it on, loaded once (a script, so that it works from file:// too) and
   * drawn with the coarse layer's own style and tooltip; `swapped()` after each change (what
   * shares their canvas is drawn over them again). */
  function countryDetail(map, config, detailSrc, swapped) {
    var layer = window[config.countries.layer];
    if (!layer || !detailSrc) {
      return function () {};
    }
    var coarse = layer.getLayers();
    var detail = null;
    var loading = false;

    function load() {
      loading = true;
      var script = document.createElement("script");
      script.src = detailSrc;
      script.onload = function () {
        var holder = L.geoJson(null, layer.options);
        holder.addData(window[config.countries.detail]);
        detail = holder.getLayers();
        holder.clearLayers();
        update();
      };
      document.head.appendChild(script);
    }

    function update() {
      var want = map.getZoom() >= config.countries.detailZoom;
      if (want && !detail) {
        if (!loading) {
          load();
        }
        return;
      }
      var shown = want ? detail : coarse;
      if (!layer.hasLayer(shown[0])) {
        layer.clearLayers();
        shown.forEach(function (country) {
          layer.addLayer(country);
        });
        swapped();
      }
    }
    return update;
  }

  /* Names by zoom: each row of config.labels ([lat, lon, minZoom, kind, anchor, html]) becomes a
   * marker in a pane of its own, above the routes and below the stage markers, on the map from
   * its minZoom, where the base-map build found that it collides with no other name. A town or
   * region with a stage marker on its dot moves its name aside ("staged"). */
  function nameLayer(map, rows) {
    map.createPane("names").setAttribute("aria-hidden", "true");
    var group = L.layerGroup().addTo(map);
    var staged = {};
    var markers = rows.map(function (row) {
      return L.marker([row[0], row[1]], {
        pane: "names", interactive: false, keyboard: false,
        icon: L.divIcon({
          className: "map-name map-name-" + row[3], iconSize: [0, 0],
          html: '<span class="map-name-text map-name-' + row[4] + '">' + row[5] + "</span>",
        }),
      });
    });

    function update() {
      var zoom = map.getZoom();
      filter(group, markers, function (marker, index) {
        return zoom >= rows[index][2];
      });
      markers.forEach(function (marker, index) {
        var element = marker.getElement();
        if (element) {
          element.classList.toggle("is-staged", Boolean(staged[index]));
        }
      });
    }

    return {
      update: update,
      stage: function (rowIndexes) {
        staged = {};
        rowIndexes.forEach(function (index) {
          staged[index] = true;
        });
        update();
      },
    };
  }

  /* Markers that would cover each other moved apart along the diagonal, as on the printed map
   * (mapapp/printmap.py), by a CSS offset that Leaflet's own positioning leaves alone. */
  var MARKER_ROOM = 38; // px: the width of the current stage's marker, and a little
  function spread(map, markers) {
    var placed = [];
    markers.forEach(function (marker) {
      var at = map.latLngToLayerPoint(marker.getLatLng());
      var shift = 0;
      while (placed.some(function (other) {
        return other.distanceTo(at.add([shift, shift])) < MARKER_ROOM;
      })) {
        shift += MARKER_ROOM * 0.75;
      }
      placed.push(at.add([shift, shift]));
      marker.getElement().style.translate = shift ? shift + "px " + shift + "px" : "";
    });
  }

  /* The chosen route's stages as numbered markers, each a button named after its stage; the one
   * being read carries aria-current="step" and is drawn larger. */
  function stageMarkers(map, config, names, activate) {
    var group = L.layerGroup().addTo(map);
    var shown = null;
    var markers = [];
    map.on("zoomend", function () {
      spread(map, markers);
    });

    function press(marker, id, index) {
      var element = marker.getElement();
      element.setAttribute("aria-label", config.routes[id].stages[index].name);
      marker.on("click", function () {
        activate(id, index);
      });
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          event.stopPropagation();
          activate(id, index);
        }
      });
    }

    return function show(id, current) {
      if (id !== shown) {
        shown = id;
        group.clearLayers();
        var stages = id ? config.routes[id].stages : [];
        markers = stages.map(function (stage, index) {
          var marker = L.marker(stage.marker, {
            keyboard: true, title: stage.name,
            icon: L.divIcon({ className: "stage-marker", iconSize: [28, 28],
                              html: '<span aria-hidden="true">' + (index + 1) + "</span>" }),
          }).addTo(group);
          press(marker, id, index);
          return marker;
        });
        names.stage([].concat.apply([], stages.map(function (stage) {
          return stage.names;
        })));
        spread(map, markers);
      }
      markers.forEach(function (marker, index) {
        var element = marker.getElement();
        if (index === current) {
          element.setAttribute("aria-current", "step");
          marker.setZIndexOffset(1000);
        } else {
          element.removeAttribute("aria-current");
          marker.setZIndexOffset(0);
        }
      });
    };
  }

  /* `options.activate(id, index)`: what a stage marker does when pressed (the page opens that
   * stage); by default the map shows it. */
  function mapView(config, options) {
    options = options || {};
    var map = window[config.map] || null;
    var names = { update: function () {}, stage: function () {} };
    var stages = function () {};
    var detail = function () {};
    if (map) {
      makeAccessible(map);
      names = nameLayer(map, window[config.labels] || []);
      var rivers = window[config.rivers];
      detail = countryDetail(map, config, config.detailScript, function () {
        if (rivers) {
          rivers.bringToFront();
        }
      });
      var riverLines = rivers ? rivers.getLayers() : [];
      var byZoom = function () {
        var zoom = map.getZoom();
        if (rivers) {
          filter(rivers, riverLines, function (river) {
            return zoom >= river.feature.properties.minZoom;
          });
        }
        names.update();
        detail();
      };
      map.on("zoomend", byZoom);
      map.whenReady(byZoom);
      stages = stageMarkers(map, config, names, function (id, index) {
        (options.activate || showStage)(id, index, true);
      });
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

    /* A route ("" for none) and one of its stages (-1: the whole route): highlighted, its stages
     * numbered on the map with this one marked as the current step, the map moved there. */
    function showStage(id, index, animate) {
      highlight(id);
      if (map) {
        map.whenReady(function () {
          stages(id, index);
        });
      }
      moveTo(viewOf(id, index), animate);
    }

    /* The map as it was in `year`: the routes in use then, and the barriers standing; every
     * route and barrier for null. */
    var routeGroups = {};
    var barriers = map && config.barriers ? window[config.barriers] : null;
    var barrierLines = barriers ? barriers.getLayers() : [];
    function showYear(year) {
      if (!map) {
        return;
      }
      Object.keys(config.routes).forEach(function (id) {
        var layer = routeLayer(id);
        if (!layer) {
          return;
        }
        routeGroups[id] = routeGroups[id] || groupOf(map, layer);
        var on = year === null || inPeriod(config.routes[id].period, year);
        if (on !== routeGroups[id].hasLayer(layer)) {
          if (on) {
            routeGroups[id].addLayer(layer);
          } else {
            routeGroups[id].removeLayer(layer);
          }
        }
      });
      if (barriers) {
        filter(barriers, barrierLines, function (line) {
          return year === null || inPeriod(line.feature.properties.period, year);
        });
      }
    }

    var view = {
      map: map,
      reducedMotion: reducedMotion,
      routeLayer: routeLayer,
      groupOf: function (layer) {
        return groupOf(map, layer);
      },
      viewOf: viewOf,
      moveTo: moveTo,
      highlight: highlight,
      showStage: showStage,
      showYear: showYear,
    };
    mapapp.view = view;
    return view;
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
      status.textContent = window.mapappText("mapFailed") + " " + failure;
    }
  }

  /* The configuration in this page, or null on a page without a map; `detail`: the address of
   * the countries' detail script, which the page writes beside it. */
  function pageConfig() {
    var node = document.getElementById("map-config");
    if (!node) {
      return null;
    }
    var config = JSON.parse(node.textContent);
    config.detailScript = node.dataset.detail || null;
    return config;
  }

  /* mapapp.view: the view of the page's map, once its script has made it (other scripts of the
   * page, such as the year control, use it). */
  var mapapp = { mapView: mapView, pageConfig: pageConfig, settleStatus: settleStatus, view: null };
  window.mapapp = mapapp;
})();
