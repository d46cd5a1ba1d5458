"""`mapapp serve --debug` as a maintainer previews an edit: it starts even when the data has never
been valid, lists the problems on every page until the files are fixed, and then serves them.
The last-valid-version banner while editing is tests/test_reload.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp import paths
from mapapp.cli import cli
from mapapp.loading import LoadError
from mapapp.web import create_app

SLIP = Path(__file__).parent / "data" / "faults" / "slips" / "heading-level-3"


def touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def never_valid(site_copy) -> Path:
    """The site data with a stage heading written `###`: it has never been valid."""
    story = site_copy.parent / "narratives" / "southern-route.md"
    story.write_text(story.read_text().replace("\n## ", "\n### ", 1))
    return site_copy


def test_watching_data_that_was_never_valid_lists_its_problems_on_every_page(never_valid):
    client = create_app({"MAPAPP_DATA": str(never_valid), "MAPAPP_WATCH": True}).test_client()
    for url in ("/", "/routes/southern-route", "/ko/", "/nowhere"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, url
        assert "no valid version to show yet" in html and "is a level-3 heading" in html, url
        assert "Content-Security-Policy" in response.headers
    health = client.get("/healthz")
    assert (health.status_code, health.json) == (
        503, {"status": "problems", "version": None, "problems": 1})
    assert client.get("/api/routes.json").status_code == 503

    story = never_valid.parent / "narratives" / "southern-route.md"
    story.write_text(story.read_text().replace("\n### ", "\n## ", 1))
    touch(story)
    assert client.get("/").status_code == 200
    assert client.get("/healthz").json["status"] == "ok"


def test_problems_are_escaped_on_the_page(never_valid):
    story = never_valid.parent / "narratives" / "southern-route.md"
    story.write_text(story.read_text().replace("\n### ", "\n### <script>x</script>", 1))
    client = create_app({"MAPAPP_DATA": str(never_valid), "MAPAPP_WATCH": True}).test_client()
    html = client.get("/").get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_without_watching_invalid_data_still_stops_the_app(never_valid):
    with pytest.raises(LoadError):
        create_app({"MAPAPP_DATA": str(never_valid)})


def test_serve_debug_announces_the_problems_and_starts(never_valid, monkeypatch):
    """The command goes on to start the server (replaced here: the test stops at its door)."""
    started = []
    monkeypatch.setattr("flask.Flask.run", lambda app, **options: started.append(options))
    result = CliRunner().invoke(cli, ["serve", "--debug", "--data", str(never_valid)])
    assert result.exit_code == 0, result.output
    assert started and started[0]["debug"] is True
    assert result.stderr == (f"mapapp: {never_valid} has 1 problem(s); every page lists them "
                             "until the files are fixed (`mapapp validate` too).\n")


def test_serve_debug_restarts_on_an_edit_of_any_template(site_copy, monkeypatch):
    """Every template the site renders, the slides' in templates/slides too, is watched."""
    started = []
    monkeypatch.setattr("flask.Flask.run", lambda app, **options: started.append(options))
    result = CliRunner().invoke(cli, ["serve", "--debug", "--data", str(site_copy)])
    assert result.exit_code == 0, result.output
    watched = {Path(file).resolve() for file in started[0]["extra_files"]}
    rendered = create_app({"MAPAPP_DATA": str(site_copy)}).jinja_env.list_templates()
    assert {(paths.templates_dir() / name).resolve() for name in rendered} <= watched
    assert paths.templates_dir().resolve() / "slides" / "stage.html" in watched


def test_serve_without_debug_refuses_them(never_valid):
    result = CliRunner().invoke(cli, ["serve", "--data", str(never_valid)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"mapapp: cannot serve {never_valid}: ")
