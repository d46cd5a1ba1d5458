"""The data as JSON: the list of routes, one GeoJSON file per layer, and a health check.

Layers are RFC 7946: WGS84 longitude/latitude, no `crs` member, exterior rings
counter-clockwise. Countries carry the base map's shape, so a tool gets whole polygons. Each
payload is serialised and compressed once per data version (mapapp.web.caching).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache

import shapely
from flask import Response, abort, g, request, url_for
from flask_babel import gettext
from shapely.geometry import mapping

from mapapp import paths
from mapapp.contract import Source
from mapapp.markup import first_sentence
from mapapp.model import Atlas, Event, Place, Route
from mapapp.web.caching import REVALIDATE, Payload, respond
from mapapp.web.rendering import SiteBlueprint, uncached
from mapapp.web.security import echo
from mapapp.web.site import current_state
from mapapp.web.years import year_or_404

bp = SiteBlueprint("api", __name__, localized=False)  # in a language with ?lang=
GEOJSON = "application/geo+json"
PROBLEMS_HEADER = "X-Data-Problems"  # docs/openapi.yaml


def _sources(sources: Iterable[Source]) -> list[dict]:
    """Sources as the API gives them: `via` (where a copy was read) only when there is one."""
    return [{"title": s.title, "publisher": s.publisher, "year": s.year, "url": s.url,
             **({"via": s.via} if s.via else {})} for s in sources]


def rfc7946_geometry(shape) -> dict:
    """GeoJSON geometry with exterior rings counter-clockwise and holes clockwise."""
    return mapping(shapely.orient_polygons(shape))


def _feature(feature_id: str, properties: dict, shape) -> dict:
    return {"type": "Feature", "id": feature_id, "properties": properties,
            "geometry": rfc7946_geometry(shape) if shape is not None else None}


def _place(place: Place) -> dict:
    if place.kind == "point":
        return {"kind": "point", "name": place.ref, "lat": place.lat, "lon": place.lon}
    return {"kind": place.kind, "ref": place.ref}


def _route_properties(route: Route) -> dict:
    start, end = route.period
    return {"layer": "route", "title": route.title, "summary": route.summary,
            "countries": list(route.countries), "crossings": list(route.crossings),
            "period": {"from": start, "to": end}, "modes": [leg.mode for leg in route.legs],
            "confidence": route.confidence, "sources": _sources(route.sources)}


def routes_layer(atlas: Atlas) -> list[dict]:
    return [_feature(r.id, _route_properties(r), r.geometry) for r in atlas.routes]


def crossings_layer(atlas: Atlas) -> list[dict]:
    return [_feature(c.id, {"layer": "crossing", "name": c.name, "river": c.river,
                            "countries": list(c.countries), "confidence": c.confidence,
                            "sources": _sources(c.sources)},
                     shapely.Point(c.lon, c.lat)) for c in atlas.crossings]


def countries_layer(atlas: Atlas) -> list[dict]:
    return [_feature(c.iso3, {"layer": "country", "iso3": c.iso3, "name": c.name,
                              "role": c.role, "policy": c.policy, "confidence": c.confidence,
                              "sources": _sources(c.sources)}, c.shape)
            for c in atlas.described_countries]


def dmz_layer(atlas: Atlas) -> list[dict]:
    return [_feature(d.id, {"layer": "dmz", "name": d.name, "kind": d.kind,
                            "schematic": d.schematic, "disputed": d.disputed,
                            "confidence": d.confidence, "sources": _sources(d.sources)},
                     d.geometry) for d in atlas.dmz]


def barriers_layer(atlas: Atlas) -> list[dict]:
    return [_feature(b.id, {"layer": "barrier", "name": b.name,
                            "period": {"from": b.period[0], "to": b.period[1]},
                            "summary": b.summary, "confidence": b.confidence,
                            "sources": _sources(b.sources)}, b.geometry) for b in atlas.barriers]


def _event_properties(event: Event) -> dict:
    return {"layer": "event", "year": event.year, "month": event.month, "title": event.title,
            "summary": event.summary, "routes": list(event.routes),
            "chart_label": event.chart_label, "confidence": event.confidence,
            "sources": _sources(event.sources)}


def events_layer(atlas: Atlas) -> list[dict]:
    return [_feature(e.id, _event_properties(e), shapely.Point(e.point) if e.point else None)
            for e in atlas.events]


LAYERS: dict[str, Callable[[Atlas], list[dict]]] = {
    "routes": routes_layer, "crossings": crossings_layer,
    "countries": countries_layer, "dmz": dmz_layer,
    "barriers": barriers_layer, "events": events_layer,
}


def _json(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@bp.page("/api/routes.json")
def routes() -> Response:
    """Every route, or with `?year=` the routes in use that year (404 for a year the map does
    not cover)."""
    state = current_state()
    text = request.args.get("year")
    year = None if text is None else year_or_404(state, text)
    chosen = state.atlas.routes_in_use(year) if year else state.atlas.routes

    def build() -> bytes:
        return _json([{"id": route.id, **_route_properties(route),
                       "bounds": list(route.bounds),
                       "url": url_for("pages.route", route_id=route.id),
                       "content_note": route.narrative.content_note,
                       "stages": [{"title": stage.title, "place": _place(stage.place),
                                   "duration": stage.duration, "dangers": stage.dangers,
                                   "cost": stage.cost, "confidence": stage.confidence}
                                  for stage in route.narrative.stages]}
                      for route in chosen])

    return respond(state.cached(("api.routes", year),
                                lambda: Payload.of(build(), "application/json")), REVALIDATE)


@bp.page("/api/events.json")
def events() -> Response:
    """The dated events in order, each with its place (or null), the routes it changed, its
    sources, and where the site shows it."""
    state = current_state()

    def build() -> bytes:
        return _json([{"id": event.id, **_event_properties(event),
                       "place": ({"lon": event.point[0], "lat": event.point[1]}
                                 if event.point else None),
                       "url": url_for("pages.timeline", _anchor=event.id),
                       "map_url": url_for("pages.year", year=event.year)}
                      for event in state.atlas.events])

    return respond(state.cached("api.events", lambda: Payload.of(build(), "application/json")),
                   REVALIDATE)


@bp.page("/api/context.json")
def context() -> Response:
    """The context chapter: why people leave, and why most cannot (Markdown texts)."""
    state = current_state()
    chapter = state.atlas.context
    if chapter is None:
        abort(404, gettext("The data has no context chapter."))

    def build() -> bytes:
        return _json({"title": chapter.title, "content_note": chapter.content_note,
                      "questions": list(chapter.questions), "intro": chapter.intro,
                      "url": url_for("pages.index", _anchor="context"),
                      "sections": [{"title": section.title, "body": section.body,
                                    "sources": _sources(section.sources)}
                                   for section in chapter.sections]})

    return respond(state.cached("api.context", lambda: Payload.of(build(), "application/json")),
                   REVALIDATE)


@bp.page("/api/glossary.json")
def glossary() -> Response:
    """Every glossary entry: its id, the term, its short definition and explanation."""
    state = current_state()

    def build() -> bytes:
        terms = state.atlas.glossary.terms if state.atlas.glossary else ()
        return _json([{"id": term.id, "term": term.term, "definition": first_sentence(term.body),
                       "body": term.body, "url": url_for("pages.glossary", _anchor=term.id),
                       "sources": _sources(term.sources)} for term in terms])

    return respond(state.cached("api.glossary", lambda: Payload.of(build(), "application/json")),
                   REVALIDATE)


@bp.page("/api/layers/<layer>.geojson", export=lambda state: ({"layer": name} for name in LAYERS))
def layer(layer: str) -> Response:
    if layer not in LAYERS:
        abort(404, gettext("There is no layer called “%(name)s”: the layers are %(layers)s.",
                           name=echo(layer), layers=", ".join(LAYERS)))
    state = current_state()
    payload = state.cached(("api.layer", layer), lambda: Payload.of(_json(
        {"type": "FeatureCollection", "features": LAYERS[layer](state.atlas)}), GEOJSON))
    return respond(payload, REVALIDATE)


@cache
def _openapi() -> bytes:
    return paths.openapi_path().read_bytes()


@bp.page("/api/openapi.yaml", export=False)
def openapi() -> Response:
    """docs/openapi.yaml: what tests/test_openapi.py holds the app to."""
    return uncached(_openapi(), "application/yaml")


@bp.after_request
def warn_of_problems(response: Response) -> Response:
    """While the data on disk has problems (mapapp serve --debug), every answer says that it
    comes from the last valid version, as the pages' banner does."""
    state = g.get("mapapp_state")
    if state is not None and state.problems:
        response.headers[PROBLEMS_HEADER] = (
            f"{len(state.problems)} problem(s) in the data on disk; this is the last valid "
            f"version, {state.atlas.version}")
    return response


@bp.page("/healthz", export=False)
def healthz() -> Response:
    state = current_state()
    # "problems": the files on disk have problems, and an older, valid version is served.
    return uncached(_json({"status": "problems" if state.problems else "ok",
                           "version": state.atlas.version,
                           "routes": len(state.atlas.routes),
                           "problems": len(state.problems)}), "application/json")
