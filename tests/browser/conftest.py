"""Fixtures for the tests in Chromium (pytest-playwright): Debian's Chromium, one browser for the
session, the site served by waitress, reduced motion on a 1440×900 screen, and the guard.

Every test here is marked `browser` and skipped when Chromium is missing. A module that needs
another screen says so with `pytest.mark.browser_context_args(viewport=...)`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock
from helpers import CHROMIUM, CHROMIUM_ARGS, SITE_DATA, PageGuard, serve_in_thread

from mapapp.export import Export
from mapapp.web import create_app

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (install it with "
                                   "`apt-get install chromium`, or set MAPAPP_CHROMIUM)")
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not os.access(CHROMIUM, os.X_OK):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a downloaded one (`playwright install` cannot reach the net)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Motion reduced, so the map jumps instead of flying and positions can be checked at once."""
    return {**browser_context_args, "reduced_motion": "reduce",
            "viewport": {"width": 1440, "height": 900}}


@pytest.fixture(scope="session")
def live_server():
    """The site on tests/data/site served by waitress, as `mapapp serve` serves it, on
    127.0.0.1 (an app as in production: not in testing mode); its base URL."""
    with serve_in_thread(create_app({"MAPAPP_DATA": str(SITE_DATA)})) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves page.goto("/…") against this."""
    return live_server


@pytest.fixture(scope="session")
def exported(tmp_path_factory, worker_id) -> Path:
    """The site data exported once per run, for the tests that open it from disk as from a USB
    stick (they only read it): by the first of scripts/test's workers to ask, in the folder the
    workers share, while the others wait for it (pytest-xdist's recipe for a session fixture
    made once). The guard lets a test that asks for it load it (`local_files`)."""
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if worker_id != "master" else shared
    outdir, done = shared / "usb-stick", shared / "usb-stick.done"
    with FileLock(shared / "usb-stick.lock"):
        if not done.exists():
            for _ in Export(outdir, SITE_DATA).run():
                pass
            done.touch()
    return outdir


@pytest.fixture
def local_files(request) -> list[str]:
    """file:// prefixes a page may load: the session's export, for a test that opens it (a
    module with other files overrides this)."""
    if "exported" in request.fixturenames:
        return [request.getfixturevalue("exported").as_uri() + "/"]
    return []


@pytest.fixture
def guard(page, local_files) -> PageGuard:
    """For every browser test (`pytestmark = pytest.mark.usefixtures("guard")`): a request to
    anywhere but the site (127.0.0.1, and `local_files`) is aborted and recorded, console errors
    and uncaught exceptions are collected, and the test fails if there are any."""
    seen = PageGuard.watch(page, local_files)
    yield seen
    seen.check()
