"""The Leaflet map, built with folium from the Atlas once per data version.

Offline and generalised by construction: no tiles (the base map is the shipped country shapes
over a CSS sea colour), Leaflet from our own server, crossings drawn as areas several kilometres
wide, and zoom capped at 8 because the data is at town level at best. Every text folium places
in the page goes through `_text`, because Leaflet inserts tooltip and label text as HTML.

Drawn for speed: the base map (countries, rivers) is projected here, once, to Web Mercator
pixels, and static/js/mapview.js paints it on one canvas with a few multiplications per vertex,
where Leaflet would project and clip every vertex again at every zoom; only the layers a reader
points at or reaches by keyboard (routes, crossings, the DMZ, barriers; the stage markers
mapview.js adds) are Leaflet's SVG elements. Below `DETAIL_ZOOM` the countries are drawn from a
coarse copy, simplified once here with shared borders kept shared; the shapes as shipped are a
second script (`MapParts.detail_script`) that mapview.js loads when the reader zooms in.

Nothing here knows about Flask: the web layer passes the asset URLs and serves the returned parts
(the scripts as files of their own, the configuration as JSON that static/js/mapview.js reads to
find each layer, each route's bounds and stages, and the names to show by zoom).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import numpy as np
import shapely
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from flask_babel import gettext
from folium.template import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from mapapp import region, style
from mapapp.model import Atlas, Place, Route
from mapapp.region import METRES_PER_DEGREE

MAP_ID = "routes"  # folium names the element and the JS variable "map_routes"
MIN_ZOOM, MAX_ZOOM, STAGE_ZOOM = 3, 8, 6
LANGUAGES = ("en", "ko")  # the names the base map carries


@dataclass(frozen=True)
class MapParts:
    """What a page needs to show the map: folium's parts, taken apart for embedding."""

    element_id: str  # the <div> folium's script draws into
    script: str  # folium's script, served as a file of its own (no inline script, strict CSP)
    detail_script: str  # the countries in full detail, loaded by mapview.js when needed
    js_urls: tuple[str, ...]
    css_urls: tuple[str, ...]
    config: dict  # for static/js/mapview.js: layer variable names, bounds, stages, labels


def build_map(atlas: Atlas, leaflet_js: str, leaflet_css: str, lang: str = "en") -> MapParts:
    """Build the map once, with its names in `lang`; the caller caches the result for this atlas
    version (and language)."""
    m, layers = folium_map(atlas, leaflet_js, leaflet_css, lang)
    root = m.get_root()
    root.render()
    links = root.header._children.values()
    return MapParts(
        element_id=m.get_name(),
        script=root.script.render(),
        detail_script=_Data("base_detail", _base_map(atlas, detail=True)).declaration(),
        js_urls=tuple(link.url for link in links if isinstance(link, JavascriptLink)),
        css_urls=tuple(link.url for link in links if isinstance(link, CssLink)),
        config={
            "map": m.get_name(),
            "overview": _overview_bounds(atlas),
            "stageZoom": STAGE_ZOOM,
            "base": {"coarse": layers["base"], "detail": layers["detail"],
                     "detailZoom": DETAIL_ZOOM, "countries": layers["countries"],
                     "rivers": layers["rivers"]},
            "labels": layers["labels"],
            "barriers": layers.get("barriers"),  # None when the data has none
            "routes": {route.id: {"layer": layers[route.id],
                                  "bounds": _latlng_bounds(route.bounds),
                                  "stages": _stages(atlas, route, layers["towns"])}
                       for route in atlas.routes},
        },
    )


