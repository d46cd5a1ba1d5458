"""HTTP caching and compression, done once per body instead of once per request.

Why: the first view of the map is mostly text (the page, the map's script with its base map,
Leaflet) that compresses four- to sixfold, and it is the same bytes for every visitor until the
data or the code changes. So a body is wrapped in a `Payload` when it is built (pages and API
payloads once per data version, in the State's cache; static files once per file version) and
its gzip form is made then; the brotli form, much smaller for the map's script but slow to make
at its best quality, is made in the background the first time a client asks for it, and gzip is
served until it is ready. A request then only picks a representation.

Every Payload answers with a strong ETag (a digest of its content, one per representation) and
Last-Modified, so a browser revalidates with a 304 and no body. Static files are addressed with
their digest (`?v=`, added by url_for here to every static URL, including those templates
build), so the versioned address is cached for a year and a new version gets a new address;
the same file without the matching `?v=` must be revalidated. Leaflet's images, which its CSS
names without a version, are revalidated too.

Responses built elsewhere (error pages, /healthz) are compressed after the fact, memoised by
content, so even those are compressed once per distinct body. /favicon.ico and /robots.txt,
which browsers and crawlers ask for at the root, are served from the static folder.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request
from werkzeug.http import http_date, parse_accept_header, quote_etag
from werkzeug.security import safe_join
from werkzeug.utils import get_content_type

FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # may be stored, but asked again (a 304 when unchanged)
COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "text/plain",
                          "application/javascript", "application/json", "application/geo+json",
                          "application/yaml", "image/svg+xml"})
MIN_SIZE = 512  # below this the compressed body plus its header saves nothing worth the work
VERSION_LENGTH = 12  # hex digits of a static file's digest in its `?v=`
# Files that browsers and crawlers ask for at the root of a site, served from the static folder.
ROOT_FILES = {"/favicon.ico": "favicon.ico", "/robots.txt": "robots.txt"}

_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brotli")
_waiting = threading.Semaphore(8)  # jobs queued at most: a flood of new bodies gets gzip only


@dataclass(eq=False)
class Payload:
    """A response body with its digest, modification time and compressed forms."""

    body: bytes
    mimetype: str
    digest: str
    modified: float  # seconds since the epoch
    encoded: dict[str, bytes] = field(default_factory=dict)  # content coding -> body
    _headers: dict[tuple, list] = field(default_factory=dict)  # per coding and lifetime
    _brotli_started: bool = False

    @classmethod
    def of(cls, body: bytes, mimetype: str, modified: float | None = None,
           brotli_later: bool = True) -> Payload:
        """`brotli_later=False` for bodies a client can make new ones of at will (a page per Host
        header, an error page per address): gzip only, so that no request costs a brotli run."""
        payload = cls(body, mimetype, hashlib.sha256(body).hexdigest()[:16],
                      time.time() if modified is None else modified,
                      _brotli_started=not brotli_later)
        if payload.compressible:
            payload._keep("gzip", gzip.compress(body, 6, mtime=0))
        return payload

    @property
    def compressible(self) -> bool:
        return self.mimetype in COMPRESSIBLE and len(self.body) >= MIN_SIZE

    def _keep(self, coding: str, data: bytes) -> None:
        if len(data) < len(self.body):
            self.encoded[coding] = data

    def coding_for(self, accepted: frozenset[str]) -> str | None:
        """The smallest representation the client accepts (None: the body as it is)."""
        if self.compressible and "br" in accepted:
            if "br" in self.encoded:
                return "br"
            if not self._brotli_started and _waiting.acquire(blocking=False):
                self._brotli_started = True
                _background.submit(self._make_brotli)
        return "gzip" if "gzip" in self.encoded and "gzip" in accepted else None

    def headers(self, coding: str | None, cache_control: str) -> list[tuple[str, str]]:
        """The headers of one representation, made once: a response copies them."""
        key = (coding, cache_control)
        if key not in self._headers:
            headers = [("Content-Type", get_content_type(self.mimetype, "utf-8")),
                       ("Cache-Control", cache_control),
                       ("ETag", quote_etag(f"{self.digest}-{coding}" if coding else self.digest)),
                       ("Last-Modified", http_date(int(self.modified)))]
            if self.compressible:
                headers.append(("Vary", "Accept-Encoding"))
            if coding:
                headers.append(("Content-Encoding", coding))
            self._headers[key] = headers
        return self._headers[key]

    def _make_brotli(self) -> None:
        try:
            self._keep("br", brotli.compress(self.body, quality=11))
        finally:
            _waiting.release()


def respond(payload: Payload, cache_control: str) -> Response:
    """The representation this request accepts, or a 304 when the client's copy is current."""
    environ = request.environ
    coding = payload.coding_for(_accepted(environ.get("HTTP_ACCEPT_ENCODING", "")))
    response = Response(payload.encoded[coding] if coding else payload.body,
                        headers=payload.headers(coding, cache_control))
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return response.make_conditional(request)
    return response


