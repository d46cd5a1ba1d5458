"""The content in other languages: which English texts a translator translates, and the parsed
data with their translations in place.

Every text a reader sees (a feature's title, name, summary or policy, every field and paragraph
of a narrative, the context chapter and the glossary, a statistics note) is one `Text`, named by
a context that says where it is used (`route:southern-route:stage-3:dangers`, as Sphinx's
gettext builder names its messages) and located at its file and line. Prose is cut into its
Markdown blocks (paragraphs, lists, quotes), one entry each, so that a changed paragraph leaves
the others' translations standing.

One walk over the parsed data both lists the texts (`english_texts`, for the catalogue and the
checks) and puts translations in their place (`in_language`, for the model), so the two can never
disagree on a context. A text without a translation stays English as an `English` string, and
a Markdown text with some blocks translated is `Mixed`: pages mark both `lang="en"`. Source
titles and publishers keep the language they are published in, marked where it is not the
edition's (`English`, `Korean`). Pure: no I/O, no Flask.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from mapapp.catalogue import Catalogue, Text
from mapapp.contract import PROPERTY_SCHEMAS, Source
from mapapp.guide import Guide
from mapapp.loading import TRANSLATIONS, TextFile
from mapapp.narrative import Chapter, Glossary, Narrative, Page, Stage
from mapapp.parsing import Feature, Parsed
from mapapp.statistics import Figure

SOURCE_LANGUAGE = "en"
LANGUAGES = (SOURCE_LANGUAGE, *TRANSLATIONS)  # every edition of the site, English first
# Feature properties a reader sees as text: the contract's free texts (no pattern, no enum).
TEXT_PROPERTIES = tuple(name for name, schema in PROPERTY_SCHEMAS.items()
                        if schema.get("type") == "string" and "pattern" not in schema)
RIVER_KEYWORDS = ("land", "sea")  # a crossing's `river` when it crosses no river
SHARED_CONTEXTS = {"river": "a river's name, as in “across the Tumen”",
                   "place": "a town's name, where a stage of a route happens"}
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


class Foreign(str):
    """A text in another language than the edition it is shown in: on a page it is marked with
    its language (`<span lang="en">`), so that screen readers pronounce it as such."""

    lang = ""

    def __html__(self) -> Markup:
        return Markup('<span lang="%s">%s</span>') % (self.lang, str(self))


class English(Foreign):
    """A text left in English in another language's edition (not translated yet, or the title
    of an English publication)."""

    lang = SOURCE_LANGUAGE


class Korean(Foreign):
    """A Korean publication's title or name in another edition than the Korean."""

    lang = "ko"


class Mixed(str):
    """A Markdown text with some blocks translated and some still English: `blocks` holds each
    block with its language ("" for the edition's own), for the page to mark the English ones."""

    blocks: tuple[tuple[str, str], ...]  # (Markdown block, its language or "")

    def __new__(cls, blocks: tuple[tuple[str, str], ...]) -> Mixed:
        text = super().__new__(cls, "\n\n".join(block for block, _ in blocks))
        text.blocks = blocks
        return text


def same_language(whole: str, part: str) -> str:
    """A part of a text (a block, a sentence, a line made from it) in the text's language: a
    part of English text, or of an English block of a Mixed one, stays marked English."""
    if isinstance(whole, Mixed):
        piece = part.strip()
        english = any(piece and piece in block for block, language in whole.blocks
                      if language == SOURCE_LANGUAGE)
        return English(part) if english else part
    return type(whole)(part) if isinstance(whole, Foreign) else part


def blocks(markdown: str) -> list[str]:
    """The Markdown blocks of a text (its paragraphs, lists, quotes): one translation each."""
    return [block.strip() for block in _BLOCK_BREAK.split(markdown.strip()) if block.strip()]


# -- the walk: every text of the data, named and located ------------------------------------------
Where = tuple[Path, int]  # the English file and line
Translator = Callable[[str, str, Where], str]  # (context, English, where) -> the text to show
Edition = str | None  # the language whose edition the sources are marked for; None: unmarked


def english_texts(parsed: Parsed) -> list[Text]:
    """Every English text of the data once, in reading order, with every place it is used:
    what a catalogue must hold."""
    found: dict[tuple[str, str], Text] = {}
    root = Path(parsed.document.path).parent.parent  # so that paths read "data/context.md"

    def record(context: str, text: str, where: Where) -> str:
        path, line = where
        location = (_relative(path, root), line)
        known = found.get((context, text))
        locations = (*known.locations, location) if known else (location,)
        comments = (SHARED_CONTEXTS[context],) if context in SHARED_CONTEXTS else ()
        found[(context, text)] = Text(context, text, locations, comments)
        return text

    _walk(parsed, record)
    return list(found.values())


