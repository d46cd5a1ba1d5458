"""Fixtures for every test: the app on a small, valid dataset (tests/data/site, see
tests/data/README.md), its test client, a click runner, a writable copy of the data, and the
test profiles. The browser's fixtures are in tests/browser/conftest.py.

The app and the Atlases are built once per session and shared by the tests that only read
them (an app builds its map and chart on first use, which is most of what a page costs); a test
that patches the package or counts what an app builds takes `fresh_app`.

Profiles: Hypothesis runs a short `default` profile; `ci` (MAPAPP_HYPOTHESIS=ci, set by
.ci/run) runs 20 times as many examples, derandomized, so that CI's verdict depends on the code
and never on a lucky draw; a failure it finds replays with the same setting, and is then pinned
with `@example` or a regression test. Tests marked `slow` are deselected unless pytest gets
`--slow` (.ci/run passes it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import HOSTILE_DATA, SITE_DATA
from hypothesis import HealthCheck, settings

from mapapp.model import load_atlas
from mapapp.web import create_app

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("ci", settings.get_profile("default"), max_examples=2000,
                          derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("MAPAPP_HYPOTHESIS", "default"))


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (CI does)")
    parser.addoption("--data", metavar="PATH",
                     help="the routes.geojson the data-truth tests check (as $MAPAPP_DATA)")


def pytest_configure(config):
    if config.getoption("--data"):
        os.environ["MAPAPP_DATA"] = str(Path(config.getoption("--data")).resolve())


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    slow = [item for item in items if "slow" in item.keywords]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if "slow" not in item.keywords]


# -- data ----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site_atlas():
    return load_atlas(SITE_DATA)


@pytest.fixture(scope="session")
def hostile_atlas():
    return load_atlas(HOSTILE_DATA)


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A writable copy of the site data; returns the path of its routes.geojson."""
    target = tmp_path / "site"
    shutil.copytree(SITE_DATA.parent, target)
    return target / "routes.geojson"


# -- the app -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def app():
    """The app on tests/data/site, shared by the session: for tests that only send requests."""
    return create_app({"MAPAPP_DATA": str(SITE_DATA), "TESTING": True})


@pytest.fixture
def fresh_app():
    """An app of its own, for a test that patches the package or counts what the app builds."""
    return create_app({"MAPAPP_DATA": str(SITE_DATA), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def hostile_app():
    """The app on tests/data/hostile (valid data whose every text is an attack)."""
    return create_app({"MAPAPP_DATA": str(HOSTILE_DATA), "TESTING": True})


@pytest.fixture
def runner():
    return CliRunner()