def folium_map(atlas: Atlas, leaflet_js: str, leaflet_css: str,
               lang: str = "en") -> tuple[folium.Map, dict]:
    """The folium map itself, and the JS names of what it declares: each route's layer by route
    id, "base" (the projected base map for mapview.js) and "detail" (the name its detail takes),
    "countries" and "rivers" (the groups mapview.js paints them in, so that the layer control
    shows and hides them), "labels" and "barriers" (when there are any); also "towns", the row
    of each town and region among the labels by its English name.

    It has no first view: the page's script sets it (static/js/mapview.js), so that every layer
    is drawn once, where the page opens, instead of at folium's view first and again there.
    """
    m = folium.Map(tiles=None,
                   max_bounds=True,
                   min_lat=region.SOUTH, max_lat=region.NORTH,
                   min_lon=region.WEST, max_lon=region.EAST,
                   max_bounds_viscosity=1.0, control_scale=True, zoom_snap=0.5)
    m._id = MAP_ID
    m.location = None  # after construction: folium takes a None location for "the world"
    # folium passes min_zoom/max_zoom to its tile layer only, and there is none.
    m.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # Per instance: the class attributes are shared by every map in the process.
    m.default_js = [("leaflet", leaflet_js)]
    m.default_css = [("leaflet_css", leaflet_css)]

    # Drawn in this order, so that route lines lie on top and stay clickable everywhere; the
    # base map lies under them all, in a pane of its own.
    base = _Data("base", _base_map(atlas, detail=False)).add_to(m)
    layers = {"base": base.get_name(), "detail": f"base_detail_{MAP_ID}"}
    for key, name in (("countries", gettext("Countries")), ("rivers", gettext("Rivers"))):
        group = folium.FeatureGroup(name=name)
        group._id = key
        layers[key] = group.add_to(m).get_name()
    if atlas.dmz:  # folium's tooltip cannot describe an empty layer
        _dmz(atlas).add_to(m)
    if atlas.barriers:
        layers["barriers"] = _barriers(atlas).add_to(m).get_name()
    _crossings(atlas).add_to(m)
    routes = folium.FeatureGroup(name="Escape routes")
    routes._id = "routes"
    styles = style.route_styles(atlas)
    layers.update({route.id: _route(route, styles[route.id]).add_to(routes).get_name()
                   for route in atlas.routes})
    routes.add_to(m)
    labels, layers["towns"] = _labels(atlas, lang)
    layers["labels"] = labels.add_to(m).get_name()
    folium.LayerControl(collapsed=True).add_to(m)
    _stable_names(m)
    return m, layers


RANDOM_ID = re.compile(r"[0-9a-f]{32}")  # folium's uuid4().hex


def _stable_names(element: Element, prefix: str = "") -> None:
    """Name by its place in the map every element folium named at random: the map's script is
    cached for a year under its digest, which must not change each time the server starts."""
    for index, child in enumerate(element._children.values()):
        if RANDOM_ID.fullmatch(child._id):
            child._id = f"{prefix}{index}"
        _stable_names(child, f"{prefix}{index}_")


def _text(value: str) -> str:
    """Text for a place where Leaflet or folium expects HTML: escaped, and also safe inside
    the JavaScript template literal folium writes tooltips into (backtick, ${, backslash) and
    from Jinja: branca renders the map's script a second time as a template, so `{{ … }}` in a
    tooltip would run on the server (tests/test_security.py) unless its braces are entities."""
    return (html.escape(value).replace("`", "&#96;").replace("$", "&#36;")
            .replace("\\", "&#92;").replace("{", "&#123;").replace("}", "&#125;"))


class _Data(MacroElement):
    """Data for static/js/mapview.js, as a global variable of the map's script (the script is
    a file browsers keep, where the page's configuration is sent with every page)."""

    def __init__(self, name: str, data):
        super().__init__()
        self._name, self._id = name, MAP_ID  # its variable: "<name>_routes"
        self.data = data

    _template = Template("""{% macro script(this, kwargs) %}
{{ this.declaration() }}
{% endmacro %}""")

    def declaration(self) -> str:
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"var {self.get_name()} = {data};\n"


# -- the base map --------------------------------------------------------------------------------
# Below this zoom the countries are drawn from the coarse copy; from it, as shipped.
DETAIL_ZOOM = 5
# The coarse copy: simplified (Visvalingam-Whyatt over the shared borders, shapely's
# coverage_simplify) until a vertex cuts off less than this tolerance squared, in square degrees,
# about 5 square pixels at DETAIL_ZOOM; parts smaller than that are dropped (islets).
COARSE_TOLERANCE = 0.1
# The base map's coordinates: Web Mercator pixels at this zoom, whole numbers (a quarter of a
# pixel at MAX_ZOOM), each ring or line as its first point and then the steps between points.
BASE_ZOOM = MAX_ZOOM + 2


