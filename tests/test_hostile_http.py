"""Hostile and broken requests: the answer is a 4xx (an HTML page with a way back when the app
answers), never a 5xx, always with the security headers, and the server keeps serving.

Two layers: Flask's test client (the app's own routing, methods and errors, fuzzed with
hypothesis) and raw sockets against `mapapp serve` itself (gunicorn, mapapp.web.server), for
what a test client normalises before the app sees it: bytes that are not ASCII or not UTF-8 in
the request line, lone `%`, request lines and headers over gunicorn's limits, broken framing.
"""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.request
from urllib.parse import quote

import pytest
from helpers import SITE_DATA, serve_mapapp
from hypothesis import given
from hypothesis import strategies as st

ROUTE = "southern-route"

def assert_headers(headers, where) -> None:
    policy = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style")[0], where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy"), where


# -- through the test client ---------------------------------------------------------------------
BAD_PATHS = [
    "/routes/../../etc/passwd", "/routes/..%2f..%2fetc%2fpasswd", "/routes/%2e%2e/%2e%2e/etc",
    "/static/../../setup.cfg", "/static/..%2f..%2fsetup.cfg", "/static/%2e%2e/%2e%2e/setup.cfg",
    "/vendor/leaflet/../../../../etc/passwd", "/vendor/leaflet/..%2f..%2f..%2fsetup.cfg",
    "/map/..%2f..%2fsetup.cfg.js", "/charts/arrivals-..%2f..svg",
    "/routes/%00", "/routes/a%00b", "/static/%00", "/static/css/site.css%00.js",
    "/vendor/leaflet/%00", "/favicon.ico%00", "/routes/%ff", "/routes/%c3%28", "/routes/%ed%a0%80",
    "/routes/%zz", "/routes/%", "/routes/%%", "/routes/%e2%80%ae", "/%", "/%00",
    "/routes/" + "x" * 10_000, "/routes/" + "%41" * 5_000, "/api/layers/" + "y" * 5_000 + ".geojson",
    "/routes/한국어", "/routes/%ED%95%9C", "/routes/😀", "/routes/ROUTE", "/routes/southern-route/",
    "/routes/southern-route.json", "/routes/southern-route%20", "/routes/%3Cscript%3E",
    "/api/layers/routes.geojson/..", "/api/layers/%3Cimg%20src%3Dx%3E.geojson", "/api/",
    "/.git/config", "/.env", "/admin", "/wp-login.php", "/index.php", "/\\evil.example",
    "/static/", "/static", "/vendor/leaflet/", "/map/", "/charts/", "/healthz/x",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_bad_addresses_give_a_404_page_never_a_500(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response.mimetype == "text/html", path
    assert "Back to the map" in response.get_data(as_text=True), path
    assert_headers(response.headers, path)


@pytest.mark.parametrize("query", ["?q=%ff%fe", "?%zz=%", "?a=%00&b=%", "?" + "k=v&" * 2000,
                                   "?x=" + "%ff" * 3000, "?route=<script>alert(1)</script>",
                                   "?v=../../setup.cfg", "?q=%F0%9F%98%80%ED%A0%80"])
@pytest.mark.parametrize("path", ["/", f"/routes/{ROUTE}", "/api/routes.json", "/healthz",
                                  "/static/css/site.css", "/nowhere"])
def test_odd_query_strings_change_nothing(client, path, query):
    plain = client.get(path)
    response = client.get(path + query)
    assert response.status_code == plain.status_code, (path, query)
    assert response.get_data() == plain.get_data(), "the query string is never read"
    assert_headers(response.headers, path + query)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT",
                                    "PROPFIND", "FOO"])
@pytest.mark.parametrize("path", ["/", f"/routes/{ROUTE}", "/statistics", "/api/routes.json",
                                  "/api/layers/routes.geojson", "/healthz",
                                  "/static/css/site.css", "/nowhere"])
