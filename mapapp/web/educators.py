"""Pages for teaching: presentation mode, a printable handout, and one route for an iframe.

- `/present` and `/present/<id>`: a deck of slides (an introduction, each route with its stages
  and a closing slide of questions and sources) beside the site's map, which static/js/present.js
  flies to each slide's place. `?step=N` (1 = the introduction) is the slide shown; the server
  renders it, so a reload or a shared link keeps the place, with or without JavaScript.
- `/print/<id>`: the route as a handout, its map drawn on the server as SVG (mapapp.printmap) and
  a QR code to the route's public address; rendered per request, as the address may be the host's.
- `/embed/<id>`: the route alone, without the site's chrome; the only page other sites may frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno
from flask import Response, render_template, request
from markupsafe import Markup, escape

from mapapp import printmap
from mapapp.model import Atlas, Route
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
from mapapp.web.urls import public_url, resolved, site_url

bp = SiteBlueprint("educators", __name__)
bp.add_app_template_global(public_url)

EMBED_SIZE = (800, 600)  # the embed code's iframe, in CSS pixels


@dataclass(frozen=True)
class Slide:
    kind: str  # intro, route, stage, closing or end
    title: str
    route: Route | None = None
    stage: int = -1  # the index of the stage, on a stage slide


def deck(atlas: Atlas, route: Route | None) -> list[Slide]:
    """The slides in order: one route's, or every route's and a last slide to end on."""
    slides = [Slide("intro", route.title if route else "How people leave North Korea", route)]
    for item in (route,) if route else atlas.routes:
        slides.append(Slide("route", item.title, item))
        slides += [Slide("stage", stage.title, item, index)
                   for index, stage in enumerate(item.narrative.stages)]
        slides.append(Slide("closing", f"{item.title}: questions and sources", item))
    if route is None:
        slides.append(Slide("end", "Explore the map"))
    return slides


@bp.page("/present", defaults={"route_id": None})
@bp.page("/present/<route_id>", export=each_route)
def present(route_id: str | None) -> Response:
    state = current_state()
    route = route_or_404(state, route_id) if route_id else None
    slides = deck(state.atlas, route)
    step = min(max(request.args.get("step", 1, type=int), 1), len(slides))

    def build(state: State) -> str:
        leave = site_url("pages.route", route_id=route.id) if route else site_url("pages.index")
        return render_template("present.html", atlas=state.atlas, route=route, slides=slides,
                               step=step, leave_url=leave, **map_context(state))

    return cached_page(build, variant=(step,))


@bp.page("/print/<route_id>", export=each_route)
def handout(route_id: str) -> Response:
    state = current_state()
    route = route_or_404(state, route_id)
    address = public_url("pages.route", route_id=route.id)
    address = resolved(address) if address else None
    html = render_template(
        "handout.html", atlas=state.atlas, route=route, address=address,
        qr_svg_html=_qr_svg(address) if address else None,
        map_svg_html=Markup(state.cached(("print map", route.id), lambda: printmap.route_svg(
            state.atlas, route, "print-map"))))
    return uncached(html)


@lru_cache(maxsize=64)  # bounded: the address may come from the request's Host header
def _qr_svg(address: str) -> Markup:
    """A QR code of the address, as SVG sized by the page (a viewBox only); 8 ms to make."""
    code = segno.make(address, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, omitsize=True, svgclass="qr-code",
                                  title=f"QR code: {address}"))  # segno escapes it


@bp.page("/embed/<route_id>", export=each_route)
def embed(route_id: str) -> Response:
    route = route_or_404(current_state(), route_id)
    response = cached_page(lambda state: render_template(
        "embed.html", atlas=state.atlas, route=route, **map_context(state)))
    response.headers["Content-Security-Policy"] = FRAMEABLE_POLICY
    return response


@bp.app_template_global()
def embed_code(route: Route) -> str | None:
    """The iframe a teacher copies into a class page; None when the site has no public address.
    Text: the template escapes it again where it shows it."""
    address = public_url("educators.embed", route_id=route.id)
    if address is None:
        return None
    width, height = EMBED_SIZE
    return (f'<iframe src="{escape(address)}" title="{escape("Map: " + route.title)}" '
            f'width="{width}" height="{height}" loading="lazy"></iframe>')