def _base_map(atlas: Atlas, detail: bool) -> dict:
    """The countries (coarse, or as shipped for `detail`) and, with the coarse copy, the rivers,
    projected for mapview.js: {zoom, border: [colour, weight], countries: [[fill, tooltip,
    rings]]}, and without `detail` also river: [colour, weight], rivers: [[min_zoom, lines]]
    and the attribution."""
    shapes = web_outlines([country.shape for country in atlas.countries])
    if not detail:
        shapes = coarse_outlines(shapes)
    data = {"zoom": BASE_ZOOM, "border": [style.BORDER, 0.8],
            "countries": [[style.ROLE_FILLS.get(country.role, style.ROLE_FILLS[None]),
                           _text(style.country_label(country.name, country.role)),
                           projected(shape)]
                          for country, shape in zip(atlas.countries, shapes, strict=True)]}
    if not detail:
        data.update(river=[style.RIVER_STYLE["color"], style.RIVER_STYLE["weight"]],
                    rivers=[[river.min_zoom, projected(river.geometry)]
                            for river in atlas.rivers],
                    attribution=_text(gettext("Borders: Natural Earth (public domain)")))
    return data


def projected(geometry: BaseGeometry) -> list[list[int]]:
    """The rings or lines of a geometry in Web Mercator pixels at BASE_ZOOM, each as
    [x, y, dx, dy, dx, dy, ...]: the first point, then the steps to the next ones (a point no
    step away from the last is left out)."""
    size = 256 * 2 ** BASE_ZOOM
    parts = []
    for line in _lines(geometry):
        lon, lat = shapely.get_coordinates(line).T
        lat = np.clip(lat, -85.0511287798, 85.0511287798)  # as Leaflet's Web Mercator
        x = np.rint((lon + 180) / 360 * size).astype(np.int64)
        y = np.rint((0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi))
                    * size).astype(np.int64)
        steps = np.column_stack([np.diff(x, prepend=0), np.diff(y, prepend=0)])
        keep = np.ones(len(steps), dtype=bool)
        keep[1:] = steps[1:].any(axis=1)
        parts.append(steps[keep].ravel().tolist())
    return parts


def _lines(geometry: BaseGeometry) -> list:
    """The rings of polygons and the parts of lines, in order."""
    if geometry.geom_type == "Polygon":
        return [geometry.exterior, *geometry.interiors]
    if geometry.geom_type == "LineString":
        return [geometry]
    return [line for part in geometry.geoms for line in _lines(part)]


def coarse_outlines(shapes: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """The countries for the zooms below DETAIL_ZOOM: neighbours still share every border
    vertex, so no gap or overlap opens; a country whose every part is an islet keeps its
    largest."""
    simplified = shapely.coverage_simplify(list(shapes), COARSE_TOLERANCE)
    smallest = COARSE_TOLERANCE ** 2
    coarse = []
    for shape in simplified:
        parts = sorted(getattr(shape, "geoms", [shape]), key=lambda part: -part.area)
        kept = [part for part in parts if part.area >= smallest] or parts[:1]
        coarse.append(kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept))
    return coarse


# Outside the window drawn at full 1:10m (region.FULL_DETAIL), where scripts/build_basemap.py
# already simplified the outlines to 0.03°, the map rounds the base map to 2 decimals: 0.01°,
# about a kilometre, is a pixel or two at zoom 8, the closest the map goes, and a third of that
# simplification; the file keeps 3 decimals for the validator. Neighbours share their border
# vertices and a vertex rounds the same way in both, so no gap or overlap opens between them.
WEB_DECIMALS = 2
_SPOT = re.compile(r"\[(\S+) (\S+)\]")


