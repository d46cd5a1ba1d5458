"""The data the site serves, and everything built from it, per data version.

A `State` is one valid Atlas plus a cache of what pages need from it (the folium map, the chart,
rendered pages, API payloads): built on first use, then shared by every request and thread, so
folium and matplotlib run once per data version, not per request. Each language of the site has
its State (`State.edition`): the Atlas's edition in that language, with a cache of its own.

`Site` holds the current State. In production it never changes. When watching (debug mode) it
looks at the data files' modification times on every request and reloads when they change; if
the new data has problems it keeps serving the last good Atlas and carries the problems along,
for the banner. Reloading happens in this process, not through the reloader, because a restarted
process would have no last good Atlas to fall back on.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Response, current_app, g, request, url_for
from markupsafe import escape

from mapapp.loading import LoadError, input_files
from mapapp.model import Atlas, AtlasError, load_atlas
from mapapp.web import i18n

T = TypeVar("T")


class State:
    """One Atlas, the problems of the data on disk (watch mode only), and a build cache."""

    def __init__(self, atlas: Atlas, problems: tuple[str, ...] = ()):
        self.atlas = atlas
        self.problems = problems
        self._cache: dict[Any, Any] = {}
        self._lock = threading.RLock()  # re-entrant: a page's build asks for the map's

    def cached(self, key: Any, build: Callable[[], T]) -> T:
        """The value built for `key`, building it once. Builds run under the lock: a burst of first
        requests builds the map once, not once per thread; and in the State's language, whatever
        the request's (the export lists the Korean map's address from an English request)."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                with i18n.using(self.atlas.language):
                    self._cache[key] = build()
            return self._cache[key]

    def edition(self, language: str) -> State:
        """This State in another language of the site: the Atlas's edition, with a cache of its
        own (each language has its map, chart and pages), built on first use."""
        if language == self.atlas.language:
            return self
        return self.cached(("edition", language),
                           lambda: State(self.atlas.edition(language), self.problems))


def problem_lines(error: Exception) -> tuple[str, ...]:
    """What the banner lists: each problem with its hint, or the one-line load error."""
    if isinstance(error, AtlasError):
        return tuple(problem.as_text() for problem in error.problems)
    return (str(error),)


class NoValidData(LoadError):
    """Watching data that has never been valid: there is no version to show yet, only its
    problems (each request gets a page listing them, until the files are fixed)."""

    def __init__(self, problems: tuple[str, ...]):
        self.problems = problems
        super().__init__(problems[0].splitlines()[0] if problems else "no valid data")


class Site:
    """The current State of one data file; reloads it when watching and the files change.

    Without watching, unusable data raises LoadError at once: nothing to serve. When watching
    (a maintainer previewing an edit), the site starts anyway and lists the problems."""

    def __init__(self, data_path: Path | str, watch: bool = False):
        self.data_path = Path(data_path)
        self.watch = watch
        self._fingerprint = self._files() if watch else None
        self._state: State | None = None
        self._problems: tuple[str, ...] = ()  # why there is no State (watching only)
        try:
            self._state = State(load_atlas(self.data_path))
        except LoadError as error:
            if not watch:
                raise
            self._problems = problem_lines(error)
        self._lock = threading.Lock()

    @property
    def problems(self) -> tuple[str, ...]:
        """The problems of the data on disk, whether or not an older version is being shown."""
        return self._state.problems if self._state is not None else self._problems

    def current(self) -> State:
        """The State to serve; NoValidData when the data has never been valid."""
        if self.watch:
            with self._lock:
                fingerprint = self._files()
                if fingerprint != self._fingerprint:
                    self._fingerprint = fingerprint
                    self._reload()
        if self._state is None:
            raise NoValidData(self._problems)
        return self._state

    def _reload(self) -> None:
        try:
            atlas = load_atlas(self.data_path)
        except LoadError as error:
            if self._state is None:
                self._problems = problem_lines(error)
            else:
                self._state = State(self._state.atlas, problem_lines(error))
            return
        if (self._state is None or atlas.version != self._state.atlas.version
                or self._state.problems):
            self._state = State(atlas)

    def _files(self) -> tuple:
        """Name, size and modification time of every input file: cheap enough per request."""
        stamps = []
        for path in input_files(self.data_path):
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(stamps)


def current_state() -> State:
    """The State this request is served from, in the page's language: looked up once, so a
    reload in the middle of a request cannot mix two versions in one page."""
    if "mapapp_state" not in g:
        g.mapapp_state = current_app.extensions["mapapp"].current()
    return g.mapapp_state.edition(i18n.current_language())


def state_before_request() -> None:
    """Look the State up before the request is routed, so that while the data has never been
    valid even an unknown address (whose 404 page needs the data) gets the list of problems."""
    if request.endpoint != "static" and "mapapp_state" not in g:
        g.mapapp_state = current_app.extensions["mapapp"].current()


def no_valid_data(error: NoValidData) -> Response:
    """What every address answers while the watched data has never been valid: its problems, as
    a page for people and as JSON for the API and /healthz (503: nothing to serve yet)."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        body = json.dumps({"status": "problems", "version": None,
                           "problems": len(error.problems)})
        return Response(body, 503, mimetype="application/json")
    items = "".join(f"<li><pre>{escape(problem)}</pre></li>" for problem in error.problems)
    page = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>The data has problems</title>"
            f'<link rel="stylesheet" href="{escape(url_for("static", filename="css/site.css"))}">'
            '</head><body><main class="banner" role="alert">'
            f"<h1>The data has {len(error.problems)} problem(s) and no valid version to show "
            "yet</h1><p>Fix the files and reload this page; <code>mapapp validate</code> lists "
            f'the same problems.</p><ul class="banner-problems">{items}</ul></main></body></html>')
    return Response(page, 503, mimetype="text/html")
