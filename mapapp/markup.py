"""Markdown from the data → HTML that is safe to put in a page: the one place where text from
the data becomes trusted HTML (CommonMark without raw HTML, then nh3's allow-list)."""

from __future__ import annotations

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "br",
                 "code", "abbr", "sup", "sub"}


# A link goes to an http(s) address, a page of this site or a place in the page; nh3 alone would
# also keep `//elsewhere` and `/\elsewhere` (other sites without a scheme) and odd relative paths.
_LINK = re.compile(r"https?://[^\s/\\]|/(?![/\\])|#", re.I)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not _LINK.match(value):
        return None
    return value


@cache
def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    return markdown.enable(["replacements", "smartquotes"])


def markdown_html(text: str) -> Markup:
    """Markdown to HTML that is safe to insert into a page as it is."""
    html = _markdown().render(text or "")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS,
                            attributes={"a": {"href", "title"}, "abbr": {"title"}},
                            attribute_filter=_keep_attribute,
                            url_schemes={"http", "https"}, link_rel="noopener noreferrer"))
