/* Moving the map the server drew: shared by app.js (the map page), present.js (presentation
 * mode) and embed.js (one route in an iframe).
 *
 * mapapp.mapView(config, options) takes the JSON configuration the server writes into the page
 * (#map-config: the names of the global variables folium's script declares, the overview, each
 * route's bounds and stages, the names to show by zoom) and returns what the pages need:
 * show a route and one of its stages (the route highlighted, its stages as numbered markers, the
 * map flown there), and the map as it was in a year. Everything the map needs to know was
 * computed once on the server (mapapp/mapbuilder.py); here it is only shown and hidden by zoom.
 * Without the map (Leaflet failed to load) every method does nothing, so the text of each page
 * still works.
 *
 * view.showStage(id, index, animate): a route ("" for none) and one of its stages (-1 for the
 * whole route). view.showYear({routes, barriers}): only the routes in use and the barriers
 * standing in a year, by their ids, as the server listed them; showYear(null): all of them.
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

  /* The base map: the countries and rivers mapapp/mapbuilder.py projected once to Web Mercator
   * pixels (at data.zoom, each ring or line its first point and then the steps to the next),
   * painted on a canvas of its own under every other layer with a multiplication and an addition
   * per vertex. A Leaflet renderer, so that it follows pans and zoom animations as Leaflet's own
   * canvas does. The countries come from the coarse copy below config.base.detailZoom and as
   * shipped from it on, loaded once when first needed (a script, so that it works from file://
   * too); a country under the pointer shows its name and role. */
  function baseLayers(map, config) {
    var coarse = window[config.base.coarse];
    var detail = null;
    var loading = false;
    if (!coarse) {
      return;
    }
    map.createPane("base");
    var tooltip = L.tooltip({ direction: "top", offset: [0, -6] });

    var Base = L.Renderer.extend({
      options: { pane: "base", padding: 0.1 },

      _initContainer: function () {
        this._container = L.DomUtil.create("canvas", "base-map");
        this._ctx = this._container.getContext("2d");
      },

      _destroyContainer: function () {
        L.DomUtil.remove(this._container);
        delete this._container;
      },

      _updatePaths: function () {},

      _update: function () {
        if (this._map._animatingZoom && this._bounds) {
          return;
        }
        L.Renderer.prototype._update.call(this);
        var b = this._bounds;
        var size = b.getSize();
        var ratio = window.devicePixelRatio || 1;
        var canvas = this._container;
        L.DomUtil.setPosition(canvas, b.min);
        canvas.width = Math.round(size.x * ratio);
        canvas.height = Math.round(size.y * ratio);
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
        this._ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        var scale = Math.pow(2, this._map.getZoom() - coarse.zoom);
        var origin = this._map.getPixelOrigin().add(b.min);
        this.paint(this._ctx, scale, origin.x, origin.y);
      },

      /* A Path2D of the rings or lines of one shape, in the canvas's pixels. */
      path: function (parts, scale, ox, oy) {
        var path = new Path2D();
        parts.forEach(function (steps) {
          var x = steps[0];
          var y = steps[1];
          path.moveTo(x * scale - ox, y * scale - oy);
          for (var i = 2; i < steps.length; i += 2) {
            x += steps[i];
            y += steps[i + 1];
            path.lineTo(x * scale - ox, y * scale - oy);
          }
        });
        return path;
      },
    });

    var countries = new (Base.extend({
      options: { attribution: coarse.attribution },
      paint: function (ctx, scale, ox, oy) {
        var wanted = map.getZoom() >= config.base.detailZoom;
        if (wanted && !detail && !loading && config.detailScript) {
          load(this);
        }
        var data = wanted && detail ? detail : coarse;
        var self = this;
        ctx.lineWidth = data.border[1];
        ctx.strokeStyle = data.border[0];
        ctx.lineJoin = "round";
        this.shapes = data.countries.map(function (country) {
          var path = self.path(country[2], scale, ox, oy);
          ctx.fillStyle = country[0];
          ctx.fill(path, "evenodd");
          ctx.stroke(path);
          return { path: path, label: country[1] };
        });
      },
    }))();

    var rivers = new (Base.extend({
      paint: function (ctx, scale, ox, oy) {
        var zoom = map.getZoom();
        var self = this;
        ctx.lineWidth = coarse.river[1];
        ctx.strokeStyle = coarse.river[0];
        ctx.lineJoin = "round";
        ctx.lineCap = "round";
        coarse.rivers.forEach(function (river) {
          if (zoom >= river[0]) {
            ctx.stroke(self.path(river[1], scale, ox, oy));
          }
        });
      },
    }))();

    function load(layer) {
      loading = true;
      var script = document.createElement("script");
      script.src = config.detailScript;
      script.onload = function () {
        detail = window[config.base.detail];
        if (map.hasLayer(layer)) {
          layer._update();
        }
      };
      document.head.appendChild(script);
    }

    /* The country under the pointer, unless the pointer is on something drawn over it. */
    map.on("mousemove", function (event) {
      var target = event.originalEvent.target;
      var over = null;
      if (map.hasLayer(countries) && countries.shapes && !target.closest(".leaflet-interactive")) {
        var corner = map.layerPointToContainerPoint(countries._bounds.min);
        var ratio = window.devicePixelRatio || 1;
        var x = (event.containerPoint.x - corner.x) * ratio;
        var y = (event.containerPoint.y - corner.y) * ratio;
        var ctx = countries._ctx;
        over = countries.shapes.filter(function (shape) {
          return ctx.isPointInPath(shape.path, x, y, "evenodd");
        }).pop();
      }
      if (over) {
        tooltip.setLatLng(event.latlng).setContent(over.label);
        if (!map.hasLayer(tooltip)) {
          tooltip.addTo(map);
        }
      } else if (map.hasLayer(tooltip)) {
        map.removeLayer(tooltip);
      }
    });
    map.on("mouseout", function () {
      map.removeLayer(tooltip);
    });
    // In the groups folium's script declared, which the layer control shows and hides.
    window[config.base.countries].addLayer(countries);
    window[config.base.rivers].addLayer(rivers);
  }

  /* Names by zoom: each row of config.labels ([lat, lon, minZoom, kind, anchor, html]) is shown
   * from its minZoom, where the base-map build found that it collides with no other name; all
   * of them in one element in a pane of their own, above the routes and below the stage markers,
   * written at once when the zoom changes (HTML the server escaped) and placed with transforms.
   * A town or region with a stage marker on its dot moves its name aside ("staged"). */
  function nameLayer(map, rows) {
    map.createPane("names").setAttribute("aria-hidden", "true");
    var staged = {};
    var shown = []; // the rows on the map (their indexes), in the order of the container's children
    var layer = new (L.Layer.extend({
      options: { pane: "names" },
      onAdd: function () {
        this._container = L.DomUtil.create("div", "map-names leaflet-zoom-hide", this.getPane());
        this.rebuild();
      },
      onRemove: function () {
        L.DomUtil.remove(this._container);
      },
      getEvents: function () {
        return { zoomend: this.rebuild, viewreset: this.rebuild, zoom: this.place };
      },
      rebuild: function () {
        var zoom = map.getZoom();
        shown = [];
        rows.forEach(function (row, index) {
          if (zoom >= row[2]) {
            shown.push(index);
          }
        });
        this._container.innerHTML = shown.map(function (index) {
          var row = rows[index];
          return '<div class="map-name map-name-' + row[3] + (staged[index] ? " is-staged" : "") +
            '"><span class="map-name-text map-name-' + row[4] + '">' + row[5] + "</span></div>";
        }).join("");
        this.place();
      },
      place: function () {
        var names = this._container.children;
        shown.forEach(function (row, index) {
          var at = map.latLngToLayerPoint([rows[row][0], rows[row][1]]);
          names[index].style.transform = "translate(" + at.x + "px, " + at.y + "px)";
        });
      },
    }))();
    map.whenReady(function () {
      layer.addTo(map);
    });

    return {
      stage: function (rowIndexes) {
        staged = {};
        rowIndexes.forEach(function (index) {
          staged[index] = true;
        });
        if (map.hasLayer(layer)) {
          layer.rebuild();
        }
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

  /* Whether a stage's town lies beyond the map's region (a distant town of the base map, such as
   * Moscow): the map cannot go there. */
  function beyondMap(map, stage) {
    var bounds = map && map.options.maxBounds;
    return Boolean(stage.center && bounds && !L.latLngBounds(bounds).contains(stage.center));
  }

  /* A distance with the page's digit grouping ("6,400"); the formatter, slow to make, only
   * once a stage needs it. */
  var numberFormat = null;
  function grouped(number) {
    numberFormat = numberFormat || new Intl.NumberFormat(document.documentElement.lang || "en");
    return numberFormat.format(number);
  }

  /* Each stage of the shown route beyond the map as its number and its town's name at the map's
   * edge, on the line from the map's centre towards the town, an arrow pointing on: "4 Moscow,
   * 6,400 km" (from the stage before it), the current stage's drawn darker. The name is the
   * base map's (its row among the labels, in the page's language). Pressing it opens the stage,
   * as its marker does; the marker, off the map, keeps the keyboard stop and the stage's name. */
  var EDGE_INSET = 10; // px between a pointer and the map's edge
  function distantPointers(map, config, rows, activate) {
    var pane = L.DomUtil.create("div", "map-distant-layer", map.getContainer());
    var shown = [];

    function townName(stage) {
      var row = rows.filter(function (candidate) {
        return candidate[0] === stage.center[0] && candidate[1] === stage.center[1];
      })[0];
      var probe = document.createElement("template");
      probe.innerHTML = row ? row[5] : ""; // HTML the server escaped, as the name layer shows it
      return probe.content.textContent;
    }

    function place() {
      var centre = map.getSize().divideBy(2);
      shown.forEach(function (item) {
        var box = item.element;
        var to = map.latLngToContainerPoint(item.stage.center).subtract(centre);
        var room = L.point(centre.x - box.offsetWidth / 2 - EDGE_INSET,
                           centre.y - box.offsetHeight / 2 - EDGE_INSET);
        var scale = Math.min(1, room.x / Math.abs(to.x || 1e-9), room.y / Math.abs(to.y || 1e-9));
        var at = centre.add(to.multiplyBy(Math.max(scale, 0)));
        box.style.left = Math.round(at.x - box.offsetWidth / 2) + "px";
        box.style.top = Math.round(at.y - box.offsetHeight / 2) + "px";
        item.arrow.style.transform = "rotate(" + Math.atan2(to.y, to.x) + "rad)";
        box.classList.toggle("is-west", to.x < 0); // the arrow on the side facing the town
      });
    }
    map.on("move zoom resize viewreset", place);

    return function show(id, current) {
      var stages = id && config.routes[id] ? config.routes[id].stages : [];
      pane.textContent = "";
      shown = [];
      stages.forEach(function (stage, index) {
        if (!beyondMap(map, stage)) {
          return;
        }
        var from = stages[index - 1] || stages[index + 1];
        var km = from ? Math.round(map.distance(from.marker, stage.center) / 100000) * 100 : 0;
        var element = L.DomUtil.create("div", "map-distant", pane);
        element.classList.toggle("is-current", index === current);
        element.setAttribute("aria-hidden", "true");
        element.title = stage.name;
        L.DomUtil.create("span", "map-distant-number", element).textContent = index + 1;
        L.DomUtil.create("span", "map-distant-text", element).textContent = km
          ? window.mapappText("distantPlace", { place: townName(stage), distance: grouped(km) })
          : townName(stage);
        var arrow = L.DomUtil.create("span", "map-distant-arrow", element);
        arrow.textContent = "→";
        L.DomEvent.disableClickPropagation(element);
        element.addEventListener("click", function () {
          activate(id, index);
        });
        shown.push({ stage: stage, element: element, arrow: arrow });
      });
      place();
    };
  }

  /* `options.activate(id, index)`: what a stage marker does when pressed (the page opens that
   * stage); by default the map shows it. */
  function mapView(config, options) {
    options = options || {};
    var map = window[config.map] || null;
    var names = { stage: function () {} };
    var stages = function () {};
    var pointers = function () {};
    function activate(id, index) {
      (options.activate || showStage)(id, index, true);
    }
    if (map) {
      makeAccessible(map);
      baseLayers(map, config);
      names = nameLayer(map, window[config.labels] || []);
      stages = stageMarkers(map, config, names, activate);
      pointers = distantPointers(map, config, window[config.labels] || [], activate);
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
      var shown = stage >= 0 && route.stages[stage];
      return shown && !beyondMap(map, shown) ? shown : { bounds: route.bounds };
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

    /* `id`: a route, or a list of them (two compared), highlighted together. */
    function restyle(id) {
      var chosen = [].concat(id || []);
      Object.keys(config.routes).forEach(function (other) {
        var layer = routeLayer(other);
        var on = chosen.indexOf(other) >= 0;
        if (!layer) {
          return;
        }
        layer.eachLayer(function (leg) {
          layer.resetStyle(leg);
          if (on) {
            leg.setStyle({ weight: leg.options.weight + 2, opacity: 1 });
          } else if (chosen.length) {
            leg.setStyle({ opacity: 0.25 });
          }
          var path = leg.getElement && leg.getElement();
          if (path) {
            path.classList.toggle("route-selected", on);
            path.classList.toggle("route-dimmed", chosen.length > 0 && !on);
          }
        });
        if (on) {
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
          pointers(id, index);
        });
      }
      moveTo(viewOf(id, index), animate);
    }

    /* Several routes at once (a comparison): all highlighted, no stage numbered, the map on
     * the extent of them all. */
    function showRoutes(ids, animate) {
      var known = ids.filter(function (id) {
        return config.routes[id];
      });
      if (!known.length) {
        showStage("", -1, animate);
        return;
      }
      highlight(known);
      if (!map) {
        return;
      }
      map.whenReady(function () {
        stages("", -1);
        pointers("", -1);
      });
      var bounds = L.latLngBounds(config.routes[known[0]].bounds);
      known.forEach(function (id) {
        bounds.extend(config.routes[id].bounds);
      });
      moveTo({ bounds: bounds }, animate);
    }

    /* The map as it was in a year: `shown` lists the ids of the routes in use then and of the
     * barriers standing (`routes`, `barriers`), as the server decided them (mapapp/web/years.py
     * for the year control, mapapp/web/deck.py for the timeline's slides); null shows them all. */
    var routeGroups = {};
    var barriers = map && config.barriers ? window[config.barriers] : null;
    var barrierLines = barriers ? barriers.getLayers() : [];
    function showYear(shown) {
      if (!map) {
        return;
      }
      Object.keys(config.routes).forEach(function (id) {
        var layer = routeLayer(id);
        if (!layer) {
          return;
        }
        routeGroups[id] = routeGroups[id] || groupOf(map, layer);
        var on = shown === null || shown.routes.indexOf(id) >= 0;
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
          return shown === null || shown.barriers.indexOf(line.feature.id) >= 0;
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
      showRoutes: showRoutes,
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
