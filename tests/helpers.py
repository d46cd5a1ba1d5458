"""Helpers shared by the tests and the maintainer scripts (scripts/bench, scripts/loadtest).

Plain functions and classes, imported by name (`from helpers import ...`); fixtures stay in the
conftest.py files. What lives here is what more than one place needs: where the test data is,
Chromium's flags, a free port, waiting for a condition, servers in a thread or a child process
(`mapapp serve` first of all), a page read as a test reads it, and the guard every browser test
runs under.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SITE_DATA = TESTS / "data" / "site" / "routes.geojson"
HOSTILE_DATA = TESTS / "data" / "hostile" / "routes.geojson"
CHROMIUM = os.environ.get("MAPAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK = "127.0.0.1"
T = TypeVar("T")


def route_ids(data: Path = SITE_DATA) -> list[str]:
    """The ids of a dataset's routes in file order, read without building an Atlas, for
    parametrizing tests (collection should not load data)."""
    features = json.loads(data.read_text(encoding="utf-8"))["features"]
    return [f["id"] for f in features if f["properties"].get("layer") == "route"]


def drop_context_and_glossary(folder: Path) -> None:
    """Take the context chapter and the glossary out of a copy of the site data, keeping it
    valid: the stories' glossary links become web links, and the teachers' guide no longer
    gives aims for the chapter's questions."""
    for name in ("context.md", "glossary.md"):
        (folder / name).unlink()
    for story in (folder / "narratives").glob("*.md"):
        text = story.read_text(encoding="utf-8")
        story.write_text(text.replace("(glossary:", "(https://example.org/"), encoding="utf-8")
    guide = folder / "teach.md"
    if guide.exists():
        text = guide.read_text(encoding="utf-8")
        guide.write_text(text.replace("  context: [rights]\n", ""), encoding="utf-8")


# -- waiting -------------------------------------------------------------------------------------
def wait_until(condition: Callable[[], T], *, timeout: float = 30, interval: float = 0.05,
               what: str = "the condition") -> T:
    """Poll `condition` until it returns something true, and return that; fail after `timeout`
    seconds. For waits on the world outside the test (a process, a file, a background thread),
    instead of sleeping a fixed time and hoping."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:g} s")
        time.sleep(interval)
    return result


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    """Whether an HTTP server answers at `url`, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


# -- servers -------------------------------------------------------------------------------------
class ServerProcess:
    """A server in a child process listening on 127.0.0.1:`port` (`mapapp serve`, nginx, …),
    ready once it answers HTTP at `ready`; a context manager that stops it.

    Its output (stdout and stderr together) goes to a file, not a pipe: under load waitress logs
    a line per queued request, and a pipe nobody reads fills up and blocks the server.
    `group=True` starts it in a process group of its own and signals the whole group, for
    servers with children (Flask's reloader)."""

    def __init__(self, command: Sequence[str], port: int, *, ready: str = "/",
                 group: bool = False, timeout: float = 60):
        self.port, self.group = port, group
        self.url = f"http://{LOOPBACK}:{port}"
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(list(command), stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=group)
        try:
            wait_until(lambda: self.process.poll() is not None or answers(self.url + ready),
                       timeout=timeout, interval=0.1, what=f"{command[0]} answering {ready}")
            if self.process.returncode is not None:
                raise RuntimeError(f"{' '.join(map(str, command))} exited with "
                                   f"{self.process.returncode}: {self.output()[-1000:]}")
        except BaseException:
            self.__exit__()
            raise

    def output(self) -> str:
        """Everything the process wrote so far."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def stop(self, how: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Signal the process (its group with `group=True`) and wait; kill it if it does not
        end within `timeout`. Returns its exit code."""
        if self.process.poll() is None:
            self._signal(how)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def _signal(self, how: int) -> None:
        try:
            if self.group:
                os.killpg(self.process.pid, how)
            else:
                self.process.send_signal(how)
        except ProcessLookupError:
            pass

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self._log.close()


def mapapp(*arguments: str, python: str = sys.executable) -> list[str]:
    """The command line of `mapapp ARGUMENTS` with this Python (the package it imports)."""
    return [python, "-m", "mapapp", *arguments]


