"""The site over HTTP (Flask's test client) and `mapapp serve` as a command and a process.

Data: tests/data/site (see conftest.py); tests that change data work on a copy in tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import shapely
from conftest import SITE_DATA
from flask.cli import ScriptInfo
from shapely.geometry import shape

from mapapp import mapbuilder
from mapapp.cli import cli
from mapapp.model import load_atlas
from mapapp.web import create_app
from mapapp.web.api import rfc7946_geometry

ATLAS = load_atlas(SITE_DATA)
ROUTE_IDS = [route.id for route in ATLAS.routes]
LAYERS = ("routes", "crossings", "countries", "dmz")


class Tags(HTMLParser):
    """Start tags with their attributes, in document order, and the text of <script>s."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, response.get_data(as_text=True)


def map_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html,
                      re.S)
    return json.loads(match.group(1))


def touch(path: Path) -> None:
    """Move the modification time forward, so a same-second edit is still seen as a change."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


# -- the map page --------------------------------------------------------------------------------
def test_index_lists_every_route_and_embeds_the_map(client):
    response, html = page(client, "/")
    assert response.mimetype == "text/html"
    tags = Tags(html)
    links = [a["data-route"] for a in tags.find("a") if "route-link" in a.get("class", "")]
    assert links == ROUTE_IDS
    config = map_config(html)
    assert tags.find("div", id=config["map"]), "the folium map's element is in the page"
    assert set(config["routes"]) == set(ROUTE_IDS)
    for route in ATLAS.routes:
        entry = config["routes"][route.id]
        assert re.fullmatch(r"geo_json_route_\w+", entry["layer"])
        assert len(entry["stages"]) == len(route.narrative.stages)
    assert not tags.find("iframe")


def test_index_loads_only_its_own_scripts_and_styles_and_no_inline_script(client):
    _, html = page(client, "/")
    tags = Tags(html)
    sources = [a["src"] for a in tags.find("script") if "src" in a]
    sources += [a["href"] for a in tags.find("link")]
    assert sources and all(url.startswith("/") and not url.startswith("//") for url in sources)
    assert any(url.split("?")[0].endswith("/leaflet.js") for url in sources)  # ?v=: its version
    for attrs, text in zip(tags.find("script"), tags.scripts, strict=True):
        assert "src" in attrs or attrs.get("type") == "application/json", text[:80]
    assert not tags.find("style") and 'style="' not in html
    assert "user-scalable" not in html


def test_every_script_and_stylesheet_the_page_names_is_served(client):
    _, html = page(client, "/")
    tags = Tags(html)
    for url in [a["src"] for a in tags.find("script") if "src" in a] + [
            a["href"] for a in tags.find("link", rel="stylesheet")]:
        with client.get(url) as response:  # closes the static file it streams
            assert response.status_code == 200, url
            assert response.mimetype in ("text/javascript", "text/css"), url


def test_map_script_is_folium_output_cached_forever_under_its_digest(client):
    _, html = page(client, "/")
    url = next(a["src"] for a in Tags(html).find("script") if "/map/" in a.get("src", ""))
    response = client.get(url)
    assert response.mimetype == "text/javascript"
    assert "immutable" in response.headers["Cache-Control"]
    script = response.get_data(as_text=True)
    assert 'var map_routes = L.map(' in script
    assert '"maxZoom": 8' in script and '"minZoom": 3' in script
    assert "L.tileLayer" not in script and "http" not in script.split("attribution")[0]
    assert client.get(re.sub(r"/map/\w+", "/map/0123456789abcdef", url)).status_code == 404


def test_crossings_are_areas_of_at_least_five_kilometres_never_markers(client):
    _, html = page(client, "/")
    url = next(a["src"] for a in Tags(html).find("script") if "/map/" in a.get("src", ""))
    script = client.get(url).get_data(as_text=True)
    radii = [float(r) for r in re.findall(r'"radius": ([\d.]+)', script)]
    assert len(radii) == len(ATLAS.crossings) and min(radii) >= 5000
    assert "L.marker" not in script and "L.circleMarker" not in script


def test_security_headers_and_a_strict_policy(client):
    for url in ("/", f"/routes/{ROUTE_IDS[0]}", "/about", "/statistics", "/api/routes.json",
                "/nowhere"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "http" not in policy and "*" not in policy
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


def test_route_page_renders_its_narrative_on_the_server(client):
    route = ATLAS.route("southern-route")
    _, html = page(client, "/routes/southern-route")
    tags = Tags(html)
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


def test_sources_are_listed_with_title_publisher_year_and_a_safe_link(client):
    route = ATLAS.route("dmz-route")
    _, html = page(client, "/routes/dmz-route")
    for source in route.sources + route.narrative.stages[0].sources:
        assert f'<a href="{source.url}" rel="noopener noreferrer"><cite>' in html
        assert f"{source.publisher}, {source.year}" in html
    external = [a for a in Tags(html).find("a") if a["href"].startswith("http")]
    assert external and all(a.get("rel") == "noopener noreferrer" for a in external)


def test_content_note_only_where_the_narrative_has_one(client):
    _, html = page(client, "/routes/dmz-route")
    article = html[html.index('id="story-dmz-route"'):]
    article = article[:article.index("</article>")]
    assert "Content note" not in article


def test_unknown_route_gives_a_404_page_with_a_way_back(client):
    response, html = page(client, "/routes/no-such-route", 404)
    assert response.mimetype == "text/html"
    assert "no-such-route" in html and 'href="/"' in html
    _, html = page(client, "/routes/%3Cscript%3E", 404)
    assert "<script>" not in html.split("</head>")[1] and "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["/nowhere", "/api/layers/nothing.geojson", "/routes/",
                                 "/map/abc.js", "/charts/arrivals-0.svg", "/api/nothing"])
def test_unknown_addresses_give_the_friendly_404_page(client, url):
    response, html = page(client, url, 404)
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
    _, html = page(client, "/routes/dmz-route")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(3)" not in html and 'href="javascript' not in html
    assert "<b>bold</b>" not in html
    url = next(a["src"] for a in Tags(html).find("script") if "/map/" in a.get("src", ""))
    script = client.get(url).get_data(as_text=True)
    assert "<img" not in script and "<b>" not in script and "${alert" not in script
    assert "&lt;img src=x onerror=alert(1)&gt; &#96;&#36;&#123;alert(2)&#125;&#96;" in script


# -- statistics and about ------------------------------------------------------------------------
def test_statistics_page_has_the_chart_the_table_the_sources_and_the_caveat(client):
    _, html = page(client, "/statistics")
    tags = Tags(html)
    image = tags.find("img")[0]
    assert image["alt"].startswith("Bar chart of North Koreans arriving")
    arrivals = [f for f in ATLAS.figures if f.series == "arrivals"]
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


def test_statistics_chart_is_drawn_once_per_data_version(app, monkeypatch):
    from mapapp import charts

    calls = []
    original = charts.arrivals_svg
    monkeypatch.setattr(charts, "arrivals_svg", lambda figures: calls.append(1) or
                        original(figures))
    client = app.test_client()
    first = page(client, "/statistics")[1]
    assert page(client, "/statistics")[1] == first
    assert len(calls) == 1


def test_about_page_credits_and_explains_the_safety_policy(client):
    _, html = page(client, "/about")
    for text in ("Natural Earth", "public domain", "world-atlas", "GeoNames", "CC BY 4.0",
                 "Leaflet", "BSD", "folium", "MIT", "docs/data-format.md", "two decimals",
                 "safe houses", "brokers"):
        assert text in html, text
    for route in ATLAS.routes:
        for source in route.sources:
            assert source.url in html


def test_empty_data_shows_empty_states(tmp_path):
    (tmp_path / "routes.geojson").write_text('{"type": "FeatureCollection", "features": []}\n')
    client = create_app({"MAPAPP_DATA": str(tmp_path / "routes.geojson")}).test_client()
    assert "No routes yet" in page(client, "/")[1]
    assert "No figures yet" in page(client, "/statistics")[1]
    assert json.loads(page(client, "/api/routes.json")[1]) == []


# -- API -----------------------------------------------------------------------------------------
def test_routes_api_lists_every_route_with_its_metadata(client):
    response, text = page(client, "/api/routes.json")
    assert response.mimetype == "application/json"
    routes = json.loads(text)
    assert [r["id"] for r in routes] == ROUTE_IDS
    southern = routes[0]
    assert southern["countries"][0] == "PRK" and southern["url"] == "/routes/southern-route"
    assert southern["period"] == {"from": 2004, "to": None}
    assert southern["modes"] == ["land", "air"]
    assert southern["content_note"].startswith("This route describes")
    assert [s["place"]["kind"] for s in southern["stages"]] == ["crossing", "country", "point"]
    assert set(southern["sources"][0]) == {"title", "publisher", "year", "url"}


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_are_rfc7946_geojson(client, layer):
    response, text = page(client, f"/api/layers/{layer}.geojson")
    assert response.mimetype == "application/geo+json"
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert collection["features"]
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["id"], str)
        geometry = shape(feature["geometry"])
        assert geometry.is_valid
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw, feature["id"]
                assert not any(ring.is_ccw for ring in polygon.interiors)
        west, south, east, north = geometry.bounds
        assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def test_layer_contents_match_the_data(client):
    def ids(layer):
        return [f["id"] for f in json.loads(page(client, f"/api/layers/{layer}.geojson")[1])
                ["features"]]

    assert ids("routes") == ROUTE_IDS
    assert ids("crossings") == [c.id for c in ATLAS.crossings]
    assert sorted(ids("countries")) == sorted(c.iso3 for c in ATLAS.described_countries)
    countries = json.loads(page(client, "/api/layers/countries.geojson")[1])["features"]
    china = next(f for f in countries if f["id"] == "CHN")
    assert china["properties"]["role"] == "transit" and china["properties"]["policy"]
    assert shape(china["geometry"]).area > 500, "the base-map shape, joined by iso3"
    dmz = json.loads(page(client, "/api/layers/dmz.geojson")[1])["features"]
    nll = next(f for f in dmz if f["properties"]["kind"] == "nll")
    assert nll["properties"]["schematic"] and nll["properties"]["disputed"]


def test_healthz_reports_the_data_version(client, app):
    response, text = page(client, "/healthz")
    assert response.mimetype == "application/json"
    health = json.loads(text)
    assert health["status"] == "ok" and health["version"] == ATLAS.version
    assert re.fullmatch(r"[0-9a-f]{12}", health["version"])


def test_version_is_a_hash_of_every_input_file(site_copy):
    before = load_atlas(site_copy).version
    assert load_atlas(site_copy).version == before
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    narrative.write_text(narrative.read_text().replace("ran across", "ran over"))
    after_narrative = load_atlas(site_copy).version
    statistics = site_copy.parent / "statistics.csv"
    statistics.write_text(statistics.read_text().replace("583", "584"))
    assert len({before, after_narrative, load_atlas(site_copy).version}) == 3


# -- built once per data version -----------------------------------------------------------------
def test_the_map_is_built_once_and_pages_are_cached(app, monkeypatch):
    calls = []
    original = mapbuilder.build_map
    monkeypatch.setattr(mapbuilder, "build_map", lambda *a: calls.append(1) or original(*a))
    client = app.test_client()
    first = page(client, "/")[1]
    for url in ["/", *(f"/routes/{route_id}" for route_id in ROUTE_IDS), "/"]:
        page(client, url)
    assert page(client, "/")[1] == first
    assert len(calls) == 1


def test_flask_cli_finds_the_app_factory(monkeypatch):
    monkeypatch.setenv("MAPAPP_DATA", str(SITE_DATA))
    app = ScriptInfo(app_import_path="mapapp").load_app()
    assert app.test_client().get("/healthz").json["version"] == ATLAS.version


# -- debug mode: reload, and keep the last good data ---------------------------------------------
def test_watching_reloads_changed_data_and_keeps_the_last_good_version(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy), "MAPAPP_WATCH": True}).test_client()
    good = client.get("/healthz").json["version"]
    assert 'role="alert"' not in page(client, "/")[1]

    site_copy.write_text(site_copy.read_text()[:-40])  # truncated: not JSON any more
    touch(site_copy)
    for url in ("/", "/routes/southern-route", "/about", "/nowhere"):
        html = client.get(url).get_data(as_text=True)
        assert 'role="alert"' in html and "is not valid JSON" in html, url
    assert page(client, "/routes/southern-route")[1].count('class="route-link"') == 3
    assert client.get("/healthz").json == {"status": "ok", "version": good, "routes": 3,
                                           "problems": 1}

    data = json.loads((SITE_DATA).read_text())
    data["features"][0]["properties"]["title"] = "A new title for the southern route"
    site_copy.write_text(json.dumps(data, indent=2))
    touch(site_copy)
    html = page(client, "/")[1]
    assert 'role="alert"' not in html and "A new title for the southern route" in html
    assert client.get("/healthz").json["version"] != good


def test_watching_shows_every_problem_of_a_broken_narrative(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy), "MAPAPP_WATCH": True}).test_client()
    narrative = site_copy.parent / "narratives" / "northern-route.md"
    narrative.write_text(narrative.read_text().replace("place: country MNG\n", ""))
    touch(narrative)
    html = page(client, "/")[1]
    assert "1 problem." in html and "northern-route.md:" in html and "place:" in html
    assert "Across the Gobi" in html, "the last good narrative is still served"


def test_without_watching_the_data_is_read_once(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
    site_copy.write_text("not json")
    touch(site_copy)
    assert 'role="alert"' not in page(client, "/")[1]


# -- mapapp serve --------------------------------------------------------------------------------
@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [\n')
    return path


@pytest.fixture
def invalid(site_copy) -> Path:
    data = json.loads(site_copy.read_text())
    data["features"][0]["properties"]["countries"] = ["XXX"]
    data["features"][1]["properties"].pop("title")
    site_copy.write_text(json.dumps(data, indent=2))
    return site_copy


def test_serve_refuses_unreadable_data_in_one_line(runner, broken):
    result = runner.invoke(cli, ["serve", "--data", str(broken)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "broken.geojson" in lines[0] and "not valid JSON" in lines[0]


def test_serve_refuses_invalid_data_naming_the_problems(runner, invalid):
    result = runner.invoke(cli, ["serve", "--data", str(invalid)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and re.search(r"\d+ problems; the first: .*routes\.geojson:\d+",
                                         lines[0])


@pytest.mark.parametrize("arguments", [["--port", "0"], ["--port", "http"], ["--nonsense"],
                                       ["extra"]])
def test_serve_rejects_bad_arguments(runner, arguments):
    assert runner.invoke(cli, ["serve", *arguments]).exit_code == 2


def _mapapp(*arguments: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mapapp", *arguments], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.parametrize("fixture", ["broken", "invalid"])
def test_serve_process_exits_2_with_one_line_and_no_traceback(request, fixture):
    process = _mapapp("serve", "--port", "1", "--data", str(request.getfixturevalue(fixture)))
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr + stdout
    assert stderr.startswith("mapapp: cannot serve ")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_process_serves_with_waitress_and_stops_cleanly():
    port = _free_port()
    process = _mapapp("serve", "--port", str(port), "--data", str(SITE_DATA))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r)["version"] == ATLAS.version
                    assert r.headers["Server"] == "mapapp"
                    break
            except OSError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_api_geometries_are_oriented_as_rfc7946_asks():
    clockwise = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)],
                                [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
    rings = rfc7946_geometry(clockwise)["coordinates"]
    assert shapely.LinearRing(rings[0]).is_ccw and not shapely.LinearRing(rings[1]).is_ccw