@lru_cache(maxsize=256)
def _accepted(accept_encoding: str) -> frozenset[str]:
    """The codings we make that an Accept-Encoding header allows, parsed once per header."""
    accept = parse_accept_header(accept_encoding)
    return frozenset(coding for coding in ("br", "gzip") if accept.quality(coding) > 0)


# -- static files --------------------------------------------------------------------------------
_files: dict[str, tuple[tuple[int, int], Payload]] = {}
_files_lock = threading.Lock()


def file_payload(path: str) -> Payload | None:
    """The Payload of a file, read and compressed again only when its size or mtime changed."""
    try:
        stat = Path(path).stat()
    except (OSError, ValueError):  # ValueError: a NUL in the address (/static/%00), a 404
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _files.get(path)
    if known and known[0] == stamp:
        return known[1]
    with _files_lock:
        known = _files.get(path)
        if not known or known[0] != stamp:
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            known = _files[path] = (stamp, Payload.of(Path(path).read_bytes(), mimetype,
                                                      stat.st_mtime))
        return known[1]


def _static_folder(app: Flask, endpoint: str | None) -> str | None:
    """The folder behind a static endpoint: the app's `static` or a blueprint's `<name>.static`."""
    if endpoint == "static":
        return app.static_folder
    if endpoint and endpoint.endswith(".static"):
        blueprint = app.blueprints.get(endpoint[: -len(".static")])
        return blueprint.static_folder if blueprint else None
    return None


def _static_file(folder: str, filename: str) -> Payload | None:
    path = safe_join(folder, filename)
    return file_payload(path) if path else None


@lru_cache(maxsize=64)
def _after_the_fact(body: bytes, mimetype: str) -> Payload:
    return Payload.of(body, mimetype, brotli_later=False)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        folder = _static_folder(app, endpoint)
        if folder and "filename" in values and "v" not in values:
            payload = _static_file(folder, values["filename"])
            if payload:
                values["v"] = payload.digest[:VERSION_LENGTH]

    @app.before_request
    def serve_static_files() -> Response | None:
        """Static files from memory, compressed, instead of Flask's per-request file streaming."""
        folder = _static_folder(app, request.endpoint)
        if folder is None or request.method not in ("GET", "HEAD"):
            return None
        payload = _static_file(folder, request.view_args["filename"])
        if payload is None:
            abort(404)
        versioned = request.args.get("v") == payload.digest[:VERSION_LENGTH]
        return respond(payload, FOREVER if versioned else REVALIDATE)

    for url, filename in ROOT_FILES.items():
        def root_file(filename: str = filename) -> Response:
            payload = file_payload(str(Path(app.static_folder) / filename))
            if payload is None:
                abort(404)
            return respond(payload, REVALIDATE)

        app.add_url_rule(url, f"root_file_{filename.replace('.', '_')}", root_file)

    @app.after_request
    def compress_the_rest(response: Response) -> Response:
        """Compress what was not built as a Payload (error pages, /healthz), memoised."""
        if (response.direct_passthrough or response.is_streamed or "Vary" in response.headers
                or response.content_encoding or response.mimetype not in COMPRESSIBLE):
            return response
        payload = _after_the_fact(response.get_data(), response.mimetype)
        if not payload.compressible:
            return response
        response.vary.add("Accept-Encoding")
        coding = payload.coding_for(_accepted(request.environ.get("HTTP_ACCEPT_ENCODING", "")))
        if coding:
            response.set_data(payload.encoded[coding])
            response.content_encoding = coding
        return response
