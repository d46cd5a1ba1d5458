"""`mapapp serve --debug` while a maintainer edits the data: a real process, a real file.

tests/test_web.py covers reloading in-process (a truncated file, a broken narrative, a good
edit). Here the command itself runs (Flask's development server and its reloader) while the
file is emptied, deleted and written again, as an editor does: the site keeps serving the last
good data with a banner naming the problem, and recovers as soon as the file is good again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BANNER = 'class="banner" role="alert"'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
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
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def debug_server(site_copy):
    """`mapapp serve --debug` on a copy of the site data; stopped with its reloader child."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mapapp", "serve", "--debug", "--port", str(port),
         "--data", str(site_copy)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)  # its own group: the reloader's child goes with it
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the debug server did not start"
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def health(base: str) -> dict:
    status, text = get(f"{base}/healthz")
    assert status == 200
    return json.loads(text)


def expect_last_good(base: str, version: str, reason: str) -> None:
    """Every page answers 200 from the last good data, with a banner that says what is wrong."""
    for path in ("/", "/routes/southern-route", "/about", "/statistics"):
        status, html = get(base + path)
        assert status == 200, path
        assert BANNER in html and reason in html, (path, reason)
        assert f"last valid version ({version})" in html
    assert get(base + "/")[1].count('class="route-link"') == 3
    assert health(base) == {**health(base), "version": version, "routes": 3, "problems": 1}


def expect_clean(base: str) -> None:
    status, html = get(base + "/")
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
    assert "The southern route, retitled" in get(base + "/routes/southern-route")[1]
    assert health(base)["version"] != good


def test_debug_server_survives_a_deleted_narrative_and_recovers(debug_server, site_copy):
    base = debug_server
    good = health(base)["version"]
    narrative = site_copy.parent / "narratives" / "dmz-route.md"
    text = narrative.read_text()
    save(narrative, None)
    expect_last_good(base, good, "dmz-route")
    assert "Through the Joint Security Area" in get(base + "/routes/dmz-route")[1]
    save(narrative, text)
    expect_clean(base)
    assert health(base)["version"] == good
