"""The static export: the whole site as files, made by the app itself (`mapapp export OUTDIR`).

Each exported page is the served page: Frozen-Flask requests every address from the app and
writes the response. For the folder to work from any static web server and straight from disk
(`file://`, a USB stick), the export app differs from the served one in its addresses only:

- every URL is relative to the page (FREEZER_RELATIVE_URLS for the templates' url_for,
  mapapp.web.urls for URLs built in Python);
- every page's address ends in .html (`/` is `/index.html`, `/ko/` is `/ko/index.html`,
  `/routes/<id>` is `/routes/<id>.html`), so that a static server sends it as HTML: the app's
  own URL rules, renamed (see `html_names`). Every page is written in every language (each
  blueprint lists its pages' addresses per language).

A folder the export made holds a marker file listing what it wrote. The export writes only into
an empty folder or one with that marker (else --force), and removes only files an earlier export
listed and this one did not write again: never anything else.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from flask_frozen import Freezer, MimetypeMismatchWarning, MissingURLGeneratorWarning
from werkzeug.routing import Map, Rule

from mapapp import __version__
from mapapp.web import create_app
from mapapp.web.rendering import SiteBlueprint
from mapapp.web.site import current_state

MARKER = ".mapapp-export"
# Leaflet's source maps, unminified copies and marker icons: the site uses none of them.
UNUSED_FILES = ["*.map", "leaflet-src*", "marker-*"]


class ExportError(Exception):
    """The export cannot start (the folder is not one it may write into); one line."""


def html_names(url_map: Map) -> Map:
    """The same rules, each page's address given an .html name: a rule whose last part has no
    file extension is a page (static files keep their names)."""
    rules = []
    for rule in url_map.iter_rules():
        string = rule.rule
        if not rule.endpoint.endswith("static") and "." not in string.rsplit("/", 1)[-1]:
            string += "index.html" if string.endswith("/") else ".html"
        rules.append(Rule(string, **rule.get_empty_kwargs()))
    return Map(rules, default_subdomain=url_map.default_subdomain,
               strict_slashes=url_map.strict_slashes, merge_slashes=url_map.merge_slashes,
               redirect_defaults=url_map.redirect_defaults, converters=url_map.converters,
               sort_parameters=url_map.sort_parameters, sort_key=url_map.sort_key,
               host_matching=url_map.host_matching)


def export_app(data: Path | str, public_url: str | None) -> Flask:
    """The site as the export sees it; raises mapapp.loading.LoadError on unusable data."""
    app = create_app({"MAPAPP_DATA": str(data), "MAPAPP_WATCH": False,
                      "MAPAPP_PUBLIC_URL": public_url or "", "FREEZER_RELATIVE_URLS": True,
                      "FREEZER_REMOVE_EXTRA_FILES": False, "FREEZER_STATIC_IGNORE": UNUSED_FILES})
    app.url_map = html_names(app.url_map)
    return app


def addresses() -> Iterator[tuple[str, dict]]:
    """Every address the export writes besides the static files, as each blueprint declares its
    pages (mapapp.web.rendering.SiteBlueprint.page); run in a request context."""
    state = current_state()
    for blueprint in current_app.blueprints.values():
        if isinstance(blueprint, SiteBlueprint):
            yield from blueprint.export_addresses(state)


@dataclass(frozen=True)
class Result:
    files: int
    size: int  # bytes
    seconds: float


class Export:
    """One export into one folder: checked when made, written by iterating `run()`."""

    def __init__(self, outdir: Path, data: Path | str, public_url: str | None = None,
                 force: bool = False):
        self.outdir = Path(outdir)
        self.previous = self._check(force)
        self.app = export_app(data, public_url)
        self.freezer = Freezer(self.app, with_no_argument_rules=False, log_url_for=False)
        self.freezer.register_generator(addresses)
        self.app.config["FREEZER_DESTINATION"] = str(self.outdir.resolve())
        self.written: list[str] = []
        self.result: Result | None = None  # once run() has finished

    def _check(self, force: bool) -> list[str]:
        """The files an earlier export wrote here (to remove those not written again)."""
        if self.outdir.exists() and not self.outdir.is_dir():
            raise ExportError(f"{self.outdir} is a file, not a folder")
        marker = self.outdir / MARKER
        if marker.is_file():
            try:
                return list(json.loads(marker.read_text(encoding="utf-8"))["files"])
            except (ValueError, KeyError, TypeError, OSError):
                return []
        if self.outdir.is_dir() and any(self.outdir.iterdir()) and not force:
            raise ExportError(f"{self.outdir} is not empty and was not made by `mapapp export`: "
                              "choose a new or empty folder, or add --force to write into it "
                              "(files of the same name are replaced, nothing else is deleted)")
        return []

    def __len__(self) -> int:
        return len(set(self.freezer.all_urls()))

    def run(self) -> Iterator[str]:
        """Write every file, yielding each address as it is written; raises OSError."""
        started = time.perf_counter()
        self.outdir.mkdir(parents=True, exist_ok=True)
        self._mark(self.previous)  # an interrupted export leaves a folder it may write again
        with warnings.catch_warnings():
            warnings.simplefilter("error", MimetypeMismatchWarning)  # a page without .html
            warnings.simplefilter("ignore", MissingURLGeneratorWarning)  # /healthz: not a file
            for page in self.freezer.freeze_yield():
                self.written.append(page.path.as_posix())
                yield page.url
        for stale in sorted(set(self.previous) - set(self.written)):
            self._remove(stale)
        self._mark(self.written)
        self.result = Result(len(self.written), sum(
            (self.outdir / name).stat().st_size for name in self.written),
            time.perf_counter() - started)

    def _mark(self, files: list[str]) -> None:
        version = self.app.extensions["mapapp"].current().atlas.version
        (self.outdir / MARKER).write_text(json.dumps(
            {"made_by": f"mapapp {__version__} export", "data_version": version,
             "files": sorted(files)}, indent=1) + "\n", encoding="utf-8")

    def _remove(self, name: str) -> None:
        """A file an earlier export wrote, and its folders when that leaves them empty."""
        path = (self.outdir / name).resolve()
        if self.outdir.resolve() not in path.parents or not path.is_file():
            return  # a listed name that is not ours to delete (the marker was edited)
        path.unlink()
        for folder in path.parents:
            if folder == self.outdir.resolve() or any(folder.iterdir()):
                break
            folder.rmdir()
