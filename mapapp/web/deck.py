"""The presentation's decks: which slides they hold, and what of a long text each slide shows.

A deck is a list of `Slide`s: one route's (/present/<id>), every route's after the context
chapter (/present), the routes a teacher chose (/present?routes=a,b), or two routes compared
aspect by aspect (/present/compare/<a>/<b>). Each route gives a title slide, a slide per stage,
its questions and its sources; a deck ends on a slide with the site's public address.

A slide must fit a projector's screen in large type without scrolling (1280×720 at 28 px, see
static/css/present.css, and the same layout scaled at 1920×1080). Text that would not fit goes
on to a continuation slide of the same stage or list: `_pages` estimates each block's height
from its words (wrapped as the browser wraps them, at a conservative width per character) and
fills each slide up to its height. Nothing is cut: a paragraph longer than a slide is split
between sentences. The browser tests hold every slide of the shipped decks to the screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from flask_babel import gettext as _

from mapapp import style
from mapapp.model import Atlas, Chapter, Country, Route
from mapapp.translation import same_language

# -- the slide's measure, in ems of the body text at the design screen (1280×720, 28 px) ----
# The slide column is 58% of the screen (24.6 em at 28 px) less its padding; the controls take
# 2.1 em at the bottom. Widths are in characters of about 0.56 em (DejaVu Sans, the widest common
# system font), with a margin: the browser breaks lines at words, and the fitter does too.
CHARS = 43  # body text in the slide column
HALF_CHARS = 26  # body text in one of two columns (the comparison, beside a narrower map)
HEIGHT = 21.5  # ems of body text a slide holds below the controls
LINE = 1.3  # line height (present.css)
HEADING = 1.45  # the slide heading's size (present.css)
HEADING_LINE = 1.15
PARAGRAPH_GAP = 0.5
ITEM_GAP = 0.35
COLUMN_HEADING = 1.1  # a route's name over its column
NOTE_PADDING = 1.0  # a content note's padding and border, above and below
KEYS_HEIGHT = 2 * LINE * 1.2 + PARAGRAPH_GAP  # the keys: two lines with <kbd> boxes
WIDE = 1 / 0.56  # a Hangul character (an em) in characters of the measure (0.56 em)


@dataclass(frozen=True)
class Column:
    """One route's side of a comparison slide."""

    route: Route
    items: tuple[str, ...]


@dataclass(frozen=True)
class Slide:
    kind: str  # context, intro, route, stage, questions, sources, compare or end
    title: str
    route: Route | None = None
    stage: int = -1  # the index of the stage, on a stage slide
    items: tuple[str, ...] = ()  # its share of a long text: Markdown blocks, questions, sources
    first: int = 1  # the number of its first item, in the list it continues
    part: int = 1  # 2, 3… on the continuation slides of the same stage or list
    columns: tuple[Column, ...] = ()  # a comparison slide's routes, side by side
    note: str | None = None  # a content note shown on the slide
    chapter: Chapter | None = field(default=None, compare=False)  # on context slides
    year: int | None = None  # on the timeline's slides: the year the map shows
    in_use: tuple[str, ...] = ()  # and the ids of the routes in use in it
    standing: tuple[str, ...] = ()  # and of the barriers standing

    @property
    def continued(self) -> bool:
        return self.part > 1


# -- estimating heights --------------------------------------------------------------------
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]")


def plain(markdown: str) -> str:
    """The words a reader sees of a Markdown block: links as their text, no emphasis marks."""
    return _MARKUP.sub("", _LINK.sub(r"\1", markdown))


def width(word: str) -> float:
    """A word's width in characters of the measure: a Hangul (or other wide) character is about
    an em, WIDE of them, so that Korean slides are split where they fill up too."""
    return sum(WIDE if unicodedata.east_asian_width(char) in "WF" else 1 for char in word)


def lines(text: str, chars: float) -> int:
    """How many lines `text` takes when wrapped at words into lines of `chars` characters."""
    count, used = 1, 0
    for word in text.split():
        if used and used + 1 + width(word) > chars:
            count, used = count + 1, 0
        used += (1 if used else 0) + width(word)
        while used > chars:  # a word longer than the line (an address) breaks anywhere
            count, used = count + 1, used - int(chars)
    return count


def text_height(text: str, chars: float = CHARS, gap: float = PARAGRAPH_GAP) -> float:
    return lines(text, chars) * LINE + gap


def heading_height(text: str) -> float:
    return lines(text, CHARS / HEADING) * HEADING * HEADING_LINE + 0.45


