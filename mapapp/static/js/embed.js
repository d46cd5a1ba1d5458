/* One route in an iframe (/embed/<id>): the other routes taken off the map, the map fitted to
 * this one at once (static/js/mapview.js). */
(function () {
  "use strict";

  var config = window.mapapp && window.mapapp.pageConfig();
  var section = document.querySelector(".embed-map");
  if (!config || !section) {
    return;
  }
  var view = window.mapapp.mapView(config);
  var id = section.dataset.route;
  var map = view.map;

  /* The group a route's layer belongs to, so that the layer control cannot bring it back. */
  function groupOf(layer) {
    var group = map;
    map.eachLayer(function (candidate) {
      if (candidate !== layer && candidate.hasLayer && candidate.hasLayer(layer)) {
        group = candidate;
      }
    });
    return group;
  }

  if (map) {
    Object.keys(config.routes).forEach(function (other) {
      var layer = view.routeLayer(other);
      if (layer && other !== id) {
        groupOf(layer).removeLayer(layer);
      }
    });
  }
  view.moveTo(view.viewOf(id, -1), false);
  window.mapapp.settleStatus(view, "The route's stages are listed below it.");
  document.documentElement.classList.add("js-ready");
})();
