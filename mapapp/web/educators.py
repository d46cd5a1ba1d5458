"""Pages for teaching: the guide, presentation mode, handouts and worksheets, and the embed.

- `/teach`: the teachers' guide (data/teach.md) with every route's questions and the aims they
  serve, and forms to build a deck of chosen routes or a comparison.
- `/present`, `/present/<id>`, `/present?routes=a,b`, `/present/compare/<a>/<b>`: decks of
  slides (mapapp.web.deck) beside the site's map, which static/js/present.js flies to each
  slide's place. `?step=N` (1 = the first slide) is the slide shown; the server renders it, so a
  reload or a shared link keeps the place, with or without JavaScript.
- `/print/<id>`: the students' handout (two pages: map, stages in a table, questions with room
  to write, short sources and a QR code); `/print/<id>/teacher`: the whole story for the teacher;
  `/print/<id>/worksheet` and `/print/compare/<a>/<b>`: worksheets with their answer keys.
- `/embed/<id>`: the route alone, without the site's chrome; the only page other sites may frame.

The public address (the QR codes, the last slide) is MAPAPP_PUBLIC_URL's: a page never prints
or projects the address of the computer it was opened on, which students cannot reach.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import segno
from flask import Response, current_app, redirect, render_template, request
from flask_babel import gettext
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound

from mapapp import printmap, style
from mapapp.model import Route
from mapapp.translation import same_language
from mapapp.web import deck
from mapapp.web.rendering import (
    SiteBlueprint,
    cached_page,
    each_route,
    map_context,
    route_or_404,
    uncached,
)
from mapapp.web.security import FRAMEABLE_POLICY
from mapapp.web.site import State, current_state
from mapapp.web.urls import public_url, shareable_url, site_url, static_copy, with_public_base

bp = SiteBlueprint("educators", __name__)
bp.add_app_template_global(public_url)
bp.add_app_template_global(shareable_url)
bp.add_app_template_global(static_copy)  # also base.html's

EMBED_SIZE = (800, 600)  # the embed code's iframe, in CSS pixels


def each_pair(state: State) -> Iterator[dict]:
    """The export's comparisons: every two routes, in the data's order."""
    return ({"first": first.id, "second": second.id}
            for first, second in combinations(state.atlas.routes, 2))


def pair_or_404(state: State, first_id: str, second_id: str) -> tuple[Route, Route]:
    first, second = route_or_404(state, first_id), route_or_404(state, second_id)
    if first is second:
        raise NotFound(gettext("A comparison needs two different routes, not “%(title)s” twice.",
                               title=first.title))
    return first, second


@bp.app_template_global()
def qr_svg_html(address: str) -> Markup:
    return _qr_svg(address)


@lru_cache(maxsize=64)
def _qr_svg(address: str) -> Markup:
    """A QR code of the address, as SVG sized by the page (a viewBox only); 8 ms to make."""
    code = segno.make(address, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, omitsize=True, svgclass="qr-code",
                                  title=f"QR code: {address}"))  # segno escapes it


# -- the guide -----------------------------------------------------------------------------------
@bp.page("/teach")
def teach() -> Response:
    return cached_page(lambda state: render_template(
        "teach.html", atlas=state.atlas, guide=state.atlas.guide,
        route_decks={route.id: len(deck.route_deck(state.atlas, route))
                     for route in state.atlas.routes}))


# -- presentations -------------------------------------------------------------------------------
@bp.page("/present/timeline")
def present_timeline() -> Response:
    """The events year by year, the map beside showing each year's routes and border."""
    state = current_state()
    slides = deck.timeline_deck(state.atlas)
    step = _step(slides)
    return cached_page(lambda state: _render_deck(
        state, slides, step, gettext("Timeline"), site_url("pages.timeline"), "timeline"),
        variant=(step,))


def chosen_routes(state: State) -> list[Route] | None:
    """The routes `?routes=` names (comma-separated or repeated), in its order; None when it
    names none. An unknown id is a 404."""
    ids = [part.strip() for value in request.args.getlist("routes") for part in value.split(",")]
    ids = list(dict.fromkeys(part for part in ids if part))
    return [route_or_404(state, route_id) for route_id in ids] or None


def _step(slides: list[deck.Slide]) -> int:
    return min(max(request.args.get("step", 1, type=int), 1), len(slides))


def _render_deck(state: State, slides: list[deck.Slide], step: int, title: str, leave: str,
                 kind: str, route: Route | None = None, chosen: list[Route] | None = None,
                 summary: str | None = None) -> str:
    return render_template("present.html", atlas=state.atlas, slides=slides, step=step,
                           deck_title=title, leave_url=leave, deck_kind=kind, route=route,
                           chosen=chosen, summary=summary, **map_context(state))


