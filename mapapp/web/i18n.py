"""The site in every language of the data: each page at its English address and at the same
path under the language's prefix (`/routes/<id>` and `/ko/routes/<id>`).

Flask's "internationalized blueprint URLs" pattern: `SiteBlueprint.page` registers each page
once per language, the language a default of the rule; the blueprint's url_value_preprocessor
takes it from the matched rule into `g`, and its url_defaults gives every address built while a
page renders the page's own language, so `url_for` in a Korean page stays Korean. The API has
no prefix: it answers in a language with `?lang=ko`. An address that matched nothing (a 404)
takes the language of its prefix, so the error page speaks it too.

Interface text goes through Flask-Babel (gettext in templates and Python, the catalogue in
mapapp/translations); numbers are formatted for the language by Babel. What JavaScript shows is
given to it by the page (`ui_messages`), never written in the scripts. Text that stayed English
in another edition is marked `lang="en"` (mapapp.translation.English, and `markdown` here).

No page redirects by Accept-Language: a page is one language at one address, so caches and
shared links mean one thing. The English front page offers the Korean edition to a browser that
prefers Korean with a notice that static/js/i18n.js shows, in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape

import flask_babel
from babel import Locale
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, gettext, ngettext
from jinja2 import pass_context
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound

from mapapp.language import format_number
from mapapp.translation import LANGUAGES, SOURCE_LANGUAGE, Foreign, Mixed
from mapapp.web.urls import shareable_url, site_url

PARAMETER = "lang"  # the language's name in rule defaults and in the API's query
KEPT_IN_TWIN = ("step", "year")  # what of a page's context its twin in another language keeps
CHOSEN_IN_TWIN = ("routes", "context")  # query arguments that choose a deck, kept as they are


def prefixed(rule: str, language: str) -> str:
    """A page's rule in a language: the English rule itself, the others under their prefix."""
    return rule if language == SOURCE_LANGUAGE else f"/{language}{rule}"


def current_language() -> str:
    """The language of the page being rendered: the matched rule's, else the address's prefix
    (an address that matched nothing), else English; outside a request, English."""
    if not has_app_context():
        return SOURCE_LANGUAGE
    if "language" in g:
        return g.language
    if has_request_context():
        first = request.path.split("/", 2)[1]
        if first in LANGUAGES[1:]:
            return first
    return SOURCE_LANGUAGE


@contextmanager
def using(language: str) -> Iterator[None]:
    """Render in `language` for a while (a build for another edition than the request's)."""
    if not has_app_context() or language == current_language():
        yield
        return
    had, before = "language" in g, g.get("language")
    g.language = language
    try:
        with flask_babel.force_locale(language):
            yield
    finally:
        if had:
            g.language = before
        else:
            g.pop("language")


def take_language(endpoint: str | None, values: dict | None) -> None:
    """url_value_preprocessor of a page blueprint: the language comes with the matched rule."""
    if values is not None and PARAMETER in values:
        _set_language(values.pop(PARAMETER))


def _set_language(language: str) -> None:
    """The request's language, and Flask-Babel's locale with it: a request may find the locale
    of an earlier one where the application context is shared (the export's requests)."""
    g.language = language
    flask_babel.refresh()


def query_language(endpoint: str | None, values: dict | None) -> None:
    """url_value_preprocessor of the API: the language of `?lang=`, English without it."""
    language = request.args.get(PARAMETER, SOURCE_LANGUAGE)
    if language not in LANGUAGES:
        raise NotFound(gettext("There is no edition in “%(language)s”: the languages are "
                               "%(languages)s.", language=language[:20],
                               languages=", ".join(LANGUAGES)))
    _set_language(language)


def language_defaults(localized: set[str]) -> Callable[[str, dict], None]:
    """url_defaults of a page blueprint: an address of one of its pages (`localized`) is in
    the language of the page that asks for it, unless a language is given."""
    def add_language(endpoint: str, values: dict) -> None:
        if endpoint in localized:
            values.setdefault(PARAMETER, current_language())
    return add_language


# -- what templates use ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Alternate:
    language: str
    name: str  # in its own language: "English", "한국어"
    url: str
    public: str | None  # for <link hreflang>, which must be absolute: only with a public address


@dataclass(frozen=True)
class Offer:
    """The notice offering another edition, in that edition's language."""

    language: str
    name: str
    message: str
    link: str
    close: str
    url: str


@pass_context
def offers(context) -> list[Offer]:
    """On the English front page, each other edition offered in its own language (shown only to
    a browser that prefers that language, by static/js/i18n.js: the page itself is the same for
    everyone, so that caches keep one page at one address)."""
    if current_language() != SOURCE_LANGUAGE or request.endpoint != "pages.index":
        return []
    found = []
    for edition in alternates(context)[1:]:
        with using(edition.language):
            found.append(Offer(edition.language, edition.name,
                               gettext("This map is also in %(language)s.",
                                       language=edition.name),
                               gettext("Open the %(language)s edition", language=edition.name),
                               gettext("Close"), edition.url))
    return found


def site_root() -> str:
    """Where the site's addresses start, from this page ("/", or "../" in the export)."""
    root = site_url("pages.index", **{PARAMETER: SOURCE_LANGUAGE}).removesuffix("index.html")
    return root or "./"


def language_name(language: str) -> str:
    return Locale.parse(language).get_display_name(language)