def in_language(parsed: Parsed, language: str, catalogue: Catalogue | None = None) -> Parsed:
    """The parsed data as the edition in `language` shows it: each text translated where the
    catalogue has a translation in use, else `English` (in the English edition, as it is); the
    sources' titles and publishers marked where their language is not the edition's."""
    def translated(context: str, text: str, where: Where) -> str:
        if language == SOURCE_LANGUAGE:
            return text
        found = catalogue.lookup(context, text) if catalogue else None
        return found or English(text)

    return _walk(parsed, translated, sources=language)


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _walk(parsed: Parsed, tr: Translator, sources: Edition = None) -> Parsed:
    """The parsed data with every text passed through `tr` (and, with `sources` an edition's
    language, every source's title and publisher marked where it is in another)."""
    dataset = parsed.dataset
    narratives = dict(parsed.narratives)
    features = []
    chapter = parsed.context
    if chapter is not None:
        chapter = _chapter(chapter, _lines(dataset.context), tr, sources)
    for feature in parsed.features:
        features.append(_feature(feature, parsed, tr, sources))
        narrative = narratives.get(feature.id) if feature.layer == "route" else None
        if narrative is not None:
            narratives[feature.id] = _narrative(
                narrative, _lines(dataset.narratives.get(feature.id)), tr, sources)
    glossary = parsed.glossary
    if glossary is not None:
        glossary = _glossary(glossary, _lines(dataset.glossary), tr, sources)
    figures = tuple(_figure(figure, Path(dataset.statistics.path), tr, sources)
                    for figure in parsed.figures)
    guide = parsed.guide
    if guide is not None:
        guide = _guide(guide, _lines(dataset.teach), tr)
    pages = {field.name: _page(field.name.replace("_", "-"), page,
                               _lines(getattr(dataset, field.name, None)), tr)
             for field in dataclasses.fields(parsed)
             if isinstance(page := getattr(parsed, field.name), Page)}
    return dataclasses.replace(parsed, features=tuple(features), narratives=narratives,
                               figures=figures, context=chapter, glossary=glossary, guide=guide,
                               **pages)


class _Lines:
    """A Markdown file's lines, to find where each of its texts starts."""

    def __init__(self, source: TextFile | None):
        self.path = Path(source.path) if isinstance(source, TextFile) else Path()
        self.lines = source.text.splitlines() if isinstance(source, TextFile) else []

    def find(self, text: str, start: int = 1) -> Where:
        """The first line from `start` on that holds the beginning of `text`."""
        first = text.strip().splitlines()[0].strip() if text.strip() else ""
        for number in range(max(start, 1), len(self.lines) + 1):
            if first and first in self.lines[number - 1]:
                return self.path, number
        return self.path, max(start, 1)

    def key(self, key: str, start: int = 1) -> Where:
        """The line of a `key:` line (a header key or a stage's field) from `start` on."""
        pattern = re.compile(rf"\s*{re.escape(key)}\s*:", re.I)
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return self.path, number
        return self.path, max(start, 1)


def _lines(source) -> _Lines:
    return _Lines(source if isinstance(source, TextFile) else None)


def _markdown(context: str, text: str, where: Where, lines: _Lines, tr: Translator) -> str:
    """A Markdown text block by block; English, translated or Mixed as its blocks are."""
    if not text:
        return text
    parts, line = [], where[1]
    for block in blocks(text):
        where = lines.find(block, line)
        line = where[1]
        shown = tr(context, block, where)
        parts.append((shown, shown.lang if isinstance(shown, Foreign) else ""))
    if all(language == SOURCE_LANGUAGE for _, language in parts):
        return parts[0][0] if len(parts) == 1 else English("\n\n".join(t for t, _ in parts))
    if not any(language for _, language in parts):
        return "\n\n".join(text for text, _ in parts)
    return Mixed(tuple((str(text), language) for text, language in parts))


def _field(context: str, text: str | None, where: Where, tr: Translator) -> str | None:
    return tr(context, text, where) if isinstance(text, str) and text.strip() else text


def _own_language(text: str, edition: str) -> str:
    """A source's title or publisher as published (Korean if it is written in Hangul, else
    English), marked when that is not the edition's language."""
    kind = Korean if _HANGUL.search(text) else English
    return text if kind.lang == edition else kind(text)


def _source(source: Source, edition: str) -> Source:
    return dataclasses.replace(source, title=_own_language(source.title, edition),
                               publisher=_own_language(source.publisher, edition))


def _sources(items: tuple[Source, ...], sources: Edition) -> tuple[Source, ...]:
    return tuple(_source(source, sources) for source in items) if sources else items


def _feature(feature: Feature, parsed: Parsed, tr: Translator, sources: Edition) -> Feature:
    if feature.id is None or feature.layer is None:
        return feature
    document = parsed.document
    properties = dict(feature.properties)
    for name, text in feature.properties.items():  # in the file's order
        if name not in TEXT_PROPERTIES or not isinstance(text, str) or not text.strip():
            continue
        if name == "river" and text in RIVER_KEYWORDS:
            continue
        where = (Path(document.path), document.line((*feature.pointer, "properties", name)))
        context = name if name in SHARED_CONTEXTS else f"{feature.layer}:{feature.id}:{name}"
        properties[name] = tr(context, text, where)
    if sources and isinstance(properties.get("sources"), list):
        properties["sources"] = [
            {**item, **{key: _own_language(item[key], sources) for key in ("title", "publisher")
                        if isinstance(item.get(key), str)}} if isinstance(item, dict) else item
            for item in properties["sources"]]
    return dataclasses.replace(feature, properties=properties)


