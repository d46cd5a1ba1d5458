"""The pages: the map with its routes and stories, statistics, about, and the error pages.

Every page is rendered once per data version and then served from the State's cache; so are the
map's script and the chart, with their compressed forms and ETags (mapapp.web.caching). The script
and the chart are addressed by a digest of their content, so browsers may keep them forever and a
new version gets a new address.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import HTTPException

from mapapp import charts, mapbuilder, style
from mapapp.model import Atlas, Route
from mapapp.web import years
from mapapp.web.rendering import (
    SITE_NAME,
    SiteBlueprint,
    cached_page,
    chart,
    each_route,
    map_context,
    map_detail_script,
    map_script,
    route_or_404,
    versioned_asset,
)
from mapapp.web.security import IMAGE_POLICY
from mapapp.web.site import State, current_state
from mapapp.web.urls import site_url

bp = SiteBlueprint("pages", __name__)
bp.add_app_template_filter(years.when, "when")
bp.add_app_template_filter(years.iso_date, "iso_date")
MAP_SCRIPTS = (map_script, map_detail_script)


def _map_page(state: State, route: Route | None, year: int | None = None) -> str:
    """The map page: every route, or one chosen; in all years, or as it was in `year`."""
    atlas = state.atlas
    return render_template(
        "index.html", atlas=atlas, route=route, **map_context(state),
        cumulative=(atlas.series("cumulative") or (None,))[-1],
        year=year, years_config=years.control(atlas, year, SITE_NAME),
    )


@bp.page("/")
def index() -> Response:
    return cached_page(lambda state: _map_page(state, None))


@bp.page("/routes/<route_id>", export=each_route)
def route(route_id: str) -> Response:
    """A route's page; `?year=` keeps the year the reader chose on the map."""
    state = current_state()
    chosen = route_or_404(state, route_id)
    text = request.args.get("year")
    year = None if text is None else years.year_or_404(state, text)
    return cached_page(lambda state: _map_page(state, chosen, year), variant=(year,))


@bp.page("/years/<year>", export=years.each_year)
def year(year: str) -> Response:
    """The map as it was in a year: the routes in use, the border, that year's events."""
    shown = years.year_or_404(current_state(), year)
    return cached_page(lambda state: _map_page(state, None, shown))


@bp.page("/years")
def years_index() -> Response:
    """Where the year control's form goes without JavaScript: `?year=` (and `route=`) is
    redirected to that year's map (or the route's page in it); alone, every year as a link."""
    state = current_state()
    if "year" not in request.args:
        return cached_page(lambda state: render_template("years.html", atlas=state.atlas))
    shown = years.year_or_404(state, request.args["year"])
    route_id = request.args.get("route")
    if route_id is None:
        return redirect(url_for("pages.year", year=shown))
    return redirect(url_for("pages.route", route_id=route_or_404(state, route_id).id,
                            year=shown))


@bp.page("/timeline")
def timeline() -> Response:
    """Every event in order, by decade, with its sources, a link to its year and the arrivals."""
    return cached_page(lambda state: render_template(
        "timeline.html", atlas=state.atlas, decades=years.decades(state.atlas)))


@bp.page("/statistics")
def statistics() -> Response:
    def build(state: State) -> str:
        figures = state.atlas.figures
        arrivals = charts.arrivals_rows(figures)
        image = chart(state)
        return render_template(
            "statistics.html", arrivals=arrivals, spans=charts.span_figures(figures),
            others=charts.other_figures(figures),
            sources=charts.sources(figures), labels=charts.SERIES_LABELS,
            chart_url=site_url("pages.chart_file", digest=image.digest) if image else None,
            chart_size=charts.CHART_PIXELS,
            chart_description=charts.describe_arrivals(arrivals) if arrivals else "",
            marks=years.chart_marks(state.atlas))

    return cached_page(build)


@bp.page("/about")
def about() -> Response:
    return cached_page(lambda state: render_template(
        "about.html", sources=all_sources(state.atlas),
        further_reading=state.atlas.further_reading,
        crossing_radius_km=style.CROSSING_RADIUS_M // 1000,
        max_zoom=mapbuilder.MAX_ZOOM))


@bp.page("/glossary")
def glossary() -> Response:
    return cached_page(lambda state: render_template("glossary.html",
                                                     glossary=state.atlas.glossary))


def all_sources(atlas: Atlas) -> list:
    """Every source the data cites, once each, by publisher and title."""
    cited = [source for route in atlas.routes for source in route.sources]
    cited += [source for route in atlas.routes for stage in route.narrative.stages
              for source in stage.sources]
    for group in (atlas.crossings, atlas.described_countries, atlas.dmz, atlas.barriers,
                  atlas.events):
        cited += [source for item in group for source in item.sources]
    cited += [figure.source for figure in atlas.figures]
    sections = atlas.context.sections if atlas.context else ()
    terms = atlas.glossary.terms if atlas.glossary else ()
    cited += [source for part in (*sections, *terms) for source in part.sources]
    return sorted(set(cited), key=lambda s: (s.publisher.casefold(), s.title.casefold(), s.year))


@bp.page("/map/<digest>.js", export=lambda state: ({"digest": script(state).digest}
                                                    for script in MAP_SCRIPTS))
def map_script_file(digest: str) -> Response:
    """The map's script, or the countries' detail it loads: each at its content's digest."""
    state = current_state()
    scripts = [script(state) for script in MAP_SCRIPTS]
    return versioned_asset(next((s for s in scripts if s.digest == digest), None), digest)


@bp.page("/charts/arrivals-<digest>.svg",
         export=lambda state: ({"digest": image.digest} for image in (chart(state),) if image))
def chart_file(digest: str) -> Response:
    response = versioned_asset(chart(current_state()), digest)
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    return response


ERROR_TITLES = {400: lazy_gettext("Not understood"), 404: lazy_gettext("Page not found"),
                405: lazy_gettext("Not allowed here"),
                500: lazy_gettext("Something went wrong")}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """A page with a way back for every error, with the status and headers (Allow) it needs."""
    code = error.code or 500
    default = type(error).description
    message = error.description if error.description != default else {
        404: gettext("There is nothing at this address."),
        405: gettext("This address does not accept %(method)s requests.",
                     method=request.method),
    }.get(code, gettext("The server could not answer this request."))
    html = render_template("error.html", code=code, title=ERROR_TITLES.get(code, error.name),
                           message=message, error=True)
    response = Response(html, status=code, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
