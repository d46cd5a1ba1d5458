"""Security headers on every response.

The site loads nothing from elsewhere and runs no inline script (folium's script is served as a
file of its own), so the Content-Security-Policy allows our own origin only. A response that
needs another policy (the SVG chart, whose matplotlib styles are inline) sets its own first.
"""

from __future__ import annotations

import re

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
# For /embed/<id>, made to be framed by class pages and learning platforms anywhere, and by a
# class page opened from disk: `*` alone matches network schemes only, so file: is named too.
FRAMEABLE_POLICY = "; ".join([*(directive for directive in CONTENT_SECURITY_POLICY.split("; ")
                                 if not directive.startswith("frame-ancestors")),
                               "frame-ancestors * file:"])
# For an SVG image: its own inline styles and the glyphs it carries (a Korean chart), nothing else.
IMAGE_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; font-src data:; "
                "frame-ancestors 'none'")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def echo(text: str, limit: int = 60) -> str:
    """Visitor input an error page repeats ("no route called …"): short and printable, so a 100 kB
    or control-character address comes back as a harmless stub. Escaping is the template's job."""
    text = _UNPRINTABLE.sub("\ufffd", text)
    return text if len(text) <= limit else text[:limit] + "…"


def init_app(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        frameable = response.headers["Content-Security-Policy"] == FRAMEABLE_POLICY
        for name, value in HEADERS.items():
            if not (frameable and name == "X-Frame-Options"):  # it would forbid the framing
                response.headers.setdefault(name, value)
        # Whatever did not choose (error pages, 405s) is revalidated, never kept on a guess:
        # a 404 for a route added tomorrow must not stick in a browser.
        response.headers.setdefault("Cache-Control", "no-cache")
        return response
