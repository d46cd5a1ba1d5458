"""Markdown from the data → HTML that is safe to put in a page: the one place where text from
the data becomes trusted HTML (CommonMark without raw HTML, then nh3's allow-list).

A link to the glossary is written `[MDL](glossary:mdl)` in the data; `markdown_html` turns it
into a link to the entry with the term's short definition as its title, through the resolver the
site gives it (the page's address of the entry depends on the page: relative in the export).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "br",
                 "code", "abbr", "sup", "sub"}
GLOSSARY_SCHEME = "glossary:"

# What a glossary link becomes: the entry's address and the title the link shows, or None when
# there is no such entry (the link's text is then kept without a link).
GlossaryResolver = Callable[[str], "tuple[str, str] | None"]


# A link goes to an http(s) address, a page of this site or a place in the page; nh3 alone would
# also keep `//elsewhere` and `/\elsewhere` (other sites without a scheme) and odd relative paths.
_LINK = re.compile(r"https?://[^\s/\\]|/(?![/\\])|#", re.I)


@cache
def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    return markdown.enable(["replacements", "smartquotes"])


def markdown_html(text: str, glossary: GlossaryResolver | None = None, demote: int = 0) -> Markup:
    """Markdown to HTML that is safe to insert into a page as it is; `glossary:` links resolved
    by `glossary` (without one, they keep their text and lose the link); headings `demote`
    levels lower, to fit under the page's own (`##` is h3 with demote=1)."""
    markdown = _markdown()
    tokens = markdown.parse(text or "")
    made = _resolve_glossary_links(tokens, glossary)
    for token in tokens:
        if demote and token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + demote, 6)}"

    def keep(tag: str, attribute: str, value: str) -> str | None:
        # The addresses of glossary entries made here are kept as made (relative in the export).
        if tag == "a" and attribute == "href" and not (_LINK.match(value) or value in made):
            return None
        return value

    rendered = markdown.renderer.render(tokens, markdown.options, {})
    return Markup(nh3.clean(rendered, tags=_ALLOWED_TAGS,
                            attributes={"a": {"href", "title", "class"}, "abbr": {"title"}},
                            attribute_filter=keep, url_schemes={"http", "https"},
                            link_rel="noopener noreferrer"))


def _resolve_glossary_links(tokens: list[Token], glossary: GlossaryResolver | None) -> set[str]:
    """Point each `glossary:id` link at its entry, or drop the link (not its text) when the entry
    is unknown; returns the addresses it made."""
    made: set[str] = set()
    for token in tokens:
        if not token.children:
            continue
        children, dropped = [], []  # dropped: for each open link, whether it was left out
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                target = None
                if href.startswith(GLOSSARY_SCHEME):
                    target = glossary(href[len(GLOSSARY_SCHEME):]) if glossary else None
                    if target:
                        child.attrSet("href", target[0])
                        child.attrSet("title", target[1])
                        child.attrSet("class", "glossary-link")
                        made.add(target[0])
                dropped.append(href.startswith(GLOSSARY_SCHEME) and not target)
                if dropped[-1]:
                    continue
            elif child.type == "link_close" and dropped.pop():
                continue
            children.append(child)
        token.children = children
    return made


def plain_text(text: str) -> str:
    """Markdown as the words a reader sees, without markup (for a title attribute)."""
    rendered = _markdown().render(text or "")
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", rendered)).split())


def first_sentence(text: str) -> str:
    """The first sentence of a Markdown text, as plain text: a glossary term's short definition."""
    words = plain_text(text)
    end = re.search(r"[.!?](?=\s+[A-Z\"“‘(]|$)", words)
    return words[:end.end()] if end else words