def _narrative(narrative: Narrative, lines: _Lines, tr: Translator, sources: Edition) -> Narrative:
    prefix = f"route:{narrative.route_id}"
    header = {key: _field(f"{prefix}:{key}", getattr(narrative, key), lines.key(key), tr)
              for key in ("content_note", "teacher_note")}
    questions = tuple(tr(f"{prefix}:question", question, lines.find(question))
                      for question in narrative.questions)
    intro = _markdown(f"{prefix}:intro", narrative.intro, lines.find(narrative.intro), lines,
                      tr)
    stages = tuple(_stage(f"{prefix}:stage-{number}", stage, lines, tr, sources)
                   for number, stage in enumerate(narrative.stages, start=1))
    return dataclasses.replace(narrative, **header, questions=questions, intro=intro,
                               stages=stages)


def _stage(prefix: str, stage: Stage, lines: _Lines, tr: Translator, sources: Edition) -> Stage:
    title = tr(f"{prefix}:title", stage.title, (lines.path, stage.line))
    place = stage.place
    if place is not None and place.kind == "point":
        place = dataclasses.replace(place, ref=tr("place", place.ref,
                                                  lines.key("place", stage.line)))
    fields = {key: _field(f"{prefix}:{key}", getattr(stage, key), lines.key(key, stage.line), tr)
              for key in ("duration", "dangers", "cost")}
    return dataclasses.replace(
        stage, title=title, place=place, **fields,
        body=_markdown(f"{prefix}:body", stage.body, (lines.path, stage.line), lines, tr),
        sources=_sources(stage.sources, sources))


def _chapter(chapter: Chapter, lines: _Lines, tr: Translator, sources: Edition) -> Chapter:
    header = {key: _field(f"context:{key}", getattr(chapter, key), lines.key(key), tr)
              for key in ("title", "content_note")}
    questions = tuple(tr("context:question", question, lines.find(question))
                      for question in chapter.questions)
    sections = tuple(
        dataclasses.replace(
            section, title=tr(f"context:section-{number}:title", section.title,
                              (lines.path, section.line)),
            body=_markdown(f"context:section-{number}:body", section.body,
                           (lines.path, section.line), lines, tr),
            sources=_sources(section.sources, sources))
        for number, section in enumerate(chapter.sections, start=1))
    return dataclasses.replace(
        chapter, **header, questions=questions, sections=sections,
        intro=_markdown("context:intro", chapter.intro, lines.find(chapter.intro), lines, tr))


def _glossary(glossary: Glossary, lines: _Lines, tr: Translator, sources: Edition) -> Glossary:
    terms = tuple(
        dataclasses.replace(
            term, term=tr(f"glossary:{term.id}:term", term.term, lines.key("term", term.line)),
            body=_markdown(f"glossary:{term.id}:body", term.body, (lines.path, term.line),
                           lines, tr),
            sources=_sources(term.sources, sources))
        for term in glossary.terms)
    return dataclasses.replace(
        glossary, title=_field("glossary:title", glossary.title, lines.key("title"), tr),
        intro=_markdown("glossary:intro", glossary.intro, lines.find(glossary.intro), lines, tr),
        terms=terms)


def _page(name: str, page: Page, lines: _Lines, tr: Translator) -> Page:
    """A page of plain Markdown (further reading, the teachers' guide…), named by its field."""
    return dataclasses.replace(
        page, title=_field(f"{name}:title", page.title, lines.key("title"), tr),
        body=_markdown(f"{name}:body", page.body, lines.find(page.body), lines, tr))


def _guide(guide: Guide, lines: _Lines, tr: Translator) -> Guide:
    """The teachers' guide: its title, introduction, what each aim is, and its sections."""
    title = _field("guide:title", guide.title, lines.key("title"), tr)
    intro = _markdown("guide:intro", guide.intro, lines.find(guide.intro), lines, tr)
    aims = tuple((aim, tr(f"guide:aim:{aim}", text, lines.find(text))) for aim, text in guide.aims)
    sections = tuple(
        dataclasses.replace(section, title=tr(f"guide:section-{number}:title", section.title,
                                              lines.find(f"## {section.title}")),
                            body=_markdown(f"guide:section-{number}:body", section.body,
                                           lines.find(f"## {section.title}"), lines, tr))
        for number, section in enumerate(guide.sections, start=1))
    return dataclasses.replace(guide, title=title, intro=intro, aims=aims, sections=sections)


def _figure(figure: Figure, path: Path, tr: Translator, sources: Edition) -> Figure:
    note = _field(f"statistics:{figure.series}:{figure.years}:note", figure.note,
                  (path, figure.line), tr)
    source = _source(figure.source, sources) if sources else figure.source
    return dataclasses.replace(figure, note=note, source=source)