def test_other_methods_give_405_with_allow_or_404(client, method, path):
    response = client.open(path, method=method, data=b"{}" if method != "TRACE" else None)
    if path == "/nowhere":
        assert response.status_code == 404
    else:
        assert response.status_code == 405, (method, path, response.status_code)
        assert set(response.headers["Allow"].split(", ")) <= {"GET", "HEAD", "OPTIONS"}
        assert "Not allowed here" in response.get_data(as_text=True)
    assert "{}" not in response.get_data(as_text=True), "nothing is echoed (no TRACE)"
    assert_headers(response.headers, f"{method} {path}")


@pytest.mark.parametrize("path", ["/", f"/routes/{ROUTE}", "/api/routes.json"])
def test_options_and_head_answer_without_a_body(client, path):
    """OPTIONS says what is allowed (RFC 9110 9.3.7); HEAD gives GET's headers only."""
    options = client.options(path)
    assert options.status_code == 200 and options.get_data() == b""
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    head = client.head(path)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Type"] == client.get(path).headers["Content-Type"]
    assert_headers(options.headers, path)
    assert_headers(head.headers, path)


@given(segments=st.lists(st.text(max_size=30) | st.binary(max_size=30).map(
    lambda raw: quote(raw, safe="")), min_size=1, max_size=4),
    prefix=st.sampled_from(["", "routes/", "api/layers/", "static/", "vendor/leaflet/", "map/",
                            "charts/", "present/", "print/", "embed/"]))
def test_any_path_is_answered_without_a_server_error(app, segments, prefix):
    # (a leading "//" would make the test client read a host name: raw tests cover that)
    path = "/" + (prefix + "/".join(segments)).lstrip("/")
    response = app.test_client().get(path)
    assert response.status_code < 500, (path, response.status_code)
    assert_headers(response.headers, path)


# -- against `mapapp serve`, with raw sockets ----------------------------------------------------
@pytest.fixture(scope="module")
def server_port():
    """The command itself, on the test data."""
    with serve_mapapp("--data", str(SITE_DATA)) as server:
        yield server.port


