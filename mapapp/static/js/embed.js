/* One route in an iframe (/embed/<id>): the other routes taken off the map, the map fitted to
 * this one at once with its stages numbered (static/js/mapview.js; pressing a stage's marker
 * shows that stage). */
(function () {
  "use strict";

  var config = window.mapapp && window.mapapp.pageConfig();
  var section = document.querySelector(".embed-map");
  if (!config || !section) {
    return;
  }
  var view = window.mapapp.mapView(config);
  var id = section.dataset.route;

  if (view.map) {
    Object.keys(config.routes).forEach(function (other) {
      var layer = view.routeLayer(other);
      if (layer && other !== id) {
        view.groupOf(layer).removeLayer(layer); // so that the layer control cannot bring it back
      }
    });
  }
  view.showStage(id, -1, false);
  window.mapapp.settleStatus(view, window.mapappText("stagesBelow"));
  document.documentElement.classList.add("js-ready");
})();