def note_height(text: str) -> float:
    return text_height(_("Content note.") + " " + text, CHARS - 2) + NOTE_PADDING


def _pages(items: Sequence[str], first_room: float, room: float, height,
           split: bool = True) -> list[list[str]]:
    """The items shared out between slides: as many as fit in `first_room` ems, then `room` on
    each slide after; `height(item)` estimates one. A prose paragraph that does not fit is split
    between sentences (unless `split` is false: items of a list keep whole); an item that fits
    no slide at all goes alone on a slide of its own."""
    pages: list[list[str]] = [[]]
    left = first_room
    queue = list(items)
    while queue:
        item = queue.pop(0)
        if height(item) <= left:
            pages[-1].append(item)
            left -= height(item)
            continue
        head, tail = _split_to_fit(item, left, height) if split else ("", item)
        if head:
            pages[-1].append(head)
            queue.insert(0, tail)
        elif not pages[-1] and left >= room:  # nothing can be done: the browser tests say so
            pages[-1].append(item)
        else:
            queue.insert(0, item)
        pages.append([])
        left = room
    return pages[:1] + [page for page in pages[1:] if page]  # the first even empty: its head


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def sentences(block: str) -> list[str]:
    """A paragraph's sentences, never broken inside a link's brackets or parentheses."""
    depth, depths = 0, []
    for char in block:
        depths.append(depth)
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(char, 0)
    found, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        if depths[match.end() - 1] <= 0:
            found.append(block[start:match.end()].strip())
            start = match.end()
    found.append(block[start:].strip())
    return [sentence for sentence in found if sentence]


def _split_to_fit(item: str, room: float, height) -> tuple[str, str]:
    """The longest run of whole sentences of `item` (else of clauses) that fits `room`, and the
    rest; "" and the item when nothing fits, or when it is not prose (a list item, a quote)."""
    if room < 3 * LINE or _LIST_ITEM.match(item.lstrip()) or item.lstrip().startswith(">"):
        return "", item
    # Between sentences; else between clauses; else, for a sentence longer than a slide,
    # between words (never inside a link).
    for parts in (sentences(item), clauses(item), words(item)):
        for cut in range(len(parts) - 1, 0, -1):
            head = " ".join(parts[:cut])
            if height(head) <= room:
                return same_language(item, head), same_language(item, " ".join(parts[cut:]))
    return "", item


