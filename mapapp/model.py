"""The dataset as the site sees it: immutable, checked, and built once per data version.

`load_atlas` reads, parses and checks the data (mapapp.loading, mapapp.parsing,
mapapp.validation) and, only when nothing is wrong, builds frozen dataclasses from the parsed
documents. The map builder, the charts and the web layer see nothing but the Atlas, so the
GeoJSON is parsed once and a half-valid dataset never reaches a page. Stages, the context
chapter, the glossary and figures are the parsers' own frozen records (mapapp.narrative,
mapapp.statistics), re-exported here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from mapapp.basemap import REBUILD_HINT, BasemapError, layer_features, load_basemap
from mapapp.catalogue import Catalogue
from mapapp.contract import Source, in_period, this_year
from mapapp.guide import Guide
from mapapp.loading import LoadError, load_dataset, translation_file
from mapapp.narrative import Chapter, Glossary, Narrative, Page, Place, Section, Stage, Term
from mapapp.parsing import Feature, Parsed, parse
from mapapp.statistics import Figure
from mapapp.translation import LANGUAGES, SOURCE_LANGUAGE, English, in_language
from mapapp.validation import Problem, check
from mapapp.wording import counted

__all__ = ["Atlas", "AtlasError", "Barrier", "Chapter", "Country", "Crossing", "DmzFeature",
           "Event", "Figure", "Glossary", "Label", "Leg", "Page", "Place", "River", "Route",
           "Section", "Stage", "Term", "Town", "load_atlas"]

Bounds = tuple[float, float, float, float]  # west, south, east, north
Period = tuple[int, int | None]  # first year, last year (None: still in use)
T = TypeVar("T")


class AtlasError(LoadError):
    """The data has problems; the message is one line, the problems are all in `.problems`."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        first = problems[0].as_text().splitlines()[0] if problems else "no details"
        more = counted("%(num)d problem", "%(num)d problems", len(problems))
        super().__init__(f"the data has {more}; the first: {first} (run `mapapp validate`)")


@dataclass(frozen=True)
class Leg:
    """One part of a route, drawn in travel order; air legs are drawn differently."""

    mode: str  # land, sea or air
    coordinates: tuple[tuple[float, float], ...]  # (longitude, latitude)


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    summary: str
    countries: tuple[str, ...]  # ISO3 codes in travel order
    crossings: tuple[str, ...]  # crossing ids
    period: Period
    legs: tuple[Leg, ...]
    confidence: str | None
    sources: tuple[Source, ...]
    narrative: Narrative
    geometry: BaseGeometry

    @property
    def bounds(self) -> Bounds:
        return tuple(self.geometry.bounds)

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(leg.mode for leg in self.legs))

    def in_use(self, year: int) -> bool:
        return in_period(self.period, year)


@dataclass(frozen=True)
class Crossing:
    """The centre of a crossing area; the map draws an area around it, never a spot."""

    id: str
    name: str
    river: str
    countries: tuple[str, str]
    lon: float
    lat: float
    confidence: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Country:
    """A country of the base map; `role` and the rest are set when the data describes it."""

    iso3: str
    name: str
    shape: BaseGeometry
    role: str | None = None
    policy: str | None = None
    confidence: str | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class DmzFeature:
    """The zone (a polygon), the Military Demarcation Line or the Northern Limit Line."""

    id: str
    name: str
    kind: str  # zone, mdl or nll
    schematic: bool
    disputed: bool
    confidence: str | None
    sources: tuple[Source, ...]
    geometry: BaseGeometry


@dataclass(frozen=True)
class River:
    """A river of the base map, drawn under the routes; `min_zoom`: the first zoom at which it
    is long enough on the screen to matter."""

    name: str
    name_ko: str
    min_zoom: float
    geometry: BaseGeometry


