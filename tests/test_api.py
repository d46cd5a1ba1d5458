"""The JSON and GeoJSON API (mapapp.web.api) and /healthz, over Flask's test client.

Data: tests/data/site (see tests/data/README.md); tests that change data work on a copy.
The API's description, docs/openapi.yaml, is checked against the app in tests/test_openapi.py.
"""

from __future__ import annotations

import json
import re

import pytest
import shapely
from helpers import drop_context_and_glossary, get, route_ids
from shapely.geometry import shape

from mapapp.web import create_app
from mapapp.web.api import rfc7946_geometry

ROUTE_IDS = route_ids()
LAYERS = ("routes", "crossings", "countries", "dmz")


def test_routes_api_lists_every_route_with_its_metadata(client):
    response, text = get(client, "/api/routes.json")
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
    response, text = get(client, f"/api/layers/{layer}.geojson")
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


def test_layer_contents_match_the_data(client, site_atlas):
    def ids(layer):
        return [f["id"] for f in json.loads(get(client, f"/api/layers/{layer}.geojson")[1])
                ["features"]]

    assert ids("routes") == ROUTE_IDS
    assert ids("crossings") == [c.id for c in site_atlas.crossings]
    assert sorted(ids("countries")) == sorted(c.iso3 for c in site_atlas.described_countries)
    countries = json.loads(get(client, "/api/layers/countries.geojson")[1])["features"]
    china = next(f for f in countries if f["id"] == "CHN")
    assert china["properties"]["role"] == "transit" and china["properties"]["policy"]
    assert shape(china["geometry"]).area > 500, "the base-map shape, joined by iso3"
    dmz = json.loads(get(client, "/api/layers/dmz.geojson")[1])["features"]
    nll = next(f for f in dmz if f["properties"]["kind"] == "nll")
    assert nll["properties"]["schematic"] and nll["properties"]["disputed"]


def test_healthz_reports_the_data_version(client, site_atlas):
    response, text = get(client, "/healthz")
    assert response.mimetype == "application/json"
    health = json.loads(text)
    assert health["status"] == "ok" and health["version"] == site_atlas.version
    assert re.fullmatch(r"[0-9a-f]{12}", health["version"])


def test_the_version_changes_with_every_input_file(site_copy):
    def version() -> str:
        client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
        return client.get("/healthz").json["version"]

    before = version()
    assert version() == before, "the same files, the same version"
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    narrative.write_text(narrative.read_text().replace("ran across", "ran over"))
    after_narrative = version()
    statistics = site_copy.parent / "statistics.csv"
    statistics.write_text(statistics.read_text().replace("583", "584"))
    assert len({before, after_narrative, version()}) == 3


def test_api_geometries_are_oriented_as_rfc7946_asks():
    clockwise = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)],
                                [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
    rings = rfc7946_geometry(clockwise)["coordinates"]
    assert shapely.LinearRing(rings[0]).is_ccw and not shapely.LinearRing(rings[1]).is_ccw


# -- the context chapter and the glossary --------------------------------------------------------
def test_the_context_chapter_as_json_with_its_markdown_and_sources(client, site_atlas):
    response, text = get(client, "/api/context.json")
    assert response.mimetype == "application/json"
    chapter = json.loads(text)
    assert chapter["title"] == site_atlas.context.title
    assert chapter["url"] == "/#context"
    assert chapter["questions"] == ["Most North Koreans never try to leave. Why?"]
    assert [s["title"] for s in chapter["sections"]] == [
        "The famine of the 1990s", "Why most never try"]
    assert "[brokers](glossary:broker)" in chapter["sections"][1]["body"], "Markdown as written"
    [source] = chapter["sections"][1]["sources"]
    assert source["url"] == "https://undocs.org/A/HRC/25/63"
    assert source["via"] == "http://www.globalr2p.org/resources/760"
    assert "via" not in chapter["sections"][0]["sources"][0], "only where a copy was read"


def test_the_glossary_as_json(client, site_atlas):
    terms = json.loads(get(client, "/api/glossary.json")[1])
    assert [t["id"] for t in terms] == ["broker", "forced-return", "mdl"]
    mdl = terms[2]
    assert mdl["term"] == "Military Demarcation Line (MDL)"
    assert mdl["url"] == "/glossary#mdl"
    assert mdl["definition"] == ("The line agreed in the 1953 armistice that divides the two "
                                 "Koreas on land.")
    assert mdl["sources"][0]["url"].startswith("https://")


def test_without_the_files_the_chapter_is_not_found_and_the_glossary_empty(site_copy):
    drop_context_and_glossary(site_copy.parent)
    client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
    get(client, "/api/context.json", 404)
    assert json.loads(get(client, "/api/glossary.json")[1]) == []
