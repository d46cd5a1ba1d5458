"""For educators, over HTTP: presentation mode, the printable handout and its SVG map, the embed
page and its headers, the embed code on route pages, the public address setting.

Data: tests/data/site (see conftest.py). The browser side is in tests/browser/test_classroom.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import segno
from helpers import SITE_DATA, Html, get
from markupsafe import escape

from mapapp import printmap, style
from mapapp.model import load_atlas
from mapapp.web import create_app
from mapapp.web.educators import deck

ATLAS = load_atlas(SITE_DATA)
SOUTHERN = ATLAS.route("southern-route")


def slides(html: str) -> list[dict]:
    return [attrs for attrs in Html(html).find("section")
            if "slide" in attrs.get("class", "").split()]


def shown(html: str) -> list[str]:
    return [attrs["id"] for attrs in slides(html) if "hidden" not in attrs]


def test_a_route_deck_is_intro_route_stages_closing():
    kinds = [(slide.kind, slide.stage) for slide in deck(ATLAS, SOUTHERN)]
    assert kinds == [("intro", -1), ("route", -1), ("stage", 0), ("stage", 1), ("stage", 2),
                     ("closing", -1)]


def test_the_whole_deck_takes_every_route_in_order_and_ends():
    whole = deck(ATLAS, None)
    assert whole[0].kind == "intro" and whole[-1].kind == "end"
    assert [s.route.id for s in whole if s.kind == "route"] == [r.id for r in ATLAS.routes]
    assert len(whole) == 2 + sum(len(r.narrative.stages) + 2 for r in ATLAS.routes)


def test_present_renders_the_step_asked_for_and_links_its_neighbours(client):
    _, html = get(client, "/present/southern-route?step=3")
    assert shown(html) == ["slide-3"]
    assert len(slides(html)) == 6
    tags = Html(html)
    assert tags.find("a", class_="deck-button deck-prev", href="?step=2")
    assert tags.find("a", class_="deck-button deck-next", href="?step=4")
    assert "Slide 3 of 6" in html
    assert tags.find("progress", max="6", value="3")
    first_stage = SOUTHERN.narrative.stages[0]
    assert re.search(rf'id="slide-3-title"[^>]*>{re.escape(first_stage.title)}</h2>', html)
    assert f"<title>{first_stage.title} · " in html


@pytest.mark.parametrize(("step", "expected"), [("", 1), ("0", 1), ("-4", 1), ("abc", 1),
                                                ("6", 6), ("999", 6)])
def test_a_step_out_of_range_shows_the_nearest_slide(client, step, expected):
    _, html = get(client, f"/present/southern-route?step={step}")
    assert shown(html) == [f"slide-{expected}"]


def test_the_first_and_last_slides_disable_back_and_next(client):
    tags = Html(get(client, "/present/southern-route")[1])
    assert tags.find("a", class_="deck-button deck-prev", **{"aria-disabled": "true"})
    assert not [a for a in tags.find("a") if "deck-prev" in a.get("class", "") and "href" in a]
    tags = Html(get(client, "/present/southern-route?step=6")[1])
    assert tags.find("a", class_="deck-button deck-next", **{"aria-disabled": "true"})


def test_the_intro_says_what_the_map_shows_and_gives_the_content_note(client):
    _, html = get(client, "/present/southern-route")
    intro = html[html.index('id="slide-1"'):html.index('id="slide-2"')]
    assert "The map shows this route" in intro
    assert SOUTHERN.narrative.content_note in intro
    assert "<kbd>Page&nbsp;Down</kbd>" in intro
    _, html = get(client, "/present")
    intro = html[html.index('id="slide-1"'):html.index('id="slide-2"')]
    assert "Content note." in intro and "Each route has its own colour" in intro


def test_closing_slides_carry_the_questions_and_the_sources(client):
    _, html = get(client, "/present/southern-route?step=6")
    closing = html[html.index('id="slide-6"'):]
    assert "Questions for discussion" in closing
    for question in SOUTHERN.narrative.questions:
        assert question in closing
    for source in SOUTHERN.sources:
        assert source.title in closing
    _, html = get(client, "/present/northern-route?step=5")  # a route without questions
    closing = html[html.index('id="slide-5"'):]
    assert "Questions for discussion" not in closing and ">Sources</h2>" in closing


def test_slides_tell_the_script_where_the_map_goes(client):
    _, html = get(client, "/present")
    tags = Html(html)
    found = [(a.get("data-route"), a["data-stage"]) for a in slides(html)]
    assert found[0] == (None, "-1") and found[-1] == (None, "-1")
    assert ("dmz-route", "1") in found and ("northern-route", "-1") in found
    assert tags.find("a", class_="deck-button deck-leave", href="/")
    assert Html(get(client, "/present/dmz-route")[1]).find(
        "a", class_="deck-button deck-leave", href="/routes/dmz-route")


def test_presentation_has_the_map_and_no_site_chrome(client):
    _, html = get(client, "/present/southern-route")
    tags = Html(html)
    assert not tags.find("header", class_="masthead")
    assert tags.find("div", id="map_routes")
    scripts = [s["src"].split("?")[0] for s in tags.find("script") if "src" in s]
    assert scripts[-2:] == ["/static/js/mapview.js", "/static/js/present.js"]
    assert "/static/css/present.css" in [link["href"].split("?")[0]
                                         for link in tags.find("link", rel="stylesheet")]


def test_unknown_routes_give_404_pages(client):
    for url in ("/present/nowhere", "/print/nowhere", "/embed/nowhere"):
        _, html = get(client, url, 404)
        assert "There is no route called “nowhere”" in html


def test_the_handout_has_the_map_the_stages_the_sources_and_a_qr_code(client):
    _, html = get(client, "/print/southern-route")
    positions = [html.index(stage.title) for stage in SOUTHERN.narrative.stages]
    assert positions == sorted(positions), "stages in order"
    for source in [*SOUTHERN.sources, *(s for st in SOUTHERN.narrative.stages for s in st.sources)]:
        assert escape(source.title) in html and source.url in html
    assert "Questions for discussion" in html and SOUTHERN.narrative.questions[0] in html
    address = "http://localhost/routes/southern-route"
    qr = segno.make(address, error="m", micro=False).svg_inline(
        scale=1, omitsize=True, svgclass="qr-code", title=f"QR code: {address}")
    assert qr in html, "the QR code encodes the route's address"
    assert f'<span class="address">{address}</span>' in html
    tags = Html(html)
    assert tags.find("svg", class_="print-map", role="img")


def test_the_public_address_setting_decides_the_qr_code_and_the_embed_code():
    app = create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL":
                      "https://example.org/escape/"})
    client = app.test_client()
    _, html = get(client, "/print/southern-route")
    assert '<span class="address">https://example.org/escape/routes/southern-route</span>' in html
    _, html = get(client, "/routes/southern-route")
    assert "src=&#34;https://example.org/escape/embed/southern-route&#34;" in html

    app = create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL": ""})
    client = app.test_client()
    assert 'class="qr-code"' not in get(client, "/print/southern-route")[1]
    assert 'class="embed-code"' not in get(client, "/routes/southern-route")[1]


def test_the_embed_code_on_a_route_page_is_a_lazy_titled_iframe(client):
    _, html = get(client, "/routes/southern-route")
    match = re.search(r'<textarea id="story-southern-route-embed"[^>]*>(.*?)</textarea>', html)
    code = ET.fromstring(match.group(1).replace("&lt;", "<").replace("&gt;", ">")
                         .replace("&#34;", '"').replace("&amp;", "&"))
    assert code.tag == "iframe"
    assert code.attrib == {"src": "http://localhost/embed/southern-route",
                           "title": f"Map: {SOUTHERN.title}", "width": "800", "height": "600",
                           "loading": "lazy"}
    assert 'href="/present/southern-route"' in html and 'href="/print/southern-route"' in html


def test_a_cached_page_gives_each_host_its_own_address(client):
    for host in ("school.example", "127.0.0.1:5000", "school.example"):
        html = client.get("/routes/southern-route", headers={"Host": host}).get_data(as_text=True)
        assert f"src=&#34;http://{host}/embed/southern-route&#34;" in html
        assert "\x1e" not in html


def test_only_the_embed_page_may_be_framed_and_by_anyone(client):
    response, _ = get(client, "/embed/southern-route")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "frame-ancestors 'none'" not in policy
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "X-Frame-Options" not in response.headers
    for url in ("/", "/routes/southern-route", "/present/southern-route",
                "/print/southern-route", "/embed/nowhere"):
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_the_embed_page_is_the_route_alone_with_a_way_to_the_full_site(client):
    _, html = get(client, "/embed/southern-route")
    tags = Html(html)
    assert not tags.find("header", class_="masthead") and not tags.find("nav")
    [link] = tags.find("a", class_="embed-open")
    assert link["href"] == "/routes/southern-route" and link["target"] == "_blank"
    assert "noopener" in link["rel"]
    assert tags.find("section", class_="embed-map", **{"data-route": "southern-route"})
    for stage in SOUTHERN.narrative.stages:
        assert stage.title in html
    assert "Northern route" not in html


def test_stage_numbers_sit_on_their_places():
    points = ATLAS.stage_points(SOUTHERN)
    crossing, country, town = (stage.place for stage in SOUTHERN.narrative.stages)
    assert (points[0].x, points[0].y) == (ATLAS.crossing(crossing.ref).lon,
                                          ATLAS.crossing(crossing.ref).lat)
    assert ATLAS.country(country.ref).shape.contains(points[1])
    assert SOUTHERN.geometry.distance(points[1]) < 1e-9, "on the route, inside the country"
    assert (points[2].x, points[2].y) == (town.lon, town.lat)


@pytest.mark.parametrize("route", ATLAS.routes, ids=lambda route: route.id)
def test_the_print_map_is_svg_with_the_route_its_stages_and_no_inline_style(route):
    line = style.route_style(ATLAS.routes.index(route))
    svg = printmap.route_svg(ATLAS, route, "m")
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("viewBox") == f"0 0 {printmap.WIDTH} {printmap.HEIGHT}"
    assert "style" not in svg.replace("stroke-linejoin", ""), "CSP: no style attributes"
    assert root.find("svg:title", ns).text == f"Map of the route: {route.title}"
    lines = [p for p in root.iter("{http://www.w3.org/2000/svg}path")
             if p.get("stroke") == line.colour]
    assert len(lines) == len(route.legs)
    numbers = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
               if t.text and t.text.isdigit()]
    assert numbers == [str(n) for n in range(1, len(route.narrative.stages) + 1)]
    for circle in root.iter("{http://www.w3.org/2000/svg}circle"):
        assert 0 <= float(circle.get("cx")) <= printmap.WIDTH
        assert 0 <= float(circle.get("cy")) <= printmap.HEIGHT
