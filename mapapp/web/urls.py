"""Addresses built in Python: relative in the static export, public for embed and QR codes.

Frozen-Flask makes the templates' `url_for` relative while it exports, but not URLs built in
Python (folium's asset links, the map script's address): `site_url` and `page_relative` do the
same for those, so an exported page works from any folder and from `file://`.

A page handed to people elsewhere (an embed code, a QR code on a handout) needs an absolute
address: MAPAPP_PUBLIC_URL when set, else the address the request came to. Pages are cached per
data version and not per host, so a cached page carries PUBLIC_BASE where the host goes and
`with_public_base` fills it in on every response: no cache entry per Host header a client sends.
"""

from __future__ import annotations

import posixpath

from flask import current_app, request, url_for
from markupsafe import escape

PUBLIC_BASE = "\x1epublic-base\x1e"  # a control character: no escaped text can contain it


def static_copy() -> bool:
    """Whether the page is being written into the static export, where no server answers a
    form and only the addresses the export writes exist (each comparison in the routes' order:
    educators.each_pair)."""
    return bool(current_app.config.get("FREEZER_RELATIVE_URLS"))


def page_relative(url: str) -> str:
    """A site path relative to the page being exported, `index.html` added to folders (as
    flask_frozen.relative_url_for does); unchanged while serving, or when not a site path."""
    if not static_copy() or not url.startswith("/"):
        return url
    path, mark, rest = url.partition("?")
    if path.endswith("/"):
        path += "index.html"
    here = request.path if request.path.endswith("/") else posixpath.dirname(request.path)
    return posixpath.relpath(path, here) + mark + rest


def site_url(endpoint: str, **values) -> str:
    return page_relative(url_for(endpoint, **values))


def public_url(endpoint: str, **values) -> str | None:
    """The absolute address of a page, for use outside the site: under MAPAPP_PUBLIC_URL, or
    under PUBLIC_BASE while it is unset; None when it is "" (an export made without one)."""
    base = current_app.config.get("MAPAPP_PUBLIC_URL")
    if base == "":
        return None
    path = url_for(endpoint, **values)[len(request.script_root):]
    return (base.rstrip("/") if base else PUBLIC_BASE) + path


def shareable_url(endpoint: str, **values) -> str | None:
    """The address of a page for people elsewhere (a QR code, a slide, a search engine): under
    MAPAPP_PUBLIC_URL only, never the address this page was opened at; None without one."""
    return public_url(endpoint, **values) if current_app.config.get("MAPAPP_PUBLIC_URL") else None


def resolved(url: str) -> str:
    """A `public_url` for use now (a QR code): the request's own address in place of the mark."""
    return url.replace(PUBLIC_BASE, request.url_root.rstrip("/"))


def with_public_base(html: str) -> str:
    """HTML with the request's own address wherever `public_url` left PUBLIC_BASE (escaped,
    though Werkzeug already turns a host with odd characters into an empty one)."""
    return html.replace(PUBLIC_BASE, str(escape(request.url_root.rstrip("/"))))
