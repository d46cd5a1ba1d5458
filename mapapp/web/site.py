"""The data the site serves, and everything built from it, per data version.

A `State` is one valid Atlas plus a cache of what pages need from it (the folium map, the chart,
rendered pages, API payloads): built on first use, then shared by every request and thread, so
folium and matplotlib run once per data version, not per request.

`Site` holds the current State. In production it never changes. When watching (debug mode) it
looks at the data files' modification times on every request and reloads when they change; if
the new data has problems it keeps serving the last good Atlas and carries the problems along,
for the banner. Reloading happens in this process, not through the reloader, because a restarted
process would have no last good Atlas to fall back on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, g

from mapapp.loading import LoadError, input_files
from mapapp.model import Atlas, AtlasError, load_atlas

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
        requests builds the map once, not once per thread."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]


def problem_lines(error: Exception) -> tuple[str, ...]:
    """What the banner lists: each problem with its hint, or the one-line load error."""
    if isinstance(error, AtlasError):
        return tuple(problem.as_text() for problem in error.problems)
    return (str(error),)


class Site:
    """The current State of one data file; reloads it when watching and the files change."""

    def __init__(self, data_path: Path | str, watch: bool = False):
        self.data_path = Path(data_path)
        self.watch = watch
        self._fingerprint = self._files() if watch else None
        self._state = State(load_atlas(self.data_path))  # raises LoadError: nothing to serve
        self._lock = threading.Lock()

    def current(self) -> State:
        if self.watch:
            with self._lock:
                fingerprint = self._files()
                if fingerprint != self._fingerprint:
                    self._fingerprint = fingerprint
                    self._state = self._reload()
        return self._state

    def _reload(self) -> State:
        last_good = self._state.atlas
        try:
            atlas = load_atlas(self.data_path)
        except LoadError as error:
            return State(last_good, problem_lines(error))
        if atlas.version == last_good.version and not self._state.problems:
            return self._state
        return State(atlas)

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
    """The State this request is served from: looked up once, so a reload in the middle of a
    request cannot mix two versions in one page."""
    if "mapapp_state" not in g:
        g.mapapp_state = current_app.extensions["mapapp"].current()
    return g.mapapp_state
