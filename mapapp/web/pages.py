"""The pages: the map with its routes and stories, statistics, about, and the error pages.

Every page is rendered once per data version and then served from the State's cache; so are the
map's script and the chart, with their compressed forms and ETags (mapapp.web.caching). The script
and the chart are addressed by a digest of their content, so browsers may keep them forever and a
new version gets a new address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from flask import Blueprint, Response, abort, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound

from mapapp import charts, mapbuilder
from mapapp.contract import url_problem
from mapapp.markup import markdown_html
from mapapp.model import Atlas, Route
from mapapp.web.caching import FOREVER, REVALIDATE, Payload, respond
from mapapp.web.security import IMAGE_POLICY, echo
from mapapp.web.site import State, current_state
from mapapp.web.urls import PUBLIC_BASE, page_relative, site_url, with_public_base

bp = Blueprint("pages", __name__)

SITE_NAME = "Escape routes from North Korea"
SITE_DESCRIPTION = ("An interactive, sourced map of the routes North Koreans take to escape, "
                    "each told stage by stage: where, how long, what it risks.")

def map_parts(state: State) -> mapbuilder.MapParts:
    return state.cached("map", lambda: mapbuilder.build_map(
        state.atlas, url_for("leaflet.static", filename="leaflet.js"),
        url_for("leaflet.static", filename="leaflet.css")))


def map_script(state: State) -> Payload:
    return state.cached("map.js", lambda: Payload.of(map_parts(state).script.encode("utf-8"),
                                                     "text/javascript"))


def chart(state: State) -> Payload | None:
    def build() -> Payload | None:
        svg = charts.arrivals_svg(state.atlas.figures)
        return Payload.of(svg.encode("utf-8"), "image/svg+xml") if svg else None

    return state.cached("chart", build)


def cached_page(build: Callable[[State], str], variant: tuple = ()) -> Response:
    """The page at this address (and `variant`: what else it depends on, from a small set),
    rendered on the first request for this data version."""
    state = current_state()
    page = state.cached(("page", request.path, *variant), lambda: _page(build(state)))
    if isinstance(page, str):
        environ = request.environ
        return respond(_hosted(page, environ["wsgi.url_scheme"], environ.get("HTTP_HOST"),
                               environ.get("SCRIPT_NAME", "")), REVALIDATE)
    return respond(page, REVALIDATE)


def _page(html: str) -> Payload | str:
    """The page ready to serve, or its HTML when it names the host the request came to (an embed
    code, where no public address is configured)."""
    return html if PUBLIC_BASE in html else Payload.of(html.encode("utf-8"), "text/html")


@lru_cache(maxsize=32)
def _hosted(html: str, *address: str | None) -> Payload:
    """A page with this request's address filled in, compressed once per address (`address`:
    scheme, Host header and script root, what request.url_root is made of). A site is reached
    under a handful (localhost, its LAN address); one that a client makes up costs one page's
    gzip (never a brotli run) and pushes out the oldest, so memory stays bounded."""
    return Payload.of(with_public_base(html).encode("utf-8"), "text/html", brotli_later=False)


def _serve(asset: Payload | None, digest: str) -> Response:
    if asset is None or digest != asset.digest:
        abort(404)
    return respond(asset, FOREVER)


bp.add_app_template_filter(markdown_html, "markdown")  # data → trusted HTML: sanitised


@bp.app_template_filter("http_url")
def http_url_filter(url: str) -> str | None:
    """The address if it is http(s), else None: the validator already refuses other schemes; this
    keeps a `javascript:` link out of a page even if an Atlas were ever built around it."""
    return url if isinstance(url, str) and url_problem(url) is None else None


@bp.app_template_filter("page_relative")
def page_relative_filter(url: str) -> str:
    """For URLs built in Python (folium's asset links): relative in the static export."""
    return page_relative(url)


@bp.app_template_global("role_label")
def role_label(role: str | None) -> str:
    """A country's role in words, as the map's tooltips and legend say it."""
    return mapbuilder.ROLE_LABELS.get(role, "")


@bp.app_template_filter("country_name")
def country_name_filter(iso3: str) -> str:
    country = current_state().atlas.country(iso3)
    return country.name if country else iso3


@bp.app_template_filter("period")
def period_filter(period: tuple[int, int | None]) -> str:
    start, end = period
    return f"{start}–{end}" if end else f"since {start}"


@bp.app_context_processor
def site_context() -> dict:
    return {"site_name": SITE_NAME, "site_description": SITE_DESCRIPTION,
            "state": current_state()}


def map_context(state: State) -> dict:
    """What templates/_map_assets.html and _map_scripts.html need to draw the map."""
    return {"map": map_parts(state),
            "map_script_url": site_url("pages.map_script_file", digest=map_script(state).digest)}


def _map_page(state: State, route: Route | None) -> str:
    atlas = state.atlas
    return render_template(
        "index.html", atlas=atlas, route=route, **map_context(state),
        cumulative=(atlas.series("cumulative") or (None,))[-1],
    )


@bp.get("/")
def index() -> Response:
    return cached_page(lambda state: _map_page(state, None))


@bp.get("/routes/<route_id>")
def route(route_id: str) -> Response:
    chosen = current_state().atlas.route(route_id)
    if chosen is None:
        raise NotFound(f"There is no route called “{echo(route_id)}”.")
    return cached_page(lambda state: _map_page(state, chosen))


@bp.get("/statistics")
def statistics() -> Response:
    def build(state: State) -> str:
        figures = state.atlas.figures
        arrivals = charts.arrivals_rows(figures)
        image = chart(state)
        return render_template(
            "statistics.html", arrivals=arrivals, others=charts.other_figures(figures),
            sources=charts.sources(figures), labels=charts.SERIES_LABELS,
            chart_url=site_url("pages.chart_file", digest=image.digest) if image else None,
            chart_size=charts.CHART_PIXELS,
            chart_description=charts.describe_arrivals(arrivals) if arrivals else "")

    return cached_page(build)


@bp.get("/about")
def about() -> Response:
    return cached_page(lambda state: render_template(
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
