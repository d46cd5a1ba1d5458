"""Shared fixtures: the Flask app on a small, valid dataset (tests/data/site), its test client, a
click runner, the app served by waitress for the browser, and Debian's Chromium for Playwright.

tests/data/site is a fixed copy, not the project's data, so that web and browser tests do not
change when the content does: three routes (land and air legs, with and without a content note),
four crossings, the DMZ, the MDL and the NLL, six described countries and a few figures.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from mapapp.web import create_app

TESTS = Path(__file__).resolve().parent
SITE_DATA = TESTS / "data" / "site" / "routes.geojson"
CHROMIUM = os.environ.get("MAPAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def app():
    return create_app({"MAPAPP_DATA": str(SITE_DATA), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A writable copy of the site data; returns the path of its routes.geojson."""
    target = tmp_path / "site"
    shutil.copytree(SITE_DATA.parent, target)
    return target / "routes.geojson"


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server():
    """The app served by waitress (as `mapapp serve` does) on a free port of 127.0.0.1."""
    import waitress

    app = create_app({"MAPAPP_DATA": str(SITE_DATA)})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.effective_port}", app)
    server.close()
    thread.join(timeout=5)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test's output is for the tests
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[int]:
    """A folder served by Python's http.server on a free port of 127.0.0.1, as a plain static
    server (a school's) would serve the export; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- Playwright ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a downloaded one (`playwright install` cannot reach the net)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves page.goto("/…") against this."""
    return live_server.url


@dataclass
class Guard:
    foreign: list[str] = field(default_factory=list)  # requests that would have left the site
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions


@pytest.fixture
def local_files() -> list[str]:
    """file:// prefixes a page may load; a module that opens the export from disk overrides it."""
    return []


@pytest.fixture
def guard(page, local_files) -> Guard:
    """For every browser test (`pytestmark = pytest.mark.usefixtures("guard")`): a request to
    anywhere but the site (127.0.0.1, and `local_files`) is aborted and recorded, console errors
    and uncaught exceptions are collected, and the test fails if there are any."""
    seen = Guard()

    def route(handler_route):
        url = handler_route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or any(map(url.startswith, local_files)):
            handler_route.continue_()
        else:
            seen.foreign.append(url)
            handler_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and seen.errors.append(
        message.text))
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    yield seen
    assert seen.foreign == [], "requests left the site"
    assert seen.errors == [], "the console has errors"


def pytest_collection_modifyitems(config, items):
    browser_dir = TESTS / "browser"
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (install it with "
                                   "`apt-get install chromium`, or set MAPAPP_CHROMIUM)")
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
        if "browser" in item.keywords and not os.access(CHROMIUM, os.X_OK):
            item.add_marker(skip)