def serve_mapapp(*arguments: str, python: str = sys.executable, group: bool = False,
                 timeout: float = 60) -> ServerProcess:
    """`mapapp serve ARGUMENTS` on a free port of 127.0.0.1, ready once /healthz answers."""
    port = free_port()
    return ServerProcess(mapapp("serve", "--host", LOOPBACK, "--port", str(port), *arguments,
                                python=python), port, ready="/healthz", group=group,
                         timeout=timeout)


@contextmanager
def serve_in_thread(app) -> Iterator[str]:
    """A WSGI app served by waitress in a thread, on a free port of 127.0.0.1; yields its base
    URL. (`mapapp serve` runs gunicorn, which forks processes: tests of the server itself start
    the command, serve_mapapp.)"""
    # Imported here, not above: the scripts use this module with the standard library alone.
    import waitress

    server = waitress.create_server(app, host=LOOPBACK, port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


class QuietHandler(SimpleHTTPRequestHandler):
    """Python's static file handler with keep-alive and without a log line per request."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A folder served by Python's http.server on a free port of 127.0.0.1, as a plain static
    server (a school's) would serve the export; yields its base URL."""
    server = ThreadingHTTPServer((LOOPBACK, 0),
                                 functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- pages as a test reads them ------------------------------------------------------------------
class Html(HTMLParser):
    """A page as a test reads it: every start tag with its attributes in document order, the
    text a reader sees (whitespace collapsed; script contents are not text) and the contents of
    each <script>, in the order of `find("script")`."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    @property
    def json_blocks(self) -> list[str]:
        """The contents of the <script type="application/json"> blocks."""
        return [text for attrs, text in zip(self.find("script"), self.scripts, strict=True)
                if attrs.get("type") == "application/json"]

    def find(self, tag: str, **attrs: str) -> list[dict]:
        """The attributes of each `tag` whose attributes include `attrs` (a trailing underscore
        is dropped from a name: `class_`)."""
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def get(client, url: str, status: int = 200):
    """GET `url` with a Flask test client, check the status; the response and its text."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, response.get_data(as_text=True)


# -- the browser guard ---------------------------------------------------------------------------
@dataclass
class PageGuard:
    """What a page in Chromium did that a test must see: every request to anywhere but
    127.0.0.1 and the `local` prefixes (file:// folders) is aborted and kept in `foreign`;
    console errors and uncaught exceptions are kept in `errors`. The console line Chromium
    writes for a page that answers 404 is expected when the test opened that page."""

    local: tuple[str, ...] = ()
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _missing: set[str] = field(default_factory=set)
    _error_urls: list[str | None] = field(default_factory=list)

    @classmethod
    def watch(cls, page, local: Sequence[str] = ()) -> PageGuard:
        guard = cls(tuple(local))
        page.route("**/*", guard._route)
        page.on("console", guard._console)
        page.on("pageerror", lambda error: guard._error(f"uncaught: {error}", None))
        page.on("response", guard._response)
        return guard

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK or url.startswith(self.local):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self._error(message.text, message.location.get("url"))

    def _error(self, text: str, url: str | None) -> None:
        self.errors.append(text)
        self._error_urls.append(url)

    def _response(self, response) -> None:
        if response.status == 404 and response.request.is_navigation_request():
            self._missing.add(response.url)

    def forgive(self, expected: Callable[[str], bool]) -> list[str]:
        """Take the errors a test expects (`expected(text)` true) out of the record; returns
        them, so the test can check they happened."""
        taken = [text for text in self.errors if expected(text)]
        kept = [(text, url) for text, url in zip(self.errors, self._error_urls, strict=True)
                if not expected(text)]
        self.errors[:] = [text for text, _ in kept]
        self._error_urls[:] = [url for _, url in kept]
        return taken

    def unexpected_errors(self) -> list[str]:
        return [text for text, url in zip(self.errors, self._error_urls, strict=True)
                if url is None or url not in self._missing]

    def check(self) -> None:
        assert self.foreign == [], "requests left the site"
        assert self.unexpected_errors() == [], "the console has errors"
