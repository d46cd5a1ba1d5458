"""Reloading the data while a maintainer edits it (mapapp.web.site, on in debug mode): the site
keeps serving the last good data with a banner naming the problem, and recovers as soon as the
files are good again.

First in-process (an app with MAPAPP_WATCH, Flask's test client: a truncated file, a broken
narrative, a good edit), then the command itself, `mapapp serve --debug` (Flask's development
server and its reloader), while the file is emptied, deleted and written again, as an editor
does.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import SITE_DATA, get, serve_mapapp

from mapapp.web import create_app

BANNER = 'class="banner" role="alert"'


def touch(path: Path) -> None:
    """Move the modification time forward, so a same-second edit is still seen as a change."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


# -- in-process ----------------------------------------------------------------------------------
def test_watching_reloads_changed_data_and_keeps_the_last_good_version(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy), "MAPAPP_WATCH": True}).test_client()
    good = client.get("/healthz").json["version"]
    assert 'role="alert"' not in get(client, "/")[1]

    site_copy.write_text(site_copy.read_text()[:-40])  # truncated: not JSON any more
    touch(site_copy)
    for url in ("/", "/routes/southern-route", "/about", "/nowhere"):
        html = client.get(url).get_data(as_text=True)
        assert 'role="alert"' in html and "is not valid JSON" in html, url
    assert get(client, "/routes/southern-route")[1].count('class="route-link"') == 3
    assert client.get("/healthz").json == {"status": "problems", "version": good, "routes": 3,
                                           "problems": 1}
    assert client.get("/api/routes.json").headers["X-Data-Problems"] == (
        f"1 problem(s) in the data on disk; this is the last valid version, {good}")

    data = json.loads((SITE_DATA).read_text())
    data["features"][0]["properties"]["title"] = "A new title for the southern route"
    site_copy.write_text(json.dumps(data, indent=2))
    touch(site_copy)
    html = get(client, "/")[1]
    assert 'role="alert"' not in html and "A new title for the southern route" in html
    assert client.get("/healthz").json["version"] != good


def test_watching_shows_every_problem_of_a_broken_narrative(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy), "MAPAPP_WATCH": True}).test_client()
    narrative = site_copy.parent / "narratives" / "northern-route.md"
    narrative.write_text(narrative.read_text().replace("place: country MNG\n", ""))
    touch(narrative)
    html = get(client, "/")[1]
    assert "1 problem." in html and "northern-route.md:" in html and "place:" in html
    assert "Across the Gobi" in html, "the last good narrative is still served"


def test_without_watching_the_data_is_read_once(site_copy):
    client = create_app({"MAPAPP_DATA": str(site_copy)}).test_client()
    site_copy.write_text("not json")
    touch(site_copy)
    assert 'role="alert"' not in get(client, "/")[1]




# -- `mapapp serve --debug` ----------------------------------------------------------------------
def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def save(path: Path, text: str | None) -> None:
    """Write (or delete, for None) and move the modification time on, as a later save would."""
    if text is None:
        path.unlink()
        return
    path.write_text(text)
    touch(path)


@pytest.fixture
def debug_server(site_copy):
    """`mapapp serve --debug` on a copy of the site data, in a process group of its own so that
    the reloader's child stops with it; its base URL."""
    with serve_mapapp("--debug", "--data", str(site_copy), group=True) as server:
        yield server.url


def health(base: str) -> dict:
    status, text = fetch(f"{base}/healthz")
    assert status == 200
    return json.loads(text)


def expect_last_good(base: str, version: str, reason: str) -> None:
    """Every page answers 200 from the last good data, with a banner that says what is wrong."""
    for path in ("/", "/routes/southern-route", "/about", "/statistics"):
        status, html = fetch(base + path)
        assert status == 200, path
        assert BANNER in html and reason in html, (path, reason)
        assert f"last valid version ({version})" in html
    assert fetch(base + "/")[1].count('class="route-link"') == 3
    assert health(base) == {"status": "problems", "version": version, "routes": 3,
                            "problems": 1}


def expect_clean(base: str) -> None:
    status, html = fetch(base + "/")
    assert status == 200 and BANNER not in html
    assert health(base)["problems"] == 0


def test_debug_server_survives_an_empty_then_a_deleted_file_and_recovers(debug_server,
                                                                       site_copy):
    base = debug_server
    good_text = site_copy.read_text()
    good = health(base)["version"]
    expect_clean(base)

    save(site_copy, "")  # the editor truncated the file before writing it
    expect_last_good(base, good, "is empty")
    save(site_copy, good_text)
    expect_clean(base)
    assert health(base)["version"] == good

    save(site_copy, None)  # deleted (or renamed away by an editor's atomic save)
    expect_last_good(base, good, "no such file")

    data = json.loads(good_text)
    data["features"][0]["properties"]["title"] = "The southern route, retitled"
    save(site_copy, json.dumps(data, indent=2))
    expect_clean(base)
    assert "The southern route, retitled" in fetch(base + "/routes/southern-route")[1]
    assert health(base)["version"] != good


def test_debug_server_survives_a_deleted_narrative_and_recovers(debug_server, site_copy):
    base = debug_server
    good = health(base)["version"]
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    text = narrative.read_text()
    save(narrative, None)
    expect_last_good(base, good, "dmz-route")
    assert "Through the Joint Security Area" in fetch(base + "/routes/dmz-route")[1]
    save(narrative, text)
    expect_clean(base)
    assert health(base)["version"] == good
