"""What every blueprint shares to render its pages: the page cache, the map and the chart built
once per data version, "route or 404", and the template filters and globals.

Pages are declared with `SiteBlueprint.page`, which also records which addresses of the page
the static export writes (mapapp/export.py asks every blueprint): a new page is exported by
declaring it once, where it is served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, request, url_for
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from mapapp import charts, mapbuilder, style
from mapapp.contract import url_problem
from mapapp.markup import first_sentence, markdown_html
from mapapp.model import Route
from mapapp.translation import LANGUAGES, SOURCE_LANGUAGE
from mapapp.web import i18n, years
from mapapp.web.caching import FOREVER, REVALIDATE, Payload, respond
from mapapp.web.security import echo
from mapapp.web.site import State, current_state
from mapapp.web.urls import PUBLIC_BASE, page_relative, site_url, with_public_base

# Lazy: evaluated where they are shown, in the page's language.
SITE_NAME = lazy_gettext("Escape routes from North Korea")
SITE_DESCRIPTION = lazy_gettext("An interactive, sourced map of the routes North Koreans take to "
                                "escape, each told stage by stage: where, how long, what it risks.")
Addresses = Callable[[State], Iterable[dict]]  # the values of each exported page's address


class SiteBlueprint(Blueprint):
    """A blueprint whose pages say which of their addresses the static export writes, each page
    in every language of the site (mapapp.web.i18n): `/about` and `/ko/about`. A `localized=False`
    blueprint (the API) has one address per page and takes the language from `?lang=`."""

    def __init__(self, *args, localized: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.exported: list[tuple[str, Addresses]] = []
        self.localized = localized
        self.localized_endpoints: set[str] = set()
        if localized:
            self.url_value_preprocessor(i18n.take_language)
            self.url_defaults(i18n.language_defaults(self.localized_endpoints))
        else:
            self.url_value_preprocessor(i18n.query_language)

    def page(self, rule: str, *, export: Addresses | bool = True, **options):
        """`bp.get(rule)` (and its twin in every other language), and the export writes the
        page: once (`export=True`, an address without variables), for each values dict
        `export(state)` yields, or not (False); in every language."""
        def decorator(view: Callable) -> Callable:
            endpoint = options.pop("endpoint", view.__name__)
            defaults = options.pop("defaults", None) or {}
            if self.localized:
                self.localized_endpoints.add(f"{self.name}.{endpoint}")
                for language in LANGUAGES:
                    self.get(i18n.prefixed(rule, language), endpoint=endpoint,
                             defaults={**defaults, i18n.PARAMETER: language}, **options)(view)
            else:
                self.get(rule, endpoint=endpoint, defaults=defaults, **options)(view)
            if export:
                self.exported.append((f"{self.name}.{endpoint}",
                                      export if callable(export) else lambda state: ({},)))
            return view
        return decorator

    def export_addresses(self, state: State) -> Iterator[tuple[str, dict]]:
        """Every exported address of the blueprint's pages, in every language (each edition's
        own values: a map script's digest differs by language)."""
        for language in LANGUAGES if self.localized else (SOURCE_LANGUAGE,):
            edition = state.edition(language)
            for endpoint, addresses in self.exported:
                for values in addresses(edition):
                    yield endpoint, ({**values, i18n.PARAMETER: language} if self.localized
                                     else values)


def each_route(state: State) -> Iterator[dict]:
    """The export's addresses for a page per route."""
    return ({"route_id": route.id} for route in state.atlas.routes)


def route_or_404(state: State, route_id: str) -> Route:
    route = state.atlas.route(route_id)
    if route is None:
        raise NotFound(gettext("There is no route called “%(id)s”.", id=echo(route_id)))
    return route


# -- built once per data version -------------------------------------------------------------------
def map_parts(state: State) -> mapbuilder.MapParts:
    """The map in the State's language (its names and wording), built once per State."""
    return state.cached("map", lambda: mapbuilder.build_map(
        state.atlas, url_for("leaflet.static", filename="leaflet.js"),
        url_for("leaflet.static", filename="leaflet.css"), state.atlas.language))


def map_script(state: State) -> Payload:
    return state.cached("map.js", lambda: Payload.of(map_parts(state).script.encode("utf-8"),
                                                     "text/javascript"))


def map_detail_script(state: State) -> Payload:
    """The countries in full detail, which static/js/mapview.js loads when the reader zooms in."""
    return state.cached("map-detail.js", lambda: Payload.of(
        map_parts(state).detail_script.encode("utf-8"), "text/javascript"))


def chart(state: State) -> Payload | None:
    def build() -> Payload | None:
        marks = [(event.year, event.chart_label) for event in years.chart_marks(state.atlas)]
        svg = charts.arrivals_svg(state.atlas.figures, marks)
        return Payload.of(svg.encode("utf-8"), "image/svg+xml") if svg else None

    return state.cached("chart", build)


def map_context(state: State) -> dict:
    """What the map canvas templates need to draw the map."""
    return {"map": map_parts(state),
            "map_script_url": site_url("pages.map_script_file", digest=map_script(state).digest),
            "map_detail_url": site_url("pages.map_script_file",
                                       digest=map_detail_script(state).digest)}


# -- responses -----------------------------------------------------------------------------------
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


def uncached(body: str | bytes, mimetype: str = "text/html") -> Response:
    """A response made for this request only (it depends on the request's address)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    return response


def versioned_asset(asset: Payload | None, digest: str) -> Response:
    """A file addressed by its content's digest: kept by browsers forever, 404 for another."""
    if asset is None or digest != asset.digest:
        abort(404)
    return respond(asset, FOREVER)


# -- what templates may call ---------------------------------------------------------------------
def _http_url(url: str) -> str | None:
    """The address if it is http(s), else None: the validator already refuses other schemes; this
    keeps a `javascript:` link out of a page even if an Atlas were ever built around it."""
    return url if isinstance(url, str) and url_problem(url) is None else None


def _markdown(text: str, demote: int = 0) -> Markup:
    """Markdown from the data as safe HTML, its glossary links pointing at /glossary."""
    return markdown_html(text, _glossary_entry, demote)


def _glossary_entry(term_id: str) -> tuple[str, str] | None:
    """The address of a glossary entry from this page, and its short definition."""
    glossary = current_state().atlas.glossary
    term = glossary.term(term_id) if glossary else None
    if term is None:
        return None
    return f"{site_url('pages.glossary')}#{term.id}", _definition(term.body)


@lru_cache(maxsize=256)
def _definition(body: str) -> str:
    return first_sentence(body)


def _host(url: str) -> str:
    """The site an address is on, as readers name it: `www.globalr2p.org` → `globalr2p.org`."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _country_name(iso3: str) -> str:
    country = current_state().atlas.country(iso3)
    return country.name if country else iso3


def _period(period: tuple[int, int | None]) -> str:
    start, end = period
    if end:
        return gettext("%(start)s–%(end)s", start=start, end=end)
    return gettext("since %(start)s", start=start)


def _site_context() -> dict:
    state = current_state()
    return {"site_name": SITE_NAME, "site_description": SITE_DESCRIPTION, "state": state,
            "route_styles": style.route_styles(state.atlas)}


def init_app(app: Flask) -> None:
    """Filters and globals every template may use; data reaches HTML only escaped, or through
    `markdown` (the sanitiser)."""
    app.jinja_env.filters.update(markdown=i18n.marked_markdown(_markdown), http_url=_http_url,
                                 host=_host, page_relative=page_relative,
                                 country_name=_country_name, period=_period)
    app.jinja_env.globals.update(style.TEMPLATE_GLOBALS)
    app.context_processor(_site_context)
