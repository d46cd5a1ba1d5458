"""gunicorn as `mapapp serve` runs it: a few processes, each answering one request at a time, with
the site's security headers on gunicorn's own answers.

Why processes: every answer is served from memory, built once per data version, so a request
costs a little CPU and no waiting; in one process its threads take turns on one interpreter lock,
and under 64 connections the slowest answers waited several times as long as the median
(docs/operations.md, "Load"). gunicorn's sync workers each answer one request at a time, in a
process of their own, forked after the data is loaded and checked (its pages shared with the
parent's memory until written).

gunicorn refuses some requests before the app sees them (a malformed request line or header, a
request line or headers over its limits, a transfer coding it does not implement) and answers
them itself. Those answers get the same headers as the app's (mapapp.web.security), so that no
response leaves the server without them.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.sync import SyncWorker

from mapapp.translation import LANGUAGES
from mapapp.web.i18n import prefixed
from mapapp.web.security import CONTENT_SECURITY_POLICY, HEADERS

# Two processes per core (the cores this process may use, where the system says): one answers
# while the other waits on its socket.
WORKERS = 2 * (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)
# Pages whose first request builds what many others share (the map of each language, the
# chart): built before the fork, once, instead of once in every worker on a visitor's time.
WARM = tuple(prefixed(rule, language) for language in LANGUAGES for rule in ("/", "/statistics"))
_ERROR_HEADERS = "".join(
    f"{name}: {value}\r\n"
    for name, value in [("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                        ("Cache-Control", "no-store"), *HEADERS.items()]).encode("latin-1")


class _HeadedSocket:
    """A client socket whose answer gets the site's headers after its status line: what
    gunicorn writes when it refuses a request (gunicorn.util.write_error)."""

    def __init__(self, client: socket.socket):
        self._client = client

    def sendall(self, data: bytes) -> None:
        status, _, rest = data.partition(b"\r\n")
        self._client.sendall(status + b"\r\n" + _ERROR_HEADERS + rest)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class _Worker(SyncWorker):
    """gunicorn's sync worker, with the site's headers on its own error answers."""

    def handle_error(self, req, client, addr, exc) -> None:
        super().handle_error(req, _HeadedSocket(client), addr, exc)


class _Server(BaseApplication):
    def __init__(self, app: Any, settings: dict[str, Any]):
        self.application, self.settings = app, settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        return self.application


def address(host: str, port: int) -> str:
    """`host:port` as gunicorn binds it and a browser writes it (an IPv6 host in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_free(host: str, port: int) -> None:
    """Raise OSError if the address cannot be listened on (in use, not this machine's): asked
    before serving, as gunicorn would retry it for five seconds and exit with its own log
    lines."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def serve(app: Any, host: str, port: int, workers: int = WORKERS,
          warm: tuple[str, ...] = ()) -> None:
    """Serve `app` until SIGINT or SIGTERM, then stop cleanly (the process exits with 0).

    `warm`: paths requested once before the fork (see WARM). Then what is loaded is moved out of
    the cycle collector's sight, so that its full collections, which would walk the whole Atlas,
    neither stall requests nor write to (and so copy) the memory the workers share."""
    client = app.test_client()
    for path in warm:
        client.get(path)
    gc.freeze()
    bound = address(host, port)
    _Server(app, {
        "bind": [bound],
        "workers": workers,
        "worker_class": _Worker,
        "preload_app": True,  # loaded and checked once, in the parent
        "backlog": 2048,
        "loglevel": "warning",
        "accesslog": None,
        "proc_name": "mapapp",
        "when_ready": lambda _: print(f"Serving on http://{bound}", flush=True),
        "on_exit": lambda _: print("Stopped.", file=sys.stderr, flush=True),
    }).run()
