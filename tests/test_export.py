"""`mapapp export OUTDIR`: what it writes, that the files are the served pages with relative
links, and the command's contract (progress, refusing a folder that is not its own, --force,
exit codes). Opening the export in Chromium is tests/browser/test_static_export.py.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from helpers import SITE_DATA, Html, route_ids

from mapapp.cli import cli
from mapapp.export import MARKER, html_names
from mapapp.web import create_app

ROUTE_IDS = route_ids()
# Exported file -> the address the site serves it at.
ENGLISH = {"index.html": "/", "about.html": "/about", "statistics.html": "/statistics",
           "glossary.html": "/glossary", "present.html": "/present",
           **{f"{folder}/{route_id}.html": f"/{folder}/{route_id}" for route_id in ROUTE_IDS
              for folder in ("routes", "present", "print", "embed")}}
PAGES = {**ENGLISH, **{f"ko/{name}": f"/ko{url}" for name, url in ENGLISH.items()}}


def export(outdir: Path, *options: str):
    return CliRunner().invoke(cli, ["export", str(outdir), "--data", str(SITE_DATA), *options])


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("export") / "site"
    result = export(outdir)
    assert result.exit_code == 0, result.output
    return outdir


@pytest.fixture(scope="module")
def served():
    """The site as served, without a public address (as the export is made here)."""
    return create_app({"MAPAPP_DATA": str(SITE_DATA), "MAPAPP_PUBLIC_URL": ""}).test_client()


def served_address(address: str, page: str) -> str:
    """An address in an exported page as the site serves it: resolved from the page's folder,
    without `.html`; a folder's index.html is the folder."""
    path, mark, query = address.partition("?")
    served = "/" + posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    served = served.removesuffix(".html").removesuffix("index")
    return served + mark + query


def served_addresses(value, page: str):
    """A JSON value with every exported address in it as the site serves it."""
    if isinstance(value, dict):
        return {key: served_addresses(item, page) for key, item in value.items()}
    if isinstance(value, list):
        return [served_addresses(item, page) for item in value]
    if isinstance(value, str) and re.fullmatch(r"[^\s?]+\.html(\?\S*)?", value):
        return served_address(value, page)
    return value


def reading(html: str, page: str | None = None) -> tuple[str, list]:
    """What a reader gets and what the scripts read; for an exported `page`, with its addresses
    as the site serves them."""
    parsed = Html(html)
    data = [json.loads(block) for block in parsed.json_blocks]
    return parsed.text, [served_addresses(value, page) for value in data] if page else data


def test_every_page_layer_and_asset_is_written(exported):
    files = {path.relative_to(exported).as_posix() for path in exported.rglob("*")
             if path.is_file()}
    assert set(PAGES) <= files
    assert {f"api/layers/{layer}.geojson" for layer in ("routes", "crossings", "countries",
                                                        "dmz")} <= files
    assert {"api/routes.json", "api/context.json", "api/glossary.json", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
            "vendor/leaflet/images/layers.png", "static/css/site.css", "static/js/app.js",
            "static/js/mapview.js", "static/js/present.js", MARKER} <= files
    maps = {f for f in files if re.fullmatch(r"map/[0-9a-f]{16}\.js", f)}
    assert maps and maps == set(map_scripts((exported / "index.html").read_text())), (
        "the map's scripts, those the page names and no others")
    assert len([f for f in files if re.fullmatch(r"charts/arrivals-[0-9a-f]{16}\.svg", f)]) == 1
    assert not [f for f in files if f.endswith(".map") or "leaflet-src" in f], "unused files"
    assert all("." in posixpath.basename(f) for f in files), "every file has an extension"
    assert json.loads((exported / MARKER).read_text())["files"] == sorted(files - {MARKER})


# What only a copy without a server shows a reader without JavaScript (the guide's notes, a deck's
# slides one under the other): templates mark it so.
STATIC_COPY_ONLY = re.compile(r"<noscript data-static-copy>.*?</noscript>", re.DOTALL)


@pytest.mark.parametrize(("name", "url"), PAGES.items())
def test_exported_pages_are_the_served_pages(exported, served, name, url):
    page = served.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not STATIC_COPY_ONLY.search(html)
    assert reading(STATIC_COPY_ONLY.sub("", (exported / name).read_text()), name) == reading(html)


def test_exported_data_is_the_served_data(exported, served):
    for layer in ("routes", "crossings", "countries", "dmz"):
        path = f"api/layers/{layer}.geojson"
        assert (exported / path).read_bytes() == served.get(f"/{path}").data
    exported_routes = json.loads((exported / "api/routes.json").read_text())
    served_routes = served.get("/api/routes.json").get_json()
    assert [r.pop("url") for r in exported_routes] == [f"/routes/{i}.html" for i in ROUTE_IDS]
    assert [r.pop("url") for r in served_routes] == [f"/routes/{i}" for i in ROUTE_IDS]
    assert exported_routes == served_routes
    exported_maps = map_scripts((exported / "index.html").read_text())
    served_maps = map_scripts(served.get("/").get_data(as_text=True))
    assert len(exported_maps) == len(served_maps)
    for name, url in zip(exported_maps, served_maps, strict=True):
        assert uuids_out((exported / name).read_text()) == uuids_out(
            served.get(url).get_data(as_text=True)), name