@dataclass(frozen=True)
class Town:
    """A town the base map names: a stage's or a crossing's (`on_route`), a capital or an
    orientation town. Its name shows from `min_zoom` on the `anchor` side of its dot (Leaflet's
    tooltip directions), where the base-map build found room for it."""

    name: str
    name_ko: str
    country: str  # ISO3
    capital: bool
    on_route: bool
    min_zoom: float
    anchor: str  # left, right, top, bottom or center
    lon: float
    lat: float


@dataclass(frozen=True)
class Label:
    """A name standing on the map by itself: a country's, a river's or a region's."""

    kind: str  # country, river or region
    name: str
    name_ko: str
    iso3: str | None  # countries only
    min_zoom: float
    anchor: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Barrier:
    """A stretch of border as it hardened (a fence, a wall, guard posts), drawn along it."""

    id: str
    name: str
    period: Period
    summary: str | None
    confidence: str | None
    sources: tuple[Source, ...]
    geometry: BaseGeometry

    def in_use(self, year: int) -> bool:
        """Whether it stood in that year (contract.in_period, the rule routes follow too)."""
        return in_period(self.period, year)


@dataclass(frozen=True)
class Event:
    """A dated event that changed the routes, at the town it happened in or nowhere."""

    id: str
    year: int
    month: int | None
    title: str
    summary: str
    routes: tuple[str, ...]  # ids of the routes it changed
    point: tuple[float, float] | None  # (longitude, latitude)
    chart_label: str | None  # its mark on the arrivals chart, when it explains a change there
    confidence: str | None
    sources: tuple[Source, ...]

    @property
    def decade(self) -> int:
        return self.year - self.year % 10


@dataclass(frozen=True)
class Atlas:
    version: str  # a short hash of every input file: changes whenever any of them does
    path: Path
    routes: tuple[Route, ...]
    crossings: tuple[Crossing, ...]
    countries: tuple[Country, ...]  # every base-map country, described or not
    dmz: tuple[DmzFeature, ...]
    figures: tuple[Figure, ...]
    rivers: tuple[River, ...]  # the base map's layers over the countries; () if not built
    towns: tuple[Town, ...]
    labels: tuple[Label, ...]
    context: Chapter | None  # why people leave, and why most cannot (None: no data/context.md)
    glossary: Glossary | None
    further_reading: Page | None  # organisations, articles, reports and books, for /about
    barriers: tuple[Barrier, ...] = ()
    guide: Guide | None = None  # the teachers' guide (None: no data/teach.md)
    events: tuple[Event, ...] = ()  # by date: year, then month (a year's undated ones first)
    language: str = SOURCE_LANGUAGE  # of every text: English, the data's own, or a translation's
    editions: Mapping[str, Atlas] = field(default_factory=dict, repr=False, compare=False)

    def edition(self, language: str) -> Atlas:
        """The whole Atlas in `language`: each text translated where the language's catalogue
        has it, else English (mapapp.translation.English); base-map names in that language."""
        return self if language == self.language else self.editions[language]

    def route(self, route_id: str) -> Route | None:
        return next((route for route in self.routes if route.id == route_id), None)

    def crossing(self, crossing_id: str) -> Crossing | None:
        return next((crossing for crossing in self.crossings if crossing.id == crossing_id), None)

    def country(self, iso3: str) -> Country | None:
        return next((country for country in self.countries if country.iso3 == iso3), None)

    def place_name(self, place: Place) -> str:
        """A stage's place in words: the crossing's or country's name, or the town's."""
        if place.kind == "crossing":
            return self.crossing(place.ref).name
        if place.kind == "country":
            return self.country(place.ref).name
        return place.ref

    def stage_points(self, route: Route) -> tuple[Point, ...]:
        """Where each stage of a route is on a map (the numbers of the web map and the handout):
        its town, its crossing's centre, or for a stage placed in a whole country, a point of
        the route's part inside that country (of the country itself if the line never enters
        it)."""
        points = []
        for stage in route.narrative.stages:
            place = stage.place
            if place.kind == "crossing":
                crossing = self.crossing(place.ref)
                points.append(Point(crossing.lon, crossing.lat))
            elif place.kind == "country":
                country = self.country(place.ref).shape
                inside = route.geometry.intersection(country)
                points.append((inside if not inside.is_empty else country).representative_point())
            else:
                points.append(Point(place.lon, place.lat))
        return tuple(points)

    @property
    def described_countries(self) -> tuple[Country, ...]:
        """The countries the data describes (those with a role), in base-map order."""
        return tuple(country for country in self.countries if country.role)

    def series(self, name: str) -> tuple[Figure, ...]:
        return tuple(sorted((f for f in self.figures if f.series == name), key=lambda f: f.period))

    # -- time: what the map shows in a year (DESIGN 3, /years/<year>) ------------------------------
    @property
    def years(self) -> range:
        """The years the map can be shown in: from the first event (or, without events, the
        first year a route was used) to this year."""
        starts = ([event.year for event in self.events]
                  or [route.period[0] for route in self.routes])
        return range(min(starts, default=this_year()), this_year() + 1)

    @property
    def event_years(self) -> tuple[int, ...]:
        return tuple(sorted({event.year for event in self.events}))

    def routes_in_use(self, year: int) -> tuple[Route, ...]:
        return tuple(route for route in self.routes if route.in_use(year))

    def barriers_standing(self, year: int) -> tuple[Barrier, ...]:
        return tuple(barrier for barrier in self.barriers if barrier.in_use(year))

    def events_in(self, year: int) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.year == year)