@bp.page("/present", defaults={"route_id": None})
@bp.page("/present/<route_id>", export=each_route)
def present(route_id: str | None) -> Response:
    state = current_state()
    if route_id:
        route = route_or_404(state, route_id)
        slides = deck.route_deck(state.atlas, route)
        step = _step(slides)
        return cached_page(lambda state: _render_deck(
            state, slides, step, route.title, site_url("pages.route", route_id=route.id),
            "route", route=route, summary=route.summary), variant=(step,))
    chosen = chosen_routes(state)
    if chosen is None:
        slides = deck.routes_deck(state.atlas, state.atlas.routes, state.atlas.context)
        step = _step(slides)
        return cached_page(lambda state: _render_deck(
            state, slides, step, "", site_url("pages.index"), "all"), variant=(step,))
    # A deck the teacher put together: made for this request, since the choices are many.
    with_context = request.args.get("context") == "1"
    slides = deck.routes_deck(state.atlas, chosen, state.atlas.context if with_context
                              else None)
    title = same_language(chosen[0].title, " · ".join(route.title for route in chosen))
    html = _render_deck(state, slides, _step(slides), title, site_url("educators.teach"),
                        "chosen", chosen=chosen)
    return uncached(with_public_base(html))


@bp.page("/present/compare")
def compare_choice() -> Response:
    """The comparison form (`?routes=a&routes=b`, `&print=1` for the worksheet): the
    comparison's own address; without two routes, the form itself. An unknown id is a 404."""
    state = current_state()
    chosen = chosen_routes(state) or []
    if len(chosen) == 2:  # two different routes: chosen_routes names each once
        endpoint = ("educators.compare_worksheet" if request.args.get("print")
                    else "educators.compare")
        return redirect(site_url(endpoint, first=chosen[0].id, second=chosen[1].id))
    if not chosen:
        return cached_page(lambda state: render_template("compare.html", atlas=state.atlas,
                                                         message=None))
    html = render_template("compare.html", atlas=state.atlas,
                           message=gettext("Choose two different routes to compare."))
    return uncached(html)


@bp.page("/present/compare/<first>/<second>", export=each_pair)
def compare(first: str, second: str) -> Response:
    state = current_state()
    one, other = pair_or_404(state, first, second)
    slides = deck.compare_deck(state.atlas, one, other)
    step = _step(slides)
    return cached_page(lambda state: _render_deck(
        state, slides, step, same_language(one.title, f"{one.title} · {other.title}"),
        site_url("educators.teach"), "compare", chosen=[one, other]), variant=(step,))


# -- print ---------------------------------------------------------------------------------------
def _printed(template: str, state: State, route: Route, **context) -> str:
    """A printed page of one route, with its map drawn on the server."""
    svg = state.cached(("print map", route.id), lambda: printmap.route_svg(
        state.atlas, route, "print-map"))
    return render_template(template, atlas=state.atlas, route=route, map_svg_html=Markup(svg),
                           crossing_km=2 * style.CROSSING_RADIUS_M // 1000, **context)


@bp.page("/print/<route_id>", export=each_route)
def handout(route_id: str) -> Response:
    """The students' handout: two pages of A4 or US Letter."""
    route = route_or_404(current_state(), route_id)
    return cached_page(lambda state: _printed("handout.html", state, route,
                                              references=deck.source_references(route)))


@bp.page("/print/<route_id>/teacher", export=each_route)
def teacher_handout(route_id: str) -> Response:
    """The teacher's version: the whole story with every source in full."""
    route = route_or_404(current_state(), route_id)
    return cached_page(lambda state: _printed("teacher.html", state, route))


@bp.page("/print/<route_id>/worksheet", export=each_route)
def worksheet(route_id: str) -> Response:
    route = route_or_404(current_state(), route_id)
    return cached_page(lambda state: render_template("worksheet.html", atlas=state.atlas,
                                                     routes=[route]))


@bp.page("/print/compare/<first>/<second>", export=each_pair)
def compare_worksheet(first: str, second: str) -> Response:
    routes = list(pair_or_404(current_state(), first, second))
    return cached_page(lambda state: render_template("worksheet.html", atlas=state.atlas,
                                                     routes=routes))


# -- embedding -----------------------------------------------------------------------------------
@bp.page("/embed/<route_id>", export=each_route)
def embed(route_id: str) -> Response:
    route = route_or_404(current_state(), route_id)
    response = cached_page(lambda state: render_template(
        "embed.html", atlas=state.atlas, route=route, **map_context(state)))
    response.headers["Content-Security-Policy"] = FRAMEABLE_POLICY
    return response


@dataclass(frozen=True)
class EmbedCode:
    """The iframe a teacher copies into a class page: `code` (text: the template escapes it
    again where it shows it), or, in a static export without a public address, only the page's
    address relative to the page showing the box (`relative`), which the box's script completes
    from the address the export was opened at."""

    code: str | None
    relative: str
    title: str
    configured: bool  # the code uses MAPAPP_PUBLIC_URL (else the address the page came from)


@bp.app_template_global()
def embed_code(route: Route) -> EmbedCode:
    address = public_url("educators.embed", route_id=route.id)
    title = gettext("Map: %(title)s", title=route.title)
    code = None
    if address is not None:
        width, height = EMBED_SIZE
        code = (f'<iframe src="{escape(address)}" title="{escape(title)}" width="{width}" '
                f'height="{height}" loading="lazy"></iframe>')
    return EmbedCode(code, site_url("educators.embed", route_id=route.id), title,
                     bool(current_app.config.get("MAPAPP_PUBLIC_URL")))