@pass_context
def alternates(context) -> list[Alternate]:
    """This page in every language, its own first: for <link rel="alternate" hreflang> (only
    where MAPAPP_PUBLIC_URL says where the site is published) and the link to the twin. The
    twin keeps what the address names (route, year, a chosen deck's `routes` and `context`) and
    what the page shows of it (the slide: `step`, a route page's `year`); static/js/i18n.js
    carries over what scripts changed since."""
    endpoint, values = request.endpoint, dict(request.view_args or {})
    if context.get("error"):
        endpoint, values = "pages.index", {}  # no twin of a page that is not there: the home
    elif request.url_rule is None or PARAMETER not in (request.url_rule.defaults or {}):
        return []  # a page in one language only (the API)
    values.update((key, context[key]) for key in KEPT_IN_TWIN if context.get(key) not in (None, 1))
    values.update((key, request.args.getlist(key)) for key in CHOSEN_IN_TWIN if key in request.args)
    own = current_language()
    return [Alternate(language, language_name(language),
                      site_url(endpoint, **values, **{PARAMETER: language}),
                      shareable_url(endpoint, **values, **{PARAMETER: language}))
            for language in sorted(LANGUAGES, key=lambda language: language != own)]


def marked_markdown(render: Callable[[str], Markup]) -> Callable[..., Markup]:
    """The `markdown` filter around `render`: a text or block in another language than the page
    (still English on a Korean page) is wrapped in `<div lang="en">`, so that it is read as
    such; in a translation, what stayed in Latin script (an English title, a name) is marked
    too (`latin_marked`)."""
    def markdown(text: str, *args, **kwargs) -> Markup:
        if isinstance(text, Mixed):
            return Markup("").join(_marked(render(block, *args, **kwargs), language)
                                   for block, language in text.blocks)
        language = text.lang if isinstance(text, Foreign) else ""
        return _marked(render(text, *args, **kwargs), language)
    return markdown


def _marked(html: Markup, language: str) -> Markup:
    if language:
        return Markup('<div lang="%s">%s</div>') % (language, html)
    return html if current_language() == SOURCE_LANGUAGE else latin_marked(html)


# Words in Latin script, and what may stand between two of them in one English run (a title, a
# name, a publisher: "The Washington Post", "Spiegel & Grau", "Report of … (A/HRC/25/63)").
LATIN_WORD = r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9'’-]*(?:\.[A-Za-z0-9]+)*"
LATIN_RUN = re.compile(rf"{LATIN_WORD}(?:[\s\d,.:;!?&/()\[\]'’‘“”\"–—-]+{LATIN_WORD})*")
TAG = re.compile(r"(<[^>]*>)")
NOT_PROSE = frozenset({"code", "kbd", "pre", "samp"})


def latin_marked(html: Markup) -> Markup:
    """A translation's HTML with each run of English in its text (a title left in its language,
    a name, a word discussed: "The Washington Post는", "‘defector’") in `<span lang="en">`, so
    that a screen reader reads it as English. A run of capitals alone (DMZ, UNHCR, USB) is an
    abbreviation Korean texts use as such, and code is not prose: both stay as they are."""
    parts, depth = [], 0
    for part in TAG.split(str(html)):
        if part.startswith("<"):
            name = re.match(r"</?([A-Za-z0-9]+)", part)
            if name and name[1].lower() in NOT_PROSE:
                depth += -1 if part.startswith("</") else 1
            parts.append(part)
        else:
            parts.append(_latin_runs_marked(part) if depth == 0 and part else part)
    return Markup("".join(parts))


def _latin_runs_marked(text: str) -> str:
    raw, parts, end = unescape(text), [], 0
    for run in LATIN_RUN.finditer(raw):
        if any(letter.islower() for letter in run[0]):
            parts += [escape(raw[end:run.start()]), Markup('<span lang="en">%s</span>') % run[0]]
            end = run.end()
    return "".join([*parts, escape(raw[end:])]) if parts else text


def marked(text) -> Markup:
    """The `marked` filter: a short data text (a glossary term) as HTML, marked as `markdown`
    marks a text: with its language where it is in another, its English runs in a
    translation."""
    if isinstance(text, Foreign) or current_language() == SOURCE_LANGUAGE:
        return escape(text)
    return latin_marked(escape(text))


def plain(text) -> str:
    """The text without its language mark, for places no element can go (attributes, <title>):
    on a page of another language, English there cannot be marked."""
    return str(text)


def ui_messages() -> dict:
    """The words static/js/*.js shows, in the page's language: a script reads them from the
    page (#ui-messages) instead of writing English. `{n}`, `{total}`, `{title}` are filled in
    by the script; a pair is (one, many)."""
    return {
        "stageOf": gettext("Stage {n} of {total}: {title}"),
        "overview": [ngettext("Overview · {n} stage", "Overview · {n} stages", count)
                     for count in (1, 2)],
        "allRoutes": gettext("All routes."),
        "mapLabel": gettext("Map. Arrow keys move it, plus and minus zoom; every route and "
                            "place on it is also listed in the page."),
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "mapFailed": gettext("The map could not be drawn."),
        "listStillWorks": gettext("Every route and its story can still be read from the list."),
        "stagesBelow": gettext("The route's stages are listed below it."),
        # a stage's town beyond the map's edge, and how far it is from the stage before it
        "distantPlace": gettext("{place}, {distance} km"),
    }


def init_app(app: Flask) -> None:
    """Flask-Babel with the page's language; what templates use to speak it."""
    Babel(app, locale_selector=current_language)
    # Every page has one rule per language, told apart by a default: werkzeug would otherwise
    # redirect an address to another rule of its endpoint whose defaults match it.
    app.url_map.redirect_defaults = False
    app.jinja_env.filters.update(plain=plain, marked=marked)
    app.jinja_env.globals.update(alternates=alternates, offers=offers, site_root=site_root,
                                 ui_messages=ui_messages, format_number=format_number)
    app.context_processor(lambda: {"language": current_language()})
