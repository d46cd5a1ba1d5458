"""waitress as `mapapp serve` runs it, with the site's security headers on waitress's own answers.

waitress refuses some requests before the app sees them (a malformed request line, non-ASCII
bytes in it, headers over its limit, a body it cannot read) and answers them itself in plain
text. Those answers get the same headers as the app's (mapapp.web.security), so that no response
leaves the server without them.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from mapapp.web.security import CONTENT_SECURITY_POLICY, HEADERS

SEND_BYTES = 256 * 1024  # bytes per socket.send(): a page or a layer at once


class _HeadedErrorTask(ErrorTask):
    def execute(self) -> None:
        self.response_headers.extend([("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                                      ("Cache-Control", "no-store"), *HEADERS.items()])
        super().execute()


class _Channel(HTTPChannel):
    error_task_class = _HeadedErrorTask


def create_server(app: Any, **settings: Any):
    """waitress.create_server, with our error answers (same settings: host, port, threads…)."""
    server = waitress.create_server(app, **settings)
    # One listening socket is one server; several (`listen=`) are dispatched from its map.
    listeners = [server] if hasattr(server, "channel_class") else list(server.map.values())
    for listener in listeners:
        listener.channel_class = _Channel
    return server


def serve(app: Any, **settings: Any) -> None:
    """What waitress.serve does, with create_server above, tuned for answers from memory
    (docs/operations.md, "Under load"): waitress warns of its queue depth on every request that
    waits for a thread, which under a burst costs more than the answers; and the data loaded at
    start-up is moved out of the cycle collector's sight, so that its full collections, which
    would walk the whole Atlas, do not stall requests; and a response is handed to the socket
    in one piece rather than in waitress's default pieces of 18,000 bytes, each a turn of its
    loop shared by every connection (a page is about 40 kB compressed, a layer more)."""
    logging.basicConfig()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    gc.freeze()
    server = create_server(app, **{"send_bytes": SEND_BYTES, **settings})
    server.print_listen("Serving on http://{}:{}")
    server.run()