def load_atlas(path: Path | str | None = None) -> Atlas:
    """Read, check and build. Raises a LoadError: DataError (unreadable GeoJSON), BasemapError
    (broken base map) or AtlasError (any problem the validator finds): the site never shows
    half-valid data."""
    parsed = parse(load_dataset(path))
    problems = [problem for problem in check(parsed).problems if problem.is_error]
    if problems:  # warnings (text not yet translated) do not stop the site
        raise AtlasError(problems)
    return build(parsed)


def build(parsed: Parsed) -> Atlas:
    """The Atlas of parsed data in which the validator found no problem, in English, holding
    its editions in every other language the site has."""
    return dataclasses.replace(_atlas(in_language(parsed, SOURCE_LANGUAGE)), editions={
        language: _edition(parsed, language) for language in LANGUAGES[1:]})


def _edition(parsed: Parsed, language: str) -> Atlas:
    """The Atlas in another language: the data's texts through its catalogue (none yet: all
    English), the base map's names in that language where the base-map build has them."""
    catalogue = parsed.catalogues.get(language) or Catalogue(
        language, translation_file(parsed.document.path, language))
    atlas = _atlas(in_language(parsed, language, catalogue))
    key = f"name_{language}"

    def named(item: T) -> T:
        return dataclasses.replace(item, name=getattr(item, key, "") or English(item.name))

    country_names = {label.iso3: getattr(label, key, "") for label in atlas.labels
                     if label.kind == "country"}
    return dataclasses.replace(
        atlas, language=language, rivers=tuple(map(named, atlas.rivers)),
        towns=tuple(map(named, atlas.towns)), labels=tuple(map(named, atlas.labels)),
        countries=tuple(country if country.role else dataclasses.replace(
            country, name=country_names.get(country.iso3) or English(country.name))
            for country in atlas.countries))


def _atlas(parsed: Parsed) -> Atlas:
    layers: dict[str | None, list[Feature]] = {}
    for feature in parsed.features:
        layers.setdefault(feature.layer, []).append(feature)
    described = {feature.properties["iso3"]: feature.properties
                 for feature in layers.get("country", ())}
    dataset = parsed.dataset
    basemap = load_basemap(dataset.basemap_path)
    return Atlas(
        version=dataset.version(),
        path=Path(dataset.geojson.path),
        routes=tuple(_route(feature, parsed.narratives[feature.id])
                     for feature in layers.get("route", ())),
        crossings=tuple(_crossing(feature) for feature in layers.get("crossing", ())),
        countries=tuple(_country(iso3, name, shape, described.get(iso3))
                        for iso3, name, shape in basemap.itertuples(index=False)),
        dmz=tuple(_dmz(feature) for feature in layers.get("dmz", ())),
        figures=parsed.figures,
        rivers=_base_layer(dataset.basemap.get("rivers"), _river),
        towns=_base_layer(dataset.basemap.get("towns"), _town),
        labels=_base_layer(dataset.basemap.get("labels"), _label),
        context=parsed.context,
        glossary=parsed.glossary,
        further_reading=parsed.further_reading,
        guide=parsed.guide,
        barriers=tuple(_barrier(feature) for feature in layers.get("barrier", ())),
        events=tuple(sorted((_event(feature) for feature in layers.get("event", ())),
                            key=lambda event: (event.year, event.month or 0))),
    )