_WORD = re.compile(r"\S*\[[^\]]*\]\([^)]*\)\S*|\S+")  # a Markdown link is one word


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses, each with the mark that ends it (, ; :), never inside a link."""
    found, start, depth = [], 0, 0
    for index, char in enumerate(sentence):
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(char, 0)
        if depth <= 0 and char in ",;:" and sentence[index + 1:index + 2] == " ":
            found.append(sentence[start:index + 1].strip())
            start = index + 1
    found.append(sentence[start:].strip())
    return [part for part in found if part]


_LIST_ITEM = re.compile(r"^(?=[-*+] |\d+[.)] )", re.M)


def blocks(markdown: str) -> list[str]:
    """A Markdown text's blocks as separated by blank lines, each item of a list a block of its
    own (a list may go on from one slide to the next)."""
    found = []
    for block in re.split(r"\n\s*\n", markdown or ""):
        found += [same_language(markdown, part.strip()) for part in _LIST_ITEM.split(block)
                  if part.strip()]
    return found


# -- the slides of a deck -------------------------------------------------------------------
def _continued(slide: Slide, pages: list[list[str]], first_numbers: bool = False) -> list[Slide]:
    """A slide and its continuations, one per page of its items."""
    made, number = [], 1
    for part, page in enumerate(pages, start=1):
        made.append(replace(slide, items=tuple(page), first=number if first_numbers else 1,
                            part=part, note=slide.note if part == 1 else None))
        number += len(page)
    return made


def _kicker_height(text: str) -> float:
    return text_height(text, CHARS, 0.2)


def route_title_slides(atlas: Atlas, route: Route, opening: bool) -> list[Slide]:
    """A route's title slide (its period, countries and content note; the keys, when it opens
    the deck), then its summary and introduction, on it and on as many slides as they need."""
    story = route.narrative
    countries = " → ".join(_country_name(atlas, code) for code in route.countries)
    used = _kicker_height(route.title) + heading_height(route.title) + text_height(countries)
    if story.content_note:
        used += note_height(story.content_note)
    if opening:
        used += KEYS_HEIGHT
    slide = Slide("route", route.title, route, note=story.content_note)
    return _continued(slide, _pages([route.summary, *blocks(story.intro)], HEIGHT - used,
                                    HEIGHT - _continuation_head(route.title, route.title),
                                    text_height))


def _continuation_head(kicker: str, title: str) -> float:
    return _kicker_height(kicker + " · " + _("continued")) + heading_height(title)


def stage_slides(atlas: Atlas, route: Route, index: int) -> list[Slide]:
    stage = route.narrative.stages[index]
    kicker = _stage_kicker(route, index)
    facts = [atlas.place_name(stage.place), stage.duration, stage.dangers]
    if stage.cost:
        facts.append(stage.cost)
    used = (_kicker_height(kicker) + heading_height(stage.title)
            + sum(text_height(fact, CHARS - 7, 0.15) for fact in facts) + PARAGRAPH_GAP)
    slide = Slide("stage", stage.title, route, index)
    return _continued(slide, _pages(blocks(stage.body), HEIGHT - used,
                                    HEIGHT - _continuation_head(kicker, stage.title),
                                    text_height))


def _stage_kicker(route: Route, index: int) -> str:
    return _("Stage %(number)d of %(total)d", number=index + 1,
             total=len(route.narrative.stages)) + " · " + route.title


def _list_slides(kind: str, title: str, route: Route | None, items: Sequence[str],
                 kicker: str, after: float = 0) -> list[Slide]:
    """A numbered or bulleted list under a heading, continued on as many slides as it needs
    (`after`: the height of what follows the list on its last slide)."""
    def height(item: str) -> float:
        return text_height(plain(item), CHARS - 2, ITEM_GAP)

    head = _kicker_height(kicker) + heading_height(title)
    pages = _pages(items, HEIGHT - head, HEIGHT - _continuation_head(kicker, title), height,
                   split=False)
    if after and sum(map(height, pages[-1])) + after > HEIGHT - head:
        pages.append([pages[-1].pop()])  # room for the closing line on the last slide
    return _continued(Slide(kind, title, route), pages, first_numbers=True)


def question_slides(route: Route) -> list[Slide]:
    questions = route.narrative.questions
    if not questions:
        return []
    return _list_slides("questions", _("Questions for discussion"), route, questions,
                        route.title)


def source_references(route: Route) -> list[str]:
    """Every source of a route in short, once per publisher with the years it is cited for
    ("Human Rights Watch, 2002, 2024"), in the order the story first cites them."""
    cited = [*route.sources, *(source for stage in route.narrative.stages
                               for source in stage.sources)]
    years: dict[str, set[int]] = {}
    for source in cited:
        years.setdefault(source.publisher, set()).add(source.year)
    return [same_language(publisher, ", ".join([publisher, *map(str, sorted(found))]))
            for publisher, found in years.items()]


def source_slides(route: Route) -> list[Slide]:
    """The route's sources in short; the closing line gives the address of the full list."""
    return _list_slides("sources", _("Sources"), route, source_references(route), route.title,
                        after=3 * LINE + PARAGRAPH_GAP)


def route_slides(atlas: Atlas, route: Route, opening: bool = False) -> list[Slide]:
    """Everything a route shows: title, stages, questions and sources."""
    slides = route_title_slides(atlas, route, opening)
    for index in range(len(route.narrative.stages)):
        slides += stage_slides(atlas, route, index)
    return slides + question_slides(route) + source_slides(route)


def context_slides(chapter: Chapter) -> list[Slide]:
    """The context chapter first: its title and introduction, then a slide (or more) per
    section."""
    slides: list[Slide] = []
    used = heading_height(chapter.title) + _kicker_height(chapter.title)
    if chapter.content_note:
        used += note_height(chapter.content_note)
    opening = Slide("context", chapter.title, note=chapter.content_note, chapter=chapter)
    slides += _continued(opening, _pages(blocks(chapter.intro), HEIGHT - used,
                                         HEIGHT - _continuation_head(chapter.title,
                                                                     chapter.title),
                                         text_height))
    for section in chapter.sections:
        head = _continuation_head(chapter.title, section.title)
        slide = Slide("context", section.title, chapter=chapter)
        slides += _continued(slide, _pages(blocks(section.body), HEIGHT - head, HEIGHT - head,
                                           text_height))
    return slides


def end_slide(route: Route | None = None) -> Slide:
    """The last slide: where the class finds the map (the route's page, or the site's)."""
    return Slide("end", _("Explore the map"), route)