def map_scripts(html: str) -> list[str]:
    """The map's scripts a page names (in any attribute: the script itself, the detail the
    page loads later), in document order."""
    return [value for _, attrs in Html(html).tags for value in attrs.values()
            if value and re.fullmatch(r"/?map/[0-9a-f]{16}\.js", value)]


def uuids_out(script: str) -> str:
    """folium names its circles and layer control with random ids: a map built twice differs."""
    return re.sub(r"_[0-9a-f]{32}(?=\b|_)", "_id", script)


def local_links(html: str) -> list[str]:
    return [value for _, attrs in Html(html).tags for key, value in attrs.items()
            if key in ("href", "src") and value and not urlsplit(value).scheme
            and not value.startswith("#")]


@pytest.mark.parametrize("name", PAGES)
def test_every_link_is_relative_and_names_an_exported_file(exported, name):
    links = local_links((exported / name).read_text())
    assert links, "the page links to something"
    for link in links:
        assert not link.startswith("/"), f"{name}: {link} is absolute"
        target = urlsplit(link).path
        path = (exported / name).parent / target if target else exported / name
        assert path.resolve().is_file(), f"{name}: {link} names no exported file"


def test_the_command_shows_progress_and_a_summary(tmp_path):
    result = export(tmp_path / "new" / "site")
    assert result.exit_code == 0
    assert "Exporting" in result.output
    assert re.search(r"Wrote \d+ files \(\d+\.\d MB\) to .*site in \d+\.\d s", result.output)


def test_a_folder_it_did_not_make_is_refused_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("a teacher's notes")
    result = export(tmp_path)
    assert result.exit_code == 2
    assert "is not empty and was not made by `mapapp export`" in result.output
    assert "--force" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"], "nothing written"

    result = export(tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt").read_text() == "a teacher's notes"
    assert (tmp_path / "index.html").is_file() and (tmp_path / MARKER).is_file()


def test_exporting_again_replaces_its_own_files_and_nothing_else(tmp_path):
    assert export(tmp_path).exit_code == 0
    marker = json.loads((tmp_path / MARKER).read_text())
    (tmp_path / "routes" / "gone-route.html").write_text("an earlier export's route")
    (tmp_path / "routes" / "notes.txt").write_text("not the export's")
    (tmp_path.parent / "outside.html").write_text("not in the folder")
    marker["files"] += ["routes/gone-route.html", "../outside.html"]
    (tmp_path / MARKER).write_text(json.dumps(marker))

    result = export(tmp_path)  # no --force: the folder is its own
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "routes" / "gone-route.html").exists()
    assert (tmp_path / "routes" / "notes.txt").exists()
    assert (tmp_path.parent / "outside.html").exists()
    assert "routes/gone-route.html" not in json.loads((tmp_path / MARKER).read_text())["files"]


def test_a_file_for_a_folder_and_unusable_data_exit_2(tmp_path, site_copy):
    (tmp_path / "file").write_text("")
    result = export(tmp_path / "file")
    assert result.exit_code == 2 and "is a file, not a folder" in result.output

    site_copy.write_text("{ not json")
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out"), "--data", str(site_copy)])
    assert result.exit_code == 2
    assert result.output.startswith("mapapp: cannot export") and result.output.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_public_address_gives_the_export_its_qr_codes_and_embed_codes(tmp_path):
    assert export(tmp_path, "--public-url", "https://school.example/map/").exit_code == 0
    handout = (tmp_path / "print" / "southern-route.html").read_text()
    assert 'class="qr-code"' in handout
    assert "https://school.example/map/routes/southern-route.html" in handout
    route = (tmp_path / "routes" / "southern-route.html").read_text()
    assert "src=&#34;https://school.example/map/embed/southern-route.html&#34;" in route
    assert ('<link rel="alternate" hreflang="ko" '
            'href="https://school.example/map/ko/routes/southern-route.html">') in route


def test_an_export_without_a_public_address_names_no_editions_for_search_engines(exported):
    """hreflang wants absolute addresses: without one the links between editions stay."""
    route = (exported / "routes" / "southern-route.html").read_text()
    assert 'rel="alternate"' not in route
    assert '<a class="language-switch" href="../ko/routes/southern-route.html"' in route


def test_pages_get_html_names_and_files_keep_theirs(app):
    renamed: dict[str, set[str]] = {}
    for rule in html_names(app.url_map).iter_rules():
        renamed.setdefault(rule.endpoint, set()).add(rule.rule)
    assert "/index.html" in renamed["pages.index"]
    assert "/routes/<route_id>.html" in renamed["pages.route"]
    assert "/print/<route_id>.html" in renamed["educators.handout"]
    assert "/api/layers/<layer>.geojson" in renamed["api.layer"]
    assert renamed["static"] == {"/static/<path:filename>"}
    assert "/map/<digest>.js" in renamed["pages.map_script_file"]