def _base_layer(path: Path | None, make: Callable[[dict], T]) -> tuple[T, ...]:
    """A layer of the base map over the countries, () when it has not been built."""
    try:
        return tuple(make(feature) for feature in layer_features(path))
    except (KeyError, TypeError, ValueError) as exc:  # not as scripts/build_basemap.py writes it
        raise BasemapError(f"base map layer {path} is not usable ({type(exc).__name__}: {exc}); "
                           f"{REBUILD_HINT}") from None


def _sources(props: dict) -> tuple[Source, ...]:
    return tuple(Source(s["title"], s["publisher"], s["year"], s["url"], s.get("via"))
                 for s in props["sources"])


def _route(feature: Feature, narrative: Narrative) -> Route:
    props, shape = feature.properties, feature.shape
    parts = list(getattr(shape, "geoms", [shape]))
    modes = props.get("modes") or ["land"] * len(parts)
    legs = tuple(Leg(mode, tuple((x, y) for x, y, *_ in part.coords))
                 for mode, part in zip(modes, parts, strict=True))
    return Route(feature.id, props["title"], props["summary"], tuple(props["countries"]),
                 tuple(props["crossings"]), _period(props), legs,
                 props.get("confidence"), _sources(props), narrative, shape)


def _crossing(feature: Feature) -> Crossing:
    props = feature.properties
    return Crossing(feature.id, props["name"], props["river"], tuple(props["countries"]),
                    feature.shape.x, feature.shape.y, props.get("confidence"), _sources(props))


def _country(iso3: str, name: str, shape: BaseGeometry, props: dict | None) -> Country:
    if props is None:
        return Country(iso3, name, shape)
    return Country(iso3, props["name"], shape, props["role"], props["policy"],
                   props.get("confidence"), _sources(props))


def _river(feature: dict) -> River:
    props = feature["properties"]
    return River(props["name"], props["name_ko"], props["min_zoom"], shape(feature["geometry"]))


def _town(feature: dict) -> Town:
    props, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"]
    return Town(props["name"], props["name_ko"], props["country"], props["capital"],
                props["route"], props["min_zoom"], props["anchor"], lon, lat)


def _label(feature: dict) -> Label:
    props, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"]
    return Label(props["kind"], props["name"], props["name_ko"], props.get("iso3"),
                 props["min_zoom"], props["anchor"], lon, lat)


def _period(props: dict) -> Period:
    return props["period"]["from"], props["period"]["to"]


def _barrier(feature: Feature) -> Barrier:
    props = feature.properties
    return Barrier(feature.id, props["name"], _period(props), props.get("summary"),
                   props.get("confidence"), _sources(props), feature.shape)


def _event(feature: Feature) -> Event:
    props, point = feature.properties, feature.shape
    return Event(feature.id, props["year"], props.get("month"), props["title"], props["summary"],
                 tuple(props.get("routes", ())), (point.x, point.y) if point else None,
                 props.get("chart_label"), props.get("confidence"), _sources(props))


def _dmz(feature: Feature) -> DmzFeature:
    props = feature.properties
    return DmzFeature(feature.id, props["name"], props["kind"], bool(props.get("schematic")),
                      bool(props.get("disputed")), props.get("confidence"), _sources(props),
                      feature.shape)
