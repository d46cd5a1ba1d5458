"""folium's own page of the site's map: the baseline the map's ready time is compared with.

Built here, from the data, with folium alone (the site's map builder is what is measured, so it
does not make its own yardstick): every layer of the shipped base map as its file has it, and
every layer the site's API serves, each a folium.GeoJson with a tooltip, opening on the routes
as the site does, saved with Map.save() as a folium user publishes a map, with Leaflet's two
files beside it as its only assets (folium's other default assets are left out: the site does
not need them either).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import folium
import xstatic.pkg.leaflet

from mapapp import loading, style
from mapapp.model import load_atlas
from mapapp.web import api

TOOLTIP_FIELDS = ("title", "name", "name_en")


def _tooltip(features: list[dict]) -> folium.GeoJsonTooltip | None:
    for name in TOOLTIP_FIELDS:
        if features and all(name in (f.get("properties") or {}) for f in features):
            return folium.GeoJsonTooltip([name], labels=False)
    return None


def _layer(name: str, collection: dict, line: str, fill: str | None, point) -> folium.GeoJson:
    features = collection["features"]
    return folium.GeoJson(
        collection, name=name, tooltip=_tooltip(features), marker=point,
        style_function=lambda _: {"color": line, "weight": 1.5, "fillColor": fill or line,
                                  "fillOpacity": 0.9 if fill else 0.2})


def folium_page(folder: Path) -> Path:
    """Write folium's page and Leaflet's files into `folder`; the page's path."""
    atlas = load_atlas()
    folder.mkdir(parents=True, exist_ok=True)
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(leaflet / name, folder / name)
    shutil.copytree(leaflet / "images", folder / "images", dirs_exist_ok=True)

    m = folium.Map(tiles=None, min_zoom=3, max_zoom=8, control_scale=True)
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    for name, path in loading.basemap_files(loading.default_data_path()).items():
        collection = json.loads(path.read_text(encoding="utf-8"))
        _layer(f"base map: {name}", collection, style.BORDER, style.ROLE_FILLS[None],
               folium.CircleMarker(radius=3)).add_to(m)
    for name, features in api.LAYERS.items():
        collection = {"type": "FeatureCollection", "features": features(atlas)}
        point = folium.Circle(radius=5000) if name == "crossings" else folium.CircleMarker(radius=4)
        _layer(name, collection, style.route_style(0).colour, None, point).add_to(m)
    folium.LayerControl().add_to(m)
    if atlas.routes:
        boxes = [route.bounds for route in atlas.routes]
        m.fit_bounds([[min(b[1] for b in boxes), min(b[0] for b in boxes)],
                      [max(b[3] for b in boxes), max(b[2] for b in boxes)]])
    page = folder / "index.html"
    m.save(str(page))
    return page
