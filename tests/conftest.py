"""Shared fixtures: the Flask app on a small, valid dataset (tests/data/site), its test client, a
click runner, the app served by waitress for the browser, and Debian's Chromium for Playwright.

tests/data/site is a fixed copy, not the project's data, so that web and browser tests do not
change when the content does: three routes (land and air legs, with and without a content note),
four crossings, the DMZ, the MDL and the NLL, six described countries and a few figures.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

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


# -- Playwright ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a downloaded one (`playwright install` cannot reach the net)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves page.goto("/…") against this."""
    return live_server.url


def pytest_collection_modifyitems(config, items):
    browser_dir = TESTS / "browser"
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (install it with "
                                   "`apt-get install chromium`, or set MAPAPP_CHROMIUM)")
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
        if "browser" in item.keywords and not os.access(CHROMIUM, os.X_OK):
            item.add_marker(skip)