def web_outlines(shapes: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """The country shapes as the map draws them: rounded where far from Korea, and valid.

    Rounding can pinch a thin cape or collapse an islet (an invalid polygon, drawn as a spike).
    The vertices around such a spot keep their 3 decimals, in every country that has them, and
    the shapes are rounded again until all are valid, the circle kept growing where a spot
    persists (a long edge crossing it); the shapes as shipped if that never settles.
    """
    west, south, east, north = region.FULL_DETAIL
    spots: list[list[float]] = []  # longitude, latitude, radius in degrees

    def round_far(coords: np.ndarray) -> np.ndarray:
        lon, lat = coords[:, 0], coords[:, 1]
        far = (lon < west) | (lon > east) | (lat < south) | (lat > north)
        for x, y, radius in spots:
            far &= np.maximum(np.abs(lon - x), np.abs(lat - y)) > radius
        rounded = coords.copy()
        rounded[far] = np.round(coords[far], WEB_DECIMALS)
        return rounded

    for _ in range(30):
        rounded = [shapely.transform(shape, round_far) for shape in shapes]
        found = [_SPOT.search(shapely.is_valid_reason(shape)) for shape in rounded
                 if not shape.is_valid]
        if not found:
            return rounded
        for spot in found:
            x, y = float(spot[1]), float(spot[2])
            known = next((s for s in spots if abs(s[0] - x) + abs(s[1] - y) < 1e-9), None)
            if known:
                known[2] *= 2
            else:
                spots.append([x, y, 0.02])
    return list(shapes)


# -- names ---------------------------------------------------------------------------------------
def _name(place, lang: str) -> str:
    """A base-map name in the page's language (English where no other is known)."""
    return place.name_ko if lang == "ko" and place.name_ko else place.name


def _labels(atlas: Atlas, lang: str) -> tuple[_Data, dict[str, int]]:
    """Every name the map shows by itself, as rows for mapview.js:
    [latitude, longitude, min_zoom, kind, anchor, text as HTML]; kind is one of country, river,
    region, town, capital (towns and capitals have a dot). Also the row of each town and region
    by its English name, where a stage marker may sit on its dot."""
    rows, index = [], {}
    for label in atlas.labels:
        if label.kind == "region":
            index[label.name] = len(rows)
        rows.append([label.lat, label.lon, label.min_zoom, label.kind, label.anchor,
                     _text(_name(label, lang))])
    for river, (lon, lat) in _crossing_rivers(atlas):
        rows.append([lat, lon, CROSSING_ZOOM, "river", "center", _text(_name(river, lang))])
    for town in atlas.towns:
        index[town.name] = len(rows)
        rows.append([town.lat, town.lon, town.min_zoom, "capital" if town.capital else "town",
                     town.anchor, _text(_name(town, lang))])
    return _Data("labels", rows), index


# A river is named again beside each crossing area on it, from the zooms at which a crossing
# fills the view (the base map's own river names may then lie outside it): on the river, this
# far along it from the crossing (about 35 km, outside the area and its towns' names), on the
# side farther from other towns and crossings; once for crossings close together.
CROSSING_ZOOM = 7
RIVER_NAME_OFFSET = 0.35  # degrees along the river


def _crossing_rivers(atlas: Atlas) -> list[tuple]:
    """(river, (lon, lat)) for each name of a river beside a crossing area on it."""
    rivers = {river.name: river for river in atlas.rivers}
    others = shapely.MultiPoint([(town.lon, town.lat) for town in atlas.towns]
                                + [(crossing.lon, crossing.lat) for crossing in atlas.crossings])
    placed: list[tuple] = []
    for crossing in atlas.crossings:
        river = rivers.get(crossing.river)
        if river is None:
            continue
        centre = shapely.Point(crossing.lon, crossing.lat)
        line = min(getattr(river.geometry, "geoms", [river.geometry]), key=centre.distance)
        along = line.project(centre)
        point = max((line.interpolate(along + offset) for offset in
                     (RIVER_NAME_OFFSET, -RIVER_NAME_OFFSET)), key=others.distance)
        if all(name is not river or point.distance(at) > 2 * RIVER_NAME_OFFSET
               for name, at in placed):
            placed.append((river, point))
    return [(river, (round(point.x, 2), round(point.y, 2))) for river, point in placed]


# -- what the data draws -------------------------------------------------------------------------
def _route(route: Route, line: style.LineStyle) -> folium.GeoJson:
    features = [{"type": "Feature", "id": f"{route.id}-{index}",
                 "properties": {"mode": leg.mode},
                 "geometry": {"type": "LineString", "coordinates": leg.coordinates}}
                for index, leg in enumerate(route.legs)]

    def leg_style(feature: dict) -> dict:
        air = feature["properties"]["mode"] == "air"
        return {"color": line.colour, "weight": style.AIR_WEIGHT if air else style.LAND_WEIGHT,
                "dashArray": style.AIR_DASH if air else line.dash, "opacity": 0.95,
                "lineCap": "round", "className": f"route route-{route.id}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           style_function=leg_style, control=False,
                           tooltip=folium.Tooltip(_text(route.title)))
    layer._id = "route_" + route.id.replace("-", "_")
    return layer


def _crossings(atlas: Atlas) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Crossing areas")
    group._id = "crossings"
    look = style.CROSSING_STYLE
    for crossing in atlas.crossings:
        label = style.crossing_label(crossing.name, crossing.river)
        folium.Circle((crossing.lat, crossing.lon), radius=style.CROSSING_RADIUS_M,
                      color=look["color"], weight=look["weight"], dash_array=look["dashArray"],
                      fill=True, fill_color=look["fillColor"], fill_opacity=look["fillOpacity"],
                      class_name=f"crossing crossing-{crossing.id}",
                      tooltip=folium.Tooltip(_text(label))).add_to(group)
    return group


def _barriers(atlas: Atlas) -> folium.GeoJson:
    """Fences, walls and guard posts along the border, each under its id (mapview.js's showYear
    is given the ids of those standing in a year)."""
    features = [{"type": "Feature", "id": barrier.id,
                 "properties": {"tooltip": _text(style.barrier_label(barrier.name,
                                                                     barrier.period))},
                 "geometry": mapping(barrier.geometry)}
                for barrier in atlas.barriers]
    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           name="Border fences", smooth_factor=0.5,
                           style_function=lambda feature: {
                               **style.BARRIER_STYLE, "opacity": 1,
                               "className": f"barrier barrier-{feature['id']}"},
                           tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False))
    layer._id = "barriers"
    return layer


