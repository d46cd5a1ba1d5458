"""HTTP caching and compression (mapapp.web.caching), the means behind scripts/bench's figures.

Functional, never timed: what each response carries (encodings, ETags, 304s, cache lifetimes),
and that a body is compressed once. Speed itself is measured by scripts/bench. Data:
tests/data/site (see tests/data/README.md).
"""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli
import pytest
from helpers import wait_until

from mapapp.web import caching, create_app

GZIP = {"Accept-Encoding": "gzip, deflate"}
FOREVER = "public, max-age=31536000, immutable"


def page_urls(client, path: str = "/") -> list[str]:
    """The scripts, stylesheets and icons a page names, in document order (not the fonts it
    preloads: test_preloaded_fonts_are_the_stylesheets_own)."""
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'<(?:script|link)(?![^>]* rel="preload")[^>]* (?:src|href)="(/[^"]+)"',
                      html)


@pytest.mark.parametrize("path", ["/", "/ko/"])
def test_preloaded_fonts_are_the_stylesheets_own(client, path):
    """A font is preloaded at the very address site.css gives it (relative, without ?v=), or the
    browser would fetch it twice; so it is revalidated, as an unversioned static file is."""
    html = client.get(path).get_data(as_text=True)
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="font"', html)
    assert preloaded, "the fonts its first layout needs"
    stylesheet = next(url for url in page_urls(client, path) if "/site.css?" in url)
    css = client.get(stylesheet).get_data(as_text=True)
    declared = {"/static/" + name for name in re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css)}
    assert set(preloaded) <= declared
    for url in preloaded:
        assert client.get(url).headers["Cache-Control"] == "no-cache", url


def static_urls(client) -> list[str]:
    return [url for url in page_urls(client) if url.startswith(("/static/", "/vendor/"))]


def map_script_url(client) -> str:
    return next(url for url in page_urls(client) if url.startswith("/map/"))


def representative_urls(client) -> list[str]:
    """One address of every kind the site compresses."""
    return ["/", "/routes/southern-route", "/about", "/api/routes.json",
            "/api/layers/countries.geojson", map_script_url(client), *static_urls(client)]


def test_gzip_when_accepted_and_the_body_as_it_is_otherwise(client):
    for url in representative_urls(client):
        plain = client.get(url)
        if "Content-Encoding" in plain.headers or len(plain.data) < caching.MIN_SIZE:
            assert "Content-Encoding" not in plain.headers, url
            continue
        zipped = client.get(url, headers=GZIP)
        assert zipped.headers["Content-Encoding"] == "gzip", url
        assert gzip.decompress(zipped.data) == plain.data, url
        assert len(zipped.data) < len(plain.data), url
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "Content-Encoding" not in refused.headers and refused.data == plain.data, url


def test_responses_that_could_be_compressed_vary_on_accept_encoding(client):
    for url in representative_urls(client):
        for headers in ({}, GZIP):
            response = client.get(url, headers=headers)
            if len(response.data) >= caching.MIN_SIZE or "Content-Encoding" in response.headers:
                assert "Accept-Encoding" in response.headers.get("Vary", ""), (url, headers)


def test_brotli_is_served_once_made_and_gzip_until_then(fresh_app):
    client = fresh_app.test_client()
    plain = client.get("/api/layers/countries.geojson").data
    answers = []

    def brotli_served() -> bool:
        answers.append(client.get("/api/layers/countries.geojson",
                                  headers={"Accept-Encoding": "br, gzip"}))
        return answers[-1].headers.get("Content-Encoding") == "br"

    wait_until(brotli_served, what="brotli being served")
    assert {a.headers["Content-Encoding"] for a in answers[:-1]} <= {"gzip"}
    assert brotli.decompress(answers[-1].data) == plain
    assert len(answers[-1].data) < len(gzip.compress(plain))


def test_if_none_match_gives_a_304_without_a_body(client):
    for url in representative_urls(client):
        for headers in ({}, GZIP):
            first = client.get(url, headers=headers)
            etag = first.headers["ETag"]
            again = client.get(url, headers={**headers, "If-None-Match": etag})
            assert again.status_code == 304, (url, headers)
            assert again.data == b"" and again.headers["ETag"] == etag
            assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
            stale = client.get(url, headers={**headers, "If-None-Match": '"0123456789abcdef"'})
            assert stale.status_code == 200 and stale.data == first.data


def test_each_representation_has_its_own_etag(client):
    plain = client.get("/").headers["ETag"]
    zipped = client.get("/", headers=GZIP).headers["ETag"]
    assert plain != zipped
    assert client.get("/", headers={"If-None-Match": zipped}).status_code == 200


def test_if_modified_since_gives_a_304_when_there_is_no_etag_to_compare(client):
    for url in ("/", map_script_url(client), static_urls(client)[0]):
        modified = client.get(url).headers["Last-Modified"]
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304, url


def test_an_etag_names_the_content_so_new_data_gets_a_new_one(app, site_copy):
    before = app.test_client().get("/routes/dmz-route").headers["ETag"]
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    narrative.write_text(narrative.read_text().replace("ran across", "ran over"))
    after = create_app({"MAPAPP_DATA": str(site_copy)}).test_client().get("/routes/dmz-route")
    assert after.headers["ETag"] != before


def test_cache_lifetimes_by_kind_of_resource(client):
    for url in ("/", "/routes/southern-route", "/about", "/api/routes.json",
                "/api/layers/routes.geojson", "/favicon.ico", "/robots.txt",
                "/vendor/leaflet/images/layers.png"):
        assert client.get(url).headers["Cache-Control"] == "no-cache", url
    assert client.get(map_script_url(client)).headers["Cache-Control"] == FOREVER
    for url in static_urls(client):
        assert client.get(url).headers["Cache-Control"] == FOREVER, url
        path = url.split("?")[0]
        assert client.get(path).headers["Cache-Control"] == "no-cache", path
        assert client.get(path + "?v=000000000000").headers["Cache-Control"] == "no-cache"


def test_every_static_address_carries_the_digest_of_its_file(client):
    urls = static_urls(client)
    assert any("/leaflet.js?" in url for url in urls) and any("/site.css?" in url for url in urls)
    for url in urls:
        path, version = re.fullmatch(r"([^?]+)\?v=([0-9a-f]+)", url).groups()
        assert version == hashlib.sha256(client.get(path).data).hexdigest()[:len(version)], url


def test_a_page_is_compressed_once_not_per_request(fresh_app, monkeypatch):
    calls = []
    original = gzip.compress
    monkeypatch.setattr(caching.gzip, "compress", lambda *a, **k: calls.append(1) or
                        original(*a, **k))
    client = fresh_app.test_client()
    bodies = {client.get("/api/layers/routes.geojson", headers=GZIP).data for _ in range(5)}
    assert len(bodies) == 1 and len(calls) == 1


def test_error_pages_are_compressed_too(client):
    response = client.get("/nowhere", headers=GZIP)
    assert response.status_code == 404 and response.headers["Content-Encoding"] == "gzip"
    assert "Back to the map" in gzip.decompress(response.data).decode()


def test_favicon_ico_and_robots_txt_are_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00", "an ICO file"
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain" and "User-agent: *" in robots.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/static/../setup.cfg", "/static/%2e%2e/%2e%2e/setup.cfg",
                                 "/static/css/nothing.css", "/vendor/leaflet/../__init__.py"])
def test_static_files_stay_inside_their_folder(client, url):
    assert client.get(url).status_code == 404


def test_head_answers_with_headers_only(client):
    url = static_urls(client)[0]
    head = client.head(url, headers=GZIP)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(client.get(url, headers=GZIP).data))