def exchange(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send the bytes while reading, as a browser would: the server may answer (and close)
    before the whole of an oversized request is sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.setblocking(False)
        received, sent, deadline = b"", 0, time.monotonic() + timeout
        while time.monotonic() < deadline:
            writers = [sock] if sent < len(request) else []
            readable, writable, _ = select.select([sock], writers, [], 1)
            if writable:
                try:
                    sent += sock.send(request[sent:sent + 65536])
                except OSError:
                    sent = len(request)  # the server stopped reading: its answer is on the way
            if readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head, f"no answer to {request[:80]!r}"
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


HOST = b"Host: 127.0.0.1\r\nConnection: close\r\n"
# name: (request, expected status, answered by the app (True) or by gunicorn (False))
RAW = {
    "invalid UTF-8 bytes in the path": (b"GET /routes/\xff\xfe HTTP/1.1\r\n" + HOST + b"\r\n",
                                        400, False),
    "UTF-8 bytes in the path, unencoded": ("GET /routes/한국 HTTP/1.1\r\n".encode() + HOST
                                           + b"\r\n", 400, False),
    "invalid UTF-8 bytes in the query": (b"GET /?q=\xff HTTP/1.1\r\n" + HOST + b"\r\n", 400,
                                         False),
    "percent-encoded invalid UTF-8": (b"GET /routes/%ff%c3%28 HTTP/1.1\r\n" + HOST + b"\r\n",
                                      404, True),
    "lone percent signs": (b"GET /routes/%%zz% HTTP/1.1\r\n" + HOST + b"\r\n", 404, True),
    "encoded NUL": (b"GET /routes/%00 HTTP/1.1\r\n" + HOST + b"\r\n", 404, True),
    "bad percent-encoding in the query": (b"GET /?q=%zz%ff% HTTP/1.1\r\n" + HOST + b"\r\n", 200,
                                          True),
    "dot segments": (b"GET /static/../../setup.cfg HTTP/1.1\r\n" + HOST + b"\r\n", 404, True),
    "a 100 kB address": (b"GET /routes/" + b"a" * 100_000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
                         414, False),
    "a 300 kB address": (b"GET /routes/" + b"a" * 300_000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
                         414, False),
    "a 300 kB header": (b"GET / HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 300_000
                        + b"\r\n\r\n", 431, False),
    "5,000 headers": (b"GET / HTTP/1.1\r\n" + HOST
                      + b"".join(b"X-%d: y\r\n" % i for i in range(5000)) + b"\r\n", 431, False),
    "NUL in a header": (b"GET / HTTP/1.1\r\n" + HOST + b"X-Nul: a\x00b\r\n\r\n", 400, False),
    "space in a header name": (b"GET / HTTP/1.1\r\n" + HOST + b"Bad Name: y\r\n\r\n", 400,
                               False),
    "markup in the Host header": (b"GET / HTTP/1.1\r\nHost: <script>\r\nConnection: close"
                                  b"\r\n\r\n", 200, True),
    "not HTTP at all": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, False),
    "lower-case method": (b"get / HTTP/1.1\r\n" + HOST + b"\r\n", 400, False),
    "TRACE": (b"TRACE / HTTP/1.1\r\n" + HOST + b"\r\n", 405, True),
    "DELETE": (b"DELETE /api/routes.json HTTP/1.1\r\n" + HOST + b"\r\n", 405, True),
    "PUT with a body": (b"PUT /routes/dmz-route HTTP/1.1\r\n" + HOST
                        + b"Content-Length: 2\r\n\r\n{}", 405, True),
    "CONNECT": (b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + HOST + b"\r\n", 404, True),
    "broken chunked body": (b"POST / HTTP/1.1\r\n" + HOST
                            + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 405, True),
    "negative Content-Length": (b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: -5\r\n\r\n",
                                400, False),
    "absurd Content-Length": (b"POST / HTTP/1.1\r\n" + HOST
                              + b"Content-Length: 99999999999999999999\r\n\r\n", 405, True),
    "unknown transfer coding": (b"POST / HTTP/1.1\r\n" + HOST
                                + b"Transfer-Encoding: gzip\r\n\r\n", 400, False),
}


@pytest.mark.parametrize("name", RAW)
def test_raw_requests_get_a_4xx_with_the_headers(server_port, name):
    request, expected, by_app = RAW[name]
    status, headers, body = exchange(server_port, request)
    assert status == expected, (name, status, body[:200])
    assert status < 500
    assert_headers(headers, name)
    if by_app and status >= 400:
        assert headers["Content-Type"].startswith("text/html") and b"Back to the map" in body
    # and the server keeps serving
    with urllib.request.urlopen(f"http://127.0.0.1:{server_port}/healthz", timeout=5) as r:
        assert json.load(r)["status"] == "ok"


# target: (status, Location). Werkzeug merges repeated slashes with a redirect, on the host that
# was asked; an address that only looks like another host is a path of this site.
TARGETS = {
    b"//": (200, None),
    b"//evil.example": (404, None),
    b"//evil.example//x": (404, None),
    b"///evil.example": (404, None),
    b"/\\evil.example": (404, None),
    b"/%2F%2Fevil.example": (404, None),
    b"/routes//southern-route": (308, "http://127.0.0.1/routes/southern-route"),
    b"http://evil.example/": (200, None),  # absolute form: the path is all the app reads
}


@pytest.mark.parametrize("target", TARGETS)
def test_no_address_redirects_to_another_site(server_port, target):
    status, headers, _ = exchange(server_port, b"GET " + target + b" HTTP/1.1\r\n" + HOST
                                  + b"\r\n")
    assert (status, headers.get("Location")) == TARGETS[target]
    assert_headers(headers, target)