def route_deck(atlas: Atlas, route: Route) -> list[Slide]:
    """One route: it opens on its own title slide (no introduction repeating it)."""
    return [*route_slides(atlas, route, opening=True), end_slide(route)]


def routes_deck(atlas: Atlas, routes: Iterable[Route], chapter: Chapter | None = None
                ) -> list[Slide]:
    """Several routes (every route, or those chosen): the context chapter when given, an
    introduction, each route, and the end."""
    slides = context_slides(chapter) if chapter else []
    slides.append(Slide("intro", _("How people leave North Korea")))
    for route in routes:
        slides += route_slides(atlas, route)
    return [*slides, end_slide()]


# -- the timeline --------------------------------------------------------------------------------
def event_height(atlas: Atlas, event_id: str) -> float:
    event = next(event for event in atlas.events if event.id == event_id)
    return text_height(f"{event.year} {event.title}", CHARS - 2, 0.1) + text_height(
        event.summary, CHARS - 2, ITEM_GAP)


def timeline_deck(atlas: Atlas) -> list[Slide]:
    """The events year by year (/present/timeline): an opening slide, then a slide for each
    year with events (continued when they do not fit), the map showing that year; the end."""
    slides = [Slide("timeline", _("How the routes changed"))]
    for year in atlas.event_years:
        title = str(year)
        head = _kicker_height(_("Timeline")) + heading_height(title) + text_height(title)
        slide = Slide("year", title, year=year,
                      in_use=tuple(route.id for route in atlas.routes_in_use(year)),
                      standing=tuple(barrier.id for barrier in atlas.barriers_standing(year)))
        slides += _continued(slide, _pages([event.id for event in atlas.events_in(year)],
                                           HEIGHT - head, HEIGHT - head,
                                           lambda event_id: event_height(atlas, event_id)))
    return [*slides, end_slide()]


# -- comparing two routes -------------------------------------------------------------------
def _country_name(atlas: Atlas, iso3: str) -> str:
    country = atlas.country(iso3)
    return country.name if country else iso3


def first_sentence(text: str) -> str:
    return (sentences(text) or [text])[0]


def country_line(country: Country) -> str:
    """A country's part in a journey, in one line: its name, role and first sentence of policy."""
    role = style.role_label(country.role)
    if not role:
        return same_language(country.name, f"**{country.name}**")
    return same_language(country.policy,
                         f"**{country.name}** ({role}): {first_sentence(country.policy)}")


def comparison_aspects(atlas: Atlas, route: Route) -> list[tuple[str, list[str]]]:
    """What a comparison sets side by side for one route: the journey, how long each stage
    takes, its dangers, and how each country it passes treats the people on it."""
    stages = route.narrative.stages
    countries = [atlas.country(code) for code in dict.fromkeys(route.countries)]
    return [
        (_("What the journey is"), [route.summary, same_language(route.summary, " → ".join(
            _country_name(atlas, code) for code in route.countries))]),
        (_("How long it takes"), [same_language(stage.duration, f"**{stage.title}**: "
                                                f"{stage.duration}") for stage in stages]),
        (_("What it risks"), [same_language(stage.dangers, f"**{stage.title}**: {stage.dangers}")
                              for stage in stages]),
        (_("Which countries help or return people"),
         [country_line(country) for country in countries if country is not None]),
    ]


def compare_deck(atlas: Atlas, first: Route, second: Route) -> list[Slide]:
    """Two routes side by side, one aspect per slide (continued when a side is long), then both
    routes' questions and the end."""
    slides = [Slide("intro", _("Comparing two routes"), columns=(Column(first, ()),
                                                                 Column(second, ())))]

    def height(item: str) -> float:
        return text_height(plain(item), HALF_CHARS - 1, ITEM_GAP)

    names = max(lines(route.title, HALF_CHARS / COLUMN_HEADING) for route in (first, second))
    for (title, left), (_title, right) in zip(comparison_aspects(atlas, first),
                                              comparison_aspects(atlas, second), strict=True):
        room = (HEIGHT - _kicker_height(_("Comparing two routes")) - heading_height(title)
                - names * COLUMN_HEADING * HEADING_LINE - PARAGRAPH_GAP)
        pairs = zip_longest(_pages(left, room, room, height), _pages(right, room, room, height),
                            fillvalue=[])
        for part, (one, other) in enumerate(pairs, start=1):
            slides.append(Slide("compare", title, part=part,
                                columns=(Column(first, tuple(one)), Column(second, tuple(other)))))
    for route in (first, second):
        slides += question_slides(route)
    return [*slides, end_slide()]