def _dmz(atlas: Atlas) -> folium.GeoJson:
    features = [{"type": "Feature", "id": feature.id,
                 "properties": {"kind": feature.kind, "tooltip": _text(style.dmz_label(feature))},
                 "geometry": mapping(feature.geometry)}
                for feature in atlas.dmz]

    def line(feature: dict) -> dict:
        kind = feature["properties"]["kind"]
        return {**style.DMZ_STYLES[kind], "opacity": 1, "className": f"dmz dmz-{kind}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           name="DMZ and sea border", style_function=line,
                           tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False))
    layer._id = "dmz"
    return layer


# -- the page's configuration --------------------------------------------------------------------
def _latlng_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    west, south, east, north = bounds
    return [[south, west], [north, east]]


def _overview_bounds(atlas: Atlas) -> list[list[float]]:
    """All routes at once, or the whole region when there are none yet."""
    if not atlas.routes:
        return _latlng_bounds((region.WEST, region.SOUTH, region.EAST, region.NORTH))
    boxes = [route.bounds for route in atlas.routes]
    return _latlng_bounds((min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[2] for b in boxes), max(b[3] for b in boxes)))


# The names of towns this close to a stage's marker step aside for it (a crossing area's towns).
STAGED_RADIUS = style.CROSSING_RADIUS_M / METRES_PER_DEGREE


def _stages(atlas: Atlas, route: Route, towns: dict[str, int]) -> list[dict]:
    """Each stage as mapview.js shows it: where the map goes (`bounds` or `center`), where its
    numbered marker stands and what it is called, and the rows of the names it stands on (its
    town or region, the towns of its crossing area), which then step aside for the marker."""
    nearby = {town.name: shapely.Point(town.lon, town.lat) for town in atlas.towns}
    stages = []
    for number, (stage, point) in enumerate(
            zip(route.narrative.stages, atlas.stage_points(route), strict=True), start=1):
        place = stage.place
        covered = {name for name, at in nearby.items() if at.distance(point) <= STAGED_RADIUS}
        if place.kind == "point":
            covered.add(place.ref)
        stages.append({**_stage_view(atlas, place),
                       "marker": [round(point.y, 4), round(point.x, 4)],
                       "name": style.stage_label(number, stage.title, atlas.place_name(place)),
                       "names": sorted(towns[name] for name in covered if name in towns)})
    return stages


def _stage_view(atlas: Atlas, place: Place) -> dict:
    """Where the map flies for a stage: a crossing's area, a country's extent, or a town."""
    if place.kind == "crossing":
        crossing = atlas.crossing(place.ref)
        dlat = style.CROSSING_RADIUS_M / METRES_PER_DEGREE
        dlon = dlat / math.cos(math.radians(crossing.lat))
        return {"bounds": [[round(crossing.lat - dlat, 4), round(crossing.lon - dlon, 4)],
                           [round(crossing.lat + dlat, 4), round(crossing.lon + dlon, 4)]]}
    if place.kind == "country":
        return {"bounds": _latlng_bounds(atlas.country(place.ref).shape.bounds)}
    return {"center": [place.lat, place.lon]}
