"""For educators, over HTTP: presentation mode, the printable handout and its SVG map, the embed
page and its headers, the embed code on route pages, the public address setting.

Data: tests/data/site (see conftest.py). The browser side is in tests/browser/test_classroom.py.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from flask import url_for
from helpers import SITE_DATA, Html, get
from markupsafe import escape

from mapapp import printmap, style
from mapapp.export import addresses
from mapapp.model import load_atlas
from mapapp.web import create_app, deck

ATLAS = load_atlas(SITE_DATA)
SOUTHERN = ATLAS.route("southern-route")


def slides(html: str) -> list[dict]:
    return [attrs for attrs in Html(html).find("section")
            if "slide" in attrs.get("class", "").split()]


def shown(html: str) -> list[str]:
    return [attrs["id"] for attrs in slides(html) if "hidden" not in attrs]


PUBLIC = "https://example.org/escape"


@pytest.fixture(scope="module")
def public_client():
    """The site as a school serves it, with its public address set."""
    return create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL": PUBLIC + "/",
                       "TESTING": True}).test_client()


def kinds(slides_: list[deck.Slide]) -> list[tuple[str, int]]:
    return [(slide.kind, slide.stage) for slide in slides_]


def test_a_route_deck_opens_on_the_route_and_ends_with_its_questions_sources_and_address():
    made = deck.route_deck(ATLAS, SOUTHERN)
    stages = [(kind, stage) for kind, stage in kinds(made) if kind == "stage"]
    assert made[0].kind == "route" and made[0].title == SOUTHERN.title, "no intro repeating it"
    assert made[1].kind != "route" or made[1].continued, "the first slide is not repeated"
    assert sorted(set(stages)) == [("stage", index) for index in range(3)]
    assert [kind for kind, _ in kinds(made)][-3:] == ["questions", "sources", "end"]


def test_the_deck_of_every_route_starts_with_the_context_and_ends_on_the_address():
    whole = deck.routes_deck(ATLAS, ATLAS.routes, ATLAS.context)
    assert whole[0].kind == "context" and whole[0].title == ATLAS.context.title
    assert {s.title for s in whole if s.kind == "context"} >= {
        section.title for section in ATLAS.context.sections}
    assert [s.route.id for s in whole if s.kind == "route" and not s.continued] == [
        r.id for r in ATLAS.routes]
    assert whole[-1].kind == "end"
    for route in ATLAS.routes:
        own = [s.kind for s in whole if s.route is route]
        assert own[-1] == "sources" and own.count("questions") == (
            1 if route.narrative.questions else 0), route.id


def test_long_text_goes_on_to_continuation_slides_without_losing_a_word():
    long_stage = dataclasses.replace(SOUTHERN.narrative.stages[0], body="\n\n".join(
        " ".join(f"Sentence {n} of paragraph {p} says something long enough to wrap." for n
                 in range(12)) for p in range(3)))
    story = dataclasses.replace(SOUTHERN.narrative, stages=(long_stage,))
    route = dataclasses.replace(SOUTHERN, narrative=story)
    made = deck.stage_slides(ATLAS, route, 0)
    assert len(made) > 2 and [s.part for s in made] == list(range(1, len(made) + 1))
    assert all(s.title == long_stage.title and s.stage == 0 for s in made)
    shown = " ".join(" ".join(s.items) for s in made)
    assert shown.split() == long_stage.body.split(), "every word once, in order"
    for slide in made[1:]:
        assert slide.continued


def test_a_sentence_longer_than_a_slide_is_split_between_clauses_or_words_never_in_a_link():
    endless = ("People crossed (" + ", ".join(f"in {year}" for year in range(1950, 2020)) +
               ") and [a report says so](https://example.org/r) " + "again " * 120 + "at last.")
    story = dataclasses.replace(SOUTHERN.narrative, stages=(dataclasses.replace(
        SOUTHERN.narrative.stages[0], body=endless),))
    made = deck.stage_slides(ATLAS, dataclasses.replace(SOUTHERN, narrative=story), 0)
    assert len(made) > 2
    shown = [item for slide in made for item in slide.items]
    assert " ".join(shown).split() == endless.split()
    assert sum("[a report says so](https://example.org/r)" in item for item in shown) == 1


def test_sentences_never_break_inside_a_link_or_parentheses():
    text = ("It is long (about 4,300 km. By bus) and slow. See [the U.N. report. Here](https://"
            "x.org/a.b) for more. Then \"quoted.\" Next one.")
    assert deck.sentences(text) == [
        "It is long (about 4,300 km. By bus) and slow.",
        "See [the U.N. report. Here](https://x.org/a.b) for more.",
        'Then "quoted."', "Next one."]


def test_lists_share_out_item_by_item_and_keep_their_numbers():
    questions = [f"Question {n}: " + "why " * 60 for n in range(1, 7)]
    story = dataclasses.replace(SOUTHERN.narrative, questions=tuple(questions))
    made = deck.question_slides(dataclasses.replace(SOUTHERN, narrative=story))
    assert len(made) > 1
    assert [item for s in made for item in s.items] == questions
    assert [s.first for s in made] == [1 + sum(len(t.items) for t in made[:i])
                                       for i in range(len(made))]


def test_the_sources_slide_names_every_publisher_with_its_years():
    references = deck.source_references(SOUTHERN)
    cited = [*SOUTHERN.sources, *(s for stage in SOUTHERN.narrative.stages for s in stage.sources)]
    for source in cited:
        assert any(ref.startswith(source.publisher + ",") and str(source.year) in ref
                   for ref in references), source
    assert len(references) == len({source.publisher for source in cited})


def test_present_renders_the_step_asked_for_and_links_its_neighbours(client):
    total = len(deck.route_deck(ATLAS, SOUTHERN))
    _, html = get(client, "/present/southern-route?step=3")
    assert shown(html) == ["slide-3"]
    assert len(slides(html)) == total
    tags = Html(html)
    assert tags.find("a", class_="deck-button deck-prev", href="?step=2", rel="prev")
    assert tags.find("a", class_="deck-button deck-next", href="?step=4", rel="next")
    assert f"Slide 3 of {total}" in html
    assert tags.find("progress", max=str(total), value="3")


@pytest.mark.parametrize(("step", "expected"), [("", 1), ("0", 1), ("-4", 1), ("abc", 1),
                                                ("999", "last")])
def test_a_step_out_of_range_shows_the_nearest_slide(client, step, expected):
    _, html = get(client, f"/present/southern-route?step={step}")
    last = len(slides(html))
    assert shown(html) == [f"slide-{last if expected == 'last' else expected}"]


def test_the_first_and_last_slides_disable_back_and_next(client):
    tags = Html(get(client, "/present/southern-route")[1])
    assert tags.find("a", class_="deck-button deck-prev", **{"aria-disabled": "true"})
    assert not [a for a in tags.find("a") if "deck-prev" in a.get("class", "") and "href" in a]
    _, html = get(client, "/present/southern-route?step=999")
    assert Html(html).find("a", class_="deck-button deck-next", **{"aria-disabled": "true"})


def test_the_first_slide_of_a_route_gives_its_content_note_and_the_keys(client):
    _, html = get(client, "/present/southern-route")
    first = html[html.index('id="slide-1"'):html.index('id="slide-2"')]
    assert SOUTHERN.narrative.content_note in first
    assert "<kbd>B</kbd> black, <kbd>W</kbd> white" in first
    assert f'id="slide-1-title" tabindex="-1">{SOUTHERN.title}</h2>' in first
    second = html[html.index('id="slide-2"'):html.index('id="slide-3"')]
    assert SOUTHERN.narrative.content_note not in second
    _, html = get(client, "/present")
    assert "Each route's own note is on its first slide." in html


def test_the_closing_slides_ask_the_questions_and_give_the_sources_in_short(client):
    _, html = get(client, "/present/southern-route?step=999")
    for question in SOUTHERN.narrative.questions:
        assert question in html
    for reference in deck.source_references(SOUTHERN):
        assert str(escape(reference)) in html
    assert "is on this route\u2019s page" in html or "is on this route's page" in html
    _, html = get(client, "/present/northern-route")  # a route without questions
    assert "slide-questions" not in html and "slide-sources" in html


def test_the_last_slide_shows_the_public_address_and_its_qr_code_only(client, public_client):
    _, html = get(public_client, "/present/southern-route?step=999")
    address = f"{PUBLIC}/routes/southern-route"
    assert f'<strong class="address">{address}</strong>' in html.replace("<wbr>", "")
    assert _qr(address) in html
    _, html = get(public_client, "/present?step=999")
    assert f'<strong class="address">{PUBLIC}/</strong>' in html.replace("<wbr>", "")
    _, html = get(client, "/present/southern-route?step=999")
    assert "localhost" not in html and 'class="qr-code"' not in html
    assert "MAPAPP_PUBLIC_URL" in html


def test_slides_tell_the_script_where_the_map_goes(client):
    _, html = get(client, "/present")
    tags = Html(html)
    found = [(a.get("data-route"), a["data-stage"]) for a in slides(html)]
    assert found[0] == (None, "-1") and found[-1] == (None, "-1")
    assert ("dmz-route", "1") in found and ("northern-route", "-1") in found
    assert tags.find("a", class_="deck-button deck-leave", href="/")
    assert Html(get(client, "/present/dmz-route")[1]).find(
        "a", class_="deck-button deck-leave", href="/routes/dmz-route")


def test_a_deck_of_chosen_routes_has_them_alone_in_the_order_asked(client):
    for query in ("routes=dmz-route,southern-route", "routes=dmz-route&routes=southern-route",
                  "routes=dmz-route,,southern-route,dmz-route"):
        _, html = get(client, f"/present?{query}")
        routes = [a["data-route"] for a in slides(html) if "slide-route" in a["class"]]
        assert list(dict.fromkeys(routes)) == ["dmz-route", "southern-route"], query
        assert "slide-context" not in html
    _, html = get(client, "/present?routes=dmz-route&context=1")
    assert "slide-context" in html
    _, html = get(client, "/present?routes=dmz-route,nowhere", 404)
    assert "There is no route called “nowhere”" in html
    assert len(slides(get(client, "/present?routes=")[1])) == len(
        deck.routes_deck(ATLAS, ATLAS.routes, ATLAS.context))


def test_two_routes_compared_side_by_side(client):
    _, html = get(client, "/present/compare/southern-route/northern-route")
    compared = [a for a in slides(html) if "slide-compare" in a["class"]]
    assert compared and all(a["data-routes"] == "southern-route northern-route" for a in compared)
    text = Html(html).text
    for title in ("What the journey is", "How long it takes", "What it risks",
                  "Which countries help or return people"):
        assert title in text
    made = deck.compare_deck(ATLAS, SOUTHERN, ATLAS.route("northern-route"))
    for side, route in enumerate((SOUTHERN, ATLAS.route("northern-route"))):
        for title, lines in deck.comparison_aspects(ATLAS, route):
            shown = [item for s in made if s.title == title for item in s.columns[side].items]
            assert " ".join(shown).split() == " ".join(lines).split(), (route.id, title)
    for stage in SOUTHERN.narrative.stages:
        assert stage.duration in text and stage.dangers in text
    assert any(deck.first_sentence(ATLAS.country("CHN").policy) in line for _, lines in
               deck.comparison_aspects(ATLAS, SOUTHERN) for line in lines)
    for url in ("/present/compare/southern-route/southern-route",
                "/present/compare/southern-route/nowhere", "/present/compare?routes=dmz,nowhere"):
        get(client, url, 404)
    _, html = get(client, "/present/compare")
    assert Html(html).find("form", class_="compare-form", action="/present/compare")
    assert 'role="alert"' not in html
    _, html = get(client, "/present/compare?routes=dmz-route,dmz-route")
    assert "Choose two different routes to compare." in html
    response = client.get("/present/compare?routes=dmz-route&routes=southern-route")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/present/compare/dmz-route/southern-route")
    response = client.get("/present/compare?routes=dmz-route,southern-route&print=1")
    assert response.headers["Location"].endswith("/print/compare/dmz-route/southern-route")


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
    for url in ("/present/nowhere", "/print/nowhere", "/embed/nowhere", "/print/nowhere/teacher",
                "/print/nowhere/worksheet", "/print/compare/nowhere/dmz-route"):
        _, html = get(client, url, 404)
        assert "There is no route called “nowhere”" in html


def _qr(address: str) -> str:
    return segno.make(address, error="m", micro=False).svg_inline(
        scale=1, omitsize=True, svgclass="qr-code", title=f"QR code: {address}")


def test_the_handout_has_the_map_a_stage_table_questions_to_answer_and_short_sources(
        public_client):
    _, html = get(public_client, "/print/southern-route")
    tags = Html(html)
    assert tags.find("svg", class_="print-map", role="img")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    assert len(rows) == len(SOUTHERN.narrative.stages)
    for row, stage in zip(rows, SOUTHERN.narrative.stages, strict=True):
        assert escape(stage.title) in row and escape(stage.duration) in row
        assert escape(stage.dangers) in row
    assert len(tags.find("div", class_="write-lines lines-4", **{"aria-hidden": "true"})) == len(
        SOUTHERN.narrative.questions)
    for reference in deck.source_references(SOUTHERN):
        assert escape(reference) in html
    for source in SOUTHERN.narrative.stages[0].sources:
        assert source.url not in html, "the full list is behind the QR code"
    address = f"{PUBLIC}/routes/southern-route"
    assert _qr(address) in html and f'<span class="address">{address}</span>' in html
    assert "about 20&nbsp;km across" in html  # style.CROSSING_RADIUS_M, not a fixed text


def test_without_a_public_address_the_handout_says_so_instead_of_printing_this_computer(client):
    _, html = get(client, "/print/southern-route")
    assert 'class="qr-code"' not in html and "localhost" not in html
    assert "screen-only setup-note" in html and "MAPAPP_PUBLIC_URL" in html


def test_the_teachers_version_has_the_whole_story_every_source_and_the_note(client):
    _, html = get(client, "/print/southern-route/teacher")
    for stage in SOUTHERN.narrative.stages:
        assert escape(stage.title) in html
        for source in stage.sources:
            assert escape(source.title) in html and source.url in html
    assert 'href="/print/southern-route/worksheet"' in html


def test_a_worksheet_asks_and_its_answer_key_answers_from_the_data(client):
    _, html = get(client, "/print/southern-route/worksheet")
    questions, key = html.split('class="answer-key"')
    for stage in SOUTHERN.narrative.stages:
        assert escape(stage.title) in questions
        assert escape(stage.dangers) not in questions and escape(stage.dangers) in key
    for code in dict.fromkeys(SOUTHERN.countries):
        country = ATLAS.country(code)
        assert escape(country.name) in questions
        if country.policy:
            assert escape(country.policy) not in questions and escape(country.policy) in key
    _, html = get(client, "/print/compare/southern-route/dmz-route")
    questions, key = html.split('class="answer-key"')
    assert "Worksheet: comparing two routes" in questions
    for route in (SOUTHERN, ATLAS.route("dmz-route")):
        assert escape(route.title) in questions and escape(route.summary) in key


def test_the_public_address_setting_decides_the_qr_code_and_the_embed_code():
    app = create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL":
                      "https://example.org/escape/"})
    client = app.test_client()
    _, html = get(client, "/print/southern-route")
    assert '<span class="address">https://example.org/escape/routes/southern-route</span>' in html
    _, html = get(client, "/routes/southern-route")
    assert "src=&#34;https://example.org/escape/embed/southern-route&#34;" in html

    app = create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL": ""})  # as exported
    client = app.test_client()
    assert 'class="qr-code"' not in get(client, "/print/southern-route")[1]
    _, html = get(client, "/routes/southern-route")
    assert re.search(r'<div class="embed-box" data-embed-page="/embed/southern-route"', html)
    assert re.search(r'class="embed-code"[^>]*></textarea>', html), "written by the script"
    assert "This copy of the map has no public address" in html


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
    assert not re.search(r"\sstyle=", svg), "CSP: no style attributes"
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


def test_the_guide_gathers_every_question_with_the_aims_it_serves(client):
    _, html = get(client, "/teach")
    guide = ATLAS.guide
    text = Html(html).text
    assert f"<h1>{guide.title}</h1>" in html
    for section in guide.sections:
        assert f'<h2 id="{section.id}-heading">{section.title}</h2>' in html
    southern = html[html.index('id="questions-southern-route"'):]
    assert SOUTHERN.narrative.questions[0] in southern
    assert "Aims: Reading a map of a journey; Refugees&#39; rights and forced return" in southern
    assert ATLAS.context.questions[0] in html
    for route in ATLAS.routes:
        for question in route.narrative.questions:
            assert question in text
        assert f'href="/present/{route.id}"' in html and f'href="/print/{route.id}"' in html
        assert f'href="/print/{route.id}/worksheet"' in html
        assert f'href="/routes/{route.id}#story-{route.id}-teach"' in html
    tags = Html(html)
    assert {box["value"] for box in tags.find("input", type="checkbox", name="routes")} == {
        route.id for route in ATLAS.routes}
    assert tags.find("form", class_="compare-form", action="/present/compare")
    assert tags.find("button", type="submit", name="print", value="1",
                     **{"data-address": "/print/compare/__first__/__second__"})


def test_without_a_guide_the_page_still_gives_the_tools_and_the_questions(site_copy):
    (site_copy.parent / "teach.md").unlink()
    client = create_app({"MAPAPP_DATA": str(site_copy), "TESTING": True}).test_client()
    _, html = get(client, "/teach")
    assert "<h1>For teachers</h1>" in html and SOUTHERN.narrative.questions[0] in html
    assert "Aims:" not in html


def test_every_page_with_the_site_header_links_to_the_guide_and_about_does_too(app, client):
    with app.test_request_context():
        pages = sorted({url_for(endpoint, **values) for endpoint, values in addresses()})
    checked = 0
    for url in pages:
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        if 'class="deck-slides"' in html or 'class="embed-page"' in html:
            assert 'class="masthead"' not in html, url  # a projector's or a frame's: no chrome
            continue
        nav = html[html.index('class="site-nav"'):html.index("</nav>", html.index("site-nav"))]
        teach = "/ko/teach" if url.startswith("/ko/") else "/teach"
        assert f'href="{teach}"' in nav, url
        checked += 1
    assert checked > 10
    assert 'href="/teach">The teachers’ guide</a>' in get(client, "/about")[1]
    _, html = get(client, "/teach")
    assert 'href="/teach" aria-current="page">For teachers</a>' in html


def test_the_print_map_names_the_rivers_and_towns_of_the_story_and_reads_in_grey():
    svg = printmap.route_svg(ATLAS, SOUTHERN, "m")
    root = ET.fromstring(svg)
    names = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
             if t.get("class") == "map-label"}
    crossed = {ATLAS.crossing(c).river for c in SOUTHERN.crossings}
    assert crossed and crossed <= names, "the river of each crossing is named"
    assert {ATLAS.country(code).name for code in SOUTHERN.countries} <= names
    towns = {stage.place.ref for stage in SOUTHERN.narrative.stages
             if stage.place.kind == "point"}
    assert towns and towns <= names, "the towns the stages name"
    fills = {p.get("fill") for p in root.iter("{http://www.w3.org/2000/svg}path")}
    assert {"url(#m-origin)", "url(#m-transit)"} <= fills, "patterns, not only colours"
    assert root.find(".//{http://www.w3.org/2000/svg}pattern[@id='m-origin']") is not None
