"""The pages over HTTP (mapapp.web.pages and the shared rendering, Flask's test client): the map
page and a route page, statistics and about, errors, escaping, and what is built once per data
version. Security headers are tests/test_security.py; the pages in Chromium, tests/browser/.

Data: tests/data/site (see tests/data/README.md); tests that change data work on a copy.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import Html, drop_context_and_glossary, get, route_ids

from mapapp import charts, mapbuilder
from mapapp.web import create_app

ROUTE_IDS = route_ids()


def map_config(html: str) -> dict:
    page = Html(html)
    [config] = [text for attrs, text in zip(page.find("script"), page.scripts, strict=True)
                if attrs.get("id") == "map-config"]
    return json.loads(config)


# -- the map page --------------------------------------------------------------------------------
def test_index_lists_every_route_and_embeds_the_map(client, site_atlas):
    response, html = get(client, "/")
    assert response.mimetype == "text/html"
    tags = Html(html)
    links = [a["data-route"] for a in tags.find("a") if "route-link" in a.get("class", "")]
    assert links == ROUTE_IDS
    config = map_config(html)
    assert tags.find("div", id=config["map"]), "the folium map's element is in the page"
    assert set(config["routes"]) == set(ROUTE_IDS)
    for route in site_atlas.routes:
        entry = config["routes"][route.id]
        assert re.fullmatch(r"geo_json_route_\w+", entry["layer"])
        assert len(entry["stages"]) == len(route.narrative.stages)
    assert not tags.find("iframe")


def test_index_loads_only_its_own_scripts_and_styles_and_no_inline_script(client):
    _, html = get(client, "/")
    tags = Html(html)
    sources = [a["src"] for a in tags.find("script") if "src" in a]
    sources += [a["href"] for a in tags.find("link") if a["rel"] not in ("alternate", "expect")]
    assert sources and all(url.startswith("/") and not url.startswith("//") for url in sources)
    assert any(url.split("?")[0].endswith("/leaflet.js") for url in sources)  # ?v=: its version
    for attrs, text in zip(tags.find("script"), tags.scripts, strict=True):
        assert "src" in attrs or attrs.get("type") == "application/json", text[:80]
    assert not tags.find("style") and 'style="' not in html
    assert "user-scalable" not in html


def test_every_script_and_stylesheet_the_page_names_is_served(client):
    _, html = get(client, "/")
    tags = Html(html)
    for url in [a["src"] for a in tags.find("script") if "src" in a] + [
            a["href"] for a in tags.find("link", rel="stylesheet")]:
        with client.get(url) as response:  # closes the static file it streams
            assert response.status_code == 200, url
            assert response.mimetype in ("text/javascript", "text/css"), url


def test_map_script_is_folium_output_cached_forever_under_its_digest(client):
    _, html = get(client, "/")
    url = next(a["src"] for a in Html(html).find("script") if "/map/" in a.get("src", ""))
    response = client.get(url)
    assert response.mimetype == "text/javascript"
    assert "immutable" in response.headers["Cache-Control"]
    script = response.get_data(as_text=True)
    assert 'var map_routes = L.map(' in script
    assert '"maxZoom": 8' in script and '"minZoom": 3' in script
    assert "L.tileLayer" not in script and "http" not in script.split("attribution")[0]
    assert client.get(re.sub(r"/map/\w+", "/map/0123456789abcdef", url)).status_code == 404


def test_the_map_script_keeps_its_address_when_the_server_restarts(client, fresh_app):
    """Cached for a year under its digest: a restart must not give browsers a new copy."""
    def script(client) -> str:
        return next(a["src"] for a in Html(get(client, "/")[1]).find("script")
                    if "/map/" in a.get("src", ""))
    assert script(fresh_app.test_client()) == script(client)


def test_crossings_are_areas_of_at_least_five_kilometres_never_markers(client, site_atlas):
    _, html = get(client, "/")
    url = next(a["src"] for a in Html(html).find("script") if "/map/" in a.get("src", ""))
    script = client.get(url).get_data(as_text=True)
    radii = [float(r) for r in re.findall(r'"radius": ([\d.]+)', script)]
    assert len(radii) == len(site_atlas.crossings) and min(radii) >= 5000
    assert "L.marker" not in script and "L.circleMarker" not in script


def test_route_page_renders_its_narrative_on_the_server(client, site_atlas):
    route = site_atlas.route("southern-route")
    _, html = get(client, "/routes/southern-route")
    tags = Html(html)
    article = tags.find("article", id="story-southern-route")[0]
    assert "hidden" not in article
    assert all("hidden" in a for a in tags.find("article") if a["id"] != "story-southern-route")
    assert f"<title>{route.title} · " in html
    assert tags.find("meta", name="description")[0]["content"] == route.summary
    assert tags.find("meta", property="og:title")[0]["content"].startswith(route.title)
    assert tags.find("meta", property="og:description")[0]["content"] == route.summary
    current = [a["data-route"] for a in tags.find("a", **{"aria-current": "page"})
               if "data-route" in a]
    assert current == ["southern-route"]
    for stage in route.narrative.stages:
        assert stage.title in html
    body = html[html.index('id="story-southern-route"'):]
    assert body.index("Content note") < body.index(route.narrative.stages[0].title)
    assert "<em>illegal economic migrants</em>" in body, "Markdown is rendered"


def test_sources_are_listed_with_title_publisher_year_and_a_safe_link(client, site_atlas):
    route = site_atlas.route("dmz-route")
    _, html = get(client, "/routes/dmz-route")
    for source in route.sources + route.narrative.stages[0].sources:
        assert f'<a href="{source.url}" rel="noopener noreferrer"><cite>' in html
        assert f"{source.publisher}, {source.year}" in html
    external = [a for a in Html(html).find("a") if a["href"].startswith("http")]
    assert external and all(a.get("rel") == "noopener noreferrer" for a in external)


def test_content_note_only_where_the_narrative_has_one(client):
    _, html = get(client, "/routes/dmz-route")
    article = html[html.index('id="story-dmz-route"'):]
    article = article[:article.index("</article>")]
    assert "Content note" not in article


def test_unknown_route_gives_a_404_page_with_a_way_back(client):
    response, html = get(client, "/routes/no-such-route", 404)
    assert response.mimetype == "text/html"
    assert "no-such-route" in html and 'href="/"' in html
    _, html = get(client, "/routes/%3Cscript%3E", 404)
    assert "<script>" not in html.split("</head>")[1] and "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["/nowhere", "/api/layers/nothing.geojson", "/routes/",
                                 "/map/abc.js", "/charts/arrivals-0.svg", "/api/nothing"])
def test_unknown_addresses_give_the_friendly_404_get(client, url):
    response, html = get(client, url, 404)
    assert response.mimetype == "text/html"
    assert "Back to the map" in html


def test_wrong_method_gives_405_with_allow(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Not allowed here" in response.get_data(as_text=True)
    assert client.delete("/api/routes.json").status_code == 405
    assert client.head("/").status_code == 200


def test_data_text_is_escaped_everywhere_and_markdown_is_sanitised(site_copy):
    data = json.loads(site_copy.read_text())
    evil = 'Evil <img src=x onerror=alert(1)> `${alert(2)}` \\ & "q"'
    for feature in data["features"]:
        if feature["id"] == "dmz-route":
            feature["properties"]["title"] = evil
        if feature["id"] == "jsa":
            feature["properties"]["name"] = "Panmunjom <b>bold</b>"
    site_copy.write_text(json.dumps(data, indent=2))
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    narrative.write_text(narrative.read_text().replace(
        "In November 2017", "<script>alert(3)</script> [x](javascript:alert(4)) In November"))
    client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
    _, html = get(client, "/routes/dmz-route")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(3)" not in html and 'href="javascript' not in html
    assert "<b>bold</b>" not in html
    url = next(a["src"] for a in Html(html).find("script") if "/map/" in a.get("src", ""))
    script = client.get(url).get_data(as_text=True)
    assert "<img" not in script and "<b>" not in script and "${alert" not in script
    assert "&lt;img src=x onerror=alert(1)&gt; &#96;&#36;&#123;alert(2)&#125;&#96;" in script


# -- statistics and about ------------------------------------------------------------------------
def test_statistics_page_has_the_chart_the_table_the_sources_and_the_caveat(client, site_atlas):
    _, html = get(client, "/statistics")
    tags = Html(html)
    image = tags.find("img")[0]
    assert image["alt"].startswith("Bar chart of North Koreans arriving")
    arrivals = [f for f in site_atlas.figures if f.series == "arrivals"]
    assert html.count('<th scope="row">') >= len(arrivals)
    for figure in arrivals:
        assert f"{figure.value:,}" in html
    assert "revises its counts" in html
    assert "https://www.hrw.org/reports/2002/northkorea/" in html
    chart = client.get(image["src"])
    assert chart.mimetype == "image/svg+xml" and "immutable" in chart.headers["Cache-Control"]
    svg = chart.get_data(as_text=True)
    assert "<title>Arrivals in South Korea by year</title>" in svg and "<desc>" in svg
    assert "<text" in svg and "font-family" in svg, "text stays text"
    assert "script" not in chart.headers["Content-Security-Policy"]


def test_statistics_chart_is_drawn_once_per_data_version(fresh_app, monkeypatch):
    calls = []
    original = charts.arrivals_svg
    monkeypatch.setattr(charts, "arrivals_svg", lambda *args: calls.append(1) or
                        original(*args))
    client = fresh_app.test_client()
    first = get(client, "/statistics")[1]
    assert get(client, "/statistics")[1] == first
    assert len(calls) == 1


def test_about_page_credits_and_explains_the_safety_policy(client, site_atlas):
    _, html = get(client, "/about")
    for text in ("Natural Earth", "public domain", "world-atlas", "GeoNames", "CC BY 4.0",
                 "Leaflet", "BSD", "folium", "MIT", "docs/data-format.md", "two decimals",
                 "safe houses", "brokers"):
        assert text in html, text
    for route in site_atlas.routes:
        for source in route.sources:
            assert source.url in html


def test_empty_data_shows_empty_states(tmp_path):
    (tmp_path / "routes.geojson").write_text('{"type": "FeatureCollection", "features": []}\n')
    client = create_app({"MAPAPP_DATA": str(tmp_path / "routes.geojson")}).test_client()
    assert "No routes yet" in get(client, "/")[1]
    assert "No figures yet" in get(client, "/statistics")[1]
    assert json.loads(get(client, "/api/routes.json")[1]) == []


# -- built once per data version -----------------------------------------------------------------
def test_the_map_is_built_once_and_pages_are_cached(fresh_app, monkeypatch):
    calls = []
    original = mapbuilder.build_map
    monkeypatch.setattr(mapbuilder, "build_map", lambda *a: calls.append(1) or original(*a))
    client = fresh_app.test_client()
    first = get(client, "/")[1]
    for url in ["/", *(f"/routes/{route_id}" for route_id in ROUTE_IDS), "/"]:
        get(client, url)
    assert get(client, "/")[1] == first
    assert len(calls) == 1


# -- the context chapter, the glossary, sources read in a copy, further reading ---------------------
def test_the_map_page_gives_the_context_chapter_before_the_routes(client, site_atlas):
    _, html = get(client, "/")
    chapter = site_atlas.context
    link = html.index('<a href="/#context">')
    assert link < html.index('class="route-list"'), "the link to it comes before the list"
    section = html[html.index('<section class="context-chapter" id="context"'):]
    section = section[:section.index("</article>")]
    welcome = html[html.index('id="story-welcome"'):]
    assert section in welcome[:welcome.index("</article>")], (
        "the chapter is what the story panel shows before a route")
    assert chapter.title in section and chapter.content_note in section
    for part in chapter.sections:
        assert f">{part.title}</h4>" in section
        for source in part.sources:
            assert f'<a href="{source.url}" rel="noopener noreferrer"><cite>' in section
    assert "Most North Koreans never try to leave. Why?" in section, "its questions"
    assert [tag for tag, _ in Html(section).tags if tag in ("h3", "h4", "h5")][:3] == [
        "h3", "h4", "h5"], "under the welcome panel's h2"


def test_a_route_page_keeps_its_story_in_front_with_a_link_back_to_the_chapter(client):
    _, html = get(client, "/routes/southern-route")
    tags = Html(html)
    assert "hidden" in tags.find("article", id="story-welcome")[0]
    assert "hidden" not in tags.find("article", id="story-southern-route")[0]
    assert tags.find("a", href="/#context"), "a link back to the context chapter"


def test_without_a_context_chapter_the_map_page_has_neither_chapter_nor_link(site_copy):
    drop_context_and_glossary(site_copy.parent)
    _, html = get(create_app({"MAPAPP_DATA": str(site_copy)}).test_client(), "/")
    assert 'id="context"' not in html and "#context" not in html


def test_the_glossary_page_explains_every_term_under_its_id_with_sources(client, site_atlas):
    _, html = get(client, "/glossary")
    assert "<h1>Glossary</h1>" in html
    terms = site_atlas.glossary.terms
    index = html[html.index('class="toc glossary-index"'):]
    index = index[:index.index("</nav>")]
    assert [a["href"] for a in Html(index).find("a")] == [f"#{term.id}" for term in terms]
    for term in terms:
        entry = html[html.index(f'<section class="glossary-entry" id="{term.id}">'):]
        entry = entry[:entry.index("</section>")]
        assert f"<h2>{term.term}</h2>" in entry
        assert all(source.url in entry for source in term.sources)
    assert "read at" in html and 'href="http://www.globalr2p.org/resources/760"' in html


def test_every_page_with_a_footer_links_the_glossary_and_the_map_page_too(client):
    for url in ("/", "/routes/dmz-route", "/statistics", "/about", "/glossary",
                "/routes/no-such-route"):
        response = client.get(url)
        assert Html(response.get_data(as_text=True)).find("a", href="/glossary"), url


def test_glossary_links_in_stories_go_to_the_entry_with_its_short_definition(client, site_atlas):
    _, html = get(client, "/routes/dmz-route")
    [link] = [a for a in Html(html).find("a") if a.get("class") == "glossary-link"
              and a["href"] == "/glossary#mdl"]
    assert link["title"] == ("The line agreed in the 1953 armistice that divides the two Koreas "
                             "on land.")
    assert "glossary:" not in html
    links = [a for page in ["/", *(f"/routes/{route.id}" for route in site_atlas.routes)]
             for a in Html(get(client, page)[1]).find("a") if a.get("class") == "glossary-link"]
    assert {a["href"] for a in links} >= {"/glossary#broker", "/glossary#forced-return"}


def test_a_source_read_in_a_copy_names_where_it_was_read(client):
    _, html = get(client, "/")
    item = html[html.index("commission of inquiry"):]
    item = item[:item.index("</li>")]
    assert '(read at <a href="http://www.globalr2p.org/resources/760" rel="noopener ' \
           'noreferrer">globalr2p.org</a>)' in " ".join(item.split())
    assert "https://undocs.org/A/HRC/25/63" in html[html.index("commission of inquiry") - 200:]


def test_the_about_page_gives_further_reading_and_help(client, site_atlas):
    _, html = get(client, "/about")
    tags = Html(html)
    assert tags.find("a", href="#further-reading")
    section = html[html.index('<section id="further-reading"'):]
    section = section[:section.index("</section>")]
    assert '<h2 id="further-reading-heading">Further reading and help</h2>' in section
    assert "<h3>Organisations</h3>" in section and "<h3>Reports</h3>" in section
    assert 'href="https://www.libertyinnorthkorea.org/"' in section
    for source in site_atlas.context.sections[0].sources + site_atlas.glossary.terms[0].sources:
        assert source.url in html, "the sources list has the chapter's and glossary's too"


def test_the_teachers_note_is_in_the_teacher_section_only(site_copy):
    story = site_copy.parent / "narratives" / "northern-route.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "---\n", "---\nteacher_note: Read the content note first.\n", 1), encoding="utf-8")
    client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
    _, html = get(client, "/routes/northern-route")
    assert html.count("Read the content note first.") == 1
    teach = html[html.index('id="story-northern-route-teach"'):]
    assert "Read the content note first." in teach[:teach.index("</section>")]
    assert "Read the content note first." not in get(client, "/api/routes.json")[1]


def test_statistics_give_early_totals_as_spans_and_a_bound_as_a_bound(client):
    _, html = get(client, "/statistics")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert "1990–1994 86 in 5 years together – 2011-07" in cells
    arrivals = html[:html.index('id="totals"')]
    assert arrivals.index("1990–1994") < arrivals.index(">2001<"), "oldest first"
    assert any(cell.startswith("North Koreans hiding in China (estimate) 2006 up to 100,000 ")
               for cell in cells)
    assert "only totals over several years" in html
