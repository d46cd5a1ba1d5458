"""The pages: the map with its routes and stories, statistics, about, and the error pages.

Every page is rendered once per data version and then served from the State's cache; so are the
map's script and the chart. Both are addressed by a digest of their content, so browsers may keep
them forever and a new version gets a new address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, NotFound

from mapapp import charts, mapbuilder
from mapapp.model import Atlas, Route
from mapapp.narrative import render_markdown
from mapapp.web.security import IMAGE_POLICY
from mapapp.web.site import State, current_state

bp = Blueprint("pages", __name__)

SITE_NAME = "Escape routes from North Korea"
SITE_DESCRIPTION = ("An interactive, sourced map of the routes North Koreans take to escape, "
                    "each told stage by stage: where, how long, what it risks.")
FOREVER = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    """A file built from the data, served from memory under a digest of its content."""

    body: bytes
    digest: str
    mimetype: str

    @classmethod
    def of(cls, text: str, mimetype: str) -> Asset:
        body = text.encode("utf-8")
        return cls(body, hashlib.sha256(body).hexdigest()[:16], mimetype)


def map_parts(state: State) -> mapbuilder.MapParts:
    return state.cached("map", lambda: mapbuilder.build_map(
        state.atlas, url_for("leaflet.static", filename="leaflet.js"),
        url_for("leaflet.static", filename="leaflet.css")))


def map_script(state: State) -> Asset:
    return state.cached("map.js", lambda: Asset.of(map_parts(state).script,
                                                   "text/javascript"))


def chart(state: State) -> Asset | None:
    def build() -> Asset | None:
        svg = charts.arrivals_svg(state.atlas.figures)
        return Asset.of(svg, "image/svg+xml") if svg else None

    return state.cached("chart", build)


def _cached_page(build: Callable[[State], str]) -> Response:
    """The page at this address, rendered on the first request for this data version."""
    state = current_state()
    html = state.cached(("page", request.path), lambda: build(state))
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _serve(asset: Asset | None, digest: str) -> Response:
    if asset is None or digest != asset.digest:
        abort(404)
    response = Response(asset.body, mimetype=asset.mimetype)
    response.headers["Cache-Control"] = FOREVER
    return response


@bp.app_template_filter("render_markdown")
def render_markdown_filter(text: str) -> Markup:
    """The one place where data becomes trusted HTML: through the sanitiser."""
    return Markup(render_markdown(text))


@bp.app_template_filter("period")
def period_filter(period: tuple[int, int | None]) -> str:
    start, end = period
    return f"{start}–{end}" if end else f"since {start}"


@bp.app_context_processor
def site_context() -> dict:
    return {"site_name": SITE_NAME, "site_description": SITE_DESCRIPTION,
            "state": current_state()}


def _map_page(state: State, route: Route | None) -> str:
    atlas = state.atlas
    parts = map_parts(state)
    return render_template(
        "index.html", atlas=atlas, route=route, map=parts,
        map_script_url=url_for("pages.map_script_file", digest=map_script(state).digest),
        cumulative=(atlas.series("cumulative") or (None,))[-1],
    )


@bp.get("/")
def index() -> Response:
    return _cached_page(lambda state: _map_page(state, None))


@bp.get("/routes/<route_id>")
def route(route_id: str) -> Response:
    chosen = current_state().atlas.route(route_id)
    if chosen is None:
        raise NotFound(f"There is no route called “{route_id}”.")
    return _cached_page(lambda state: _map_page(state, chosen))


@bp.get("/statistics")
def statistics() -> Response:
    def build(state: State) -> str:
        figures = state.atlas.figures
        arrivals = charts.arrivals_rows(figures)
        image = chart(state)
        return render_template(
            "statistics.html", arrivals=arrivals, others=charts.other_figures(figures),
            sources=charts.sources(figures), labels=charts.SERIES_LABELS,
            chart_url=url_for("pages.chart_file", digest=image.digest) if image else None,
            chart_size=charts.CHART_PIXELS,
            chart_description=charts.describe_arrivals(arrivals) if arrivals else "")

    return _cached_page(build)


@bp.get("/about")
def about() -> Response:
    return _cached_page(lambda state: render_template(
        "about.html", sources=all_sources(state.atlas),
        crossing_radius_km=mapbuilder.CROSSING_RADIUS_M // 1000,
        max_zoom=mapbuilder.MAX_ZOOM))


def all_sources(atlas: Atlas) -> list:
    """Every source the data cites, once each, by publisher and title."""
    cited = [source for route in atlas.routes for source in route.sources]
    cited += [source for route in atlas.routes for stage in route.narrative.stages
              for source in stage.sources]
    for group in (atlas.crossings, atlas.described_countries, atlas.dmz):
        cited += [source for item in group for source in item.sources]
    cited += [figure.source for figure in atlas.figures]
    return sorted(set(cited), key=lambda s: (s.publisher.casefold(), s.title.casefold(), s.year))


@bp.get("/map/<digest>.js")
def map_script_file(digest: str) -> Response:
    return _serve(map_script(current_state()), digest)


@bp.get("/charts/arrivals-<digest>.svg")
def chart_file(digest: str) -> Response:
    response = _serve(chart(current_state()), digest)
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    return response


ERROR_TITLES = {404: "Page not found", 405: "Not allowed here", 500: "Something went wrong"}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """A page with a way back for every error, with the status and headers (Allow) it needs."""
    code = error.code or 500
    default = type(error).description
    message = error.description if error.description != default else {
        404: "There is nothing at this address.",
        405: f"This address does not accept {request.method} requests.",
    }.get(code, "The server could not answer this request.")
    html = render_template("error.html", code=code, title=ERROR_TITLES.get(code, error.name),
                           message=message)
    response = Response(html, status=code, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
