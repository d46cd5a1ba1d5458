"""The data's Markdown documents: route narratives, the context chapter, the glossary, and the
further-reading page (plain Markdown with a title, `parse_page`).

The first three have the same shape (docs/data-format.md): a small YAML header between `---`
lines, an introduction, then `##` sections, each ending with its sources. A narrative's sections
are stages (with place, duration and dangers lines), the context chapter's are themes, the
glossary's are entries (headed by the term's id, with a `term:` line). `parse_narrative`,
`parse_context` and `parse_glossary` read them with one parser and record every fault with its
line, for the validator and the model; they also collect the `glossary:` links of the prose,
which the validator resolves. The prose stays Markdown text here: mapapp.markup renders it,
sanitised, for the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from mapapp import contract
from mapapp.contract import Issue, Source

STAGE_KEYS = ("place", "duration", "dangers", "cost", "confidence")
REQUIRED_STAGE_KEYS = ("place", "duration", "dangers")
# The header keys of each document, in canonical order; `teacher_note` is shown to teachers only.
HEADER_KEYS = ("content_note", "questions", "teacher_note")
CONTEXT_HEADER_KEYS = ("title", "content_note", "questions")
GLOSSARY_HEADER_KEYS = ("title",)
PAGE_HEADER_KEYS = ("title",)
_TEXT_KEYS = ("title", "content_note", "teacher_note")
FORMAT_DOC = "see docs/data-format.md, section narratives"

_KEY_LINE = re.compile(r"^([A-Za-z_]+):\s*(.*)$")
_OTHER_HEADING = re.compile(r"^(#|#{3,6})\s+(\S.*)$")  # any heading level but `##`
_NO_SPACE_HEADING = re.compile(r"^(#{1,6})([^#\s].*)$")  # `#Title`: Markdown reads it as prose
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")  # under a line of text: a heading
# `[MDL](glossary:mdl)`: a link to a glossary entry, by its id (resolved by the validator).
GLOSSARY_LINK = re.compile(r"\]\(\s*<?glossary:([^)\s>]*)")
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)")
# `- [Title](https://original), Publisher, Year`, and `, via https://copy` where it was read in one.
_SOURCE_LINE = re.compile(
    r"^[-*]\s+\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\),\s*(?P<publisher>.+?),\s*(?P<year>\d{4})"
    r"(?:,\s*via\s+(?P<via>\S+))?\s*$")
_PLACE_POINT = re.compile(
    r"^(?P<name>[^@]+?)\s*@\s*(?P<lat>-?\d+(?:\.\d+)?)\s*,\s*(?P<lon>-?\d+(?:\.\d+)?)$")
_PLACE_REF = re.compile(r"^(?P<kind>crossing|country)\s+(?P<ref>\S+)$")
# The header as it is usually written: known keys, one-line texts, two-space "- " list items.
_HEADER_KEY = re.compile(r"([a-z_]+):(.*)")
_HEADER_ITEM = re.compile(r"  - (.*)")
# A one-line plain YAML scalar that reads as itself: no indicator first, no ": " or " #" inside,
# nothing YAML would take as a line break, a tab or a byte order mark.
_PLAIN_TEXT = re.compile(r"[^\W_](?:(?!: | #)[^\t\n\r\x85\u2028\u2029\ufeff])*(?<!:)")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Place:
    """Where the map flies for a stage: a crossing, a country, or a named town."""

    kind: str  # "crossing", "country" or "point"
    ref: str  # crossing id, ISO3 code, or town name
    lat: float | None = None
    lon: float | None = None
    decimals: int = 0  # the most decimals written in the coordinates


@dataclass(frozen=True)
class Stage:
    title: str
    place: Place | None
    duration: str
    dangers: str
    cost: str | None
    confidence: str | None
    body: str  # Markdown
    sources: tuple[Source, ...]
    line: int  # the `##` heading's
    field_lines: tuple[tuple[str, int], ...] = ()  # (key, line) of each `key: value` line

    def line_of(self, key: str) -> int:
        """The line of the stage's `key:` line, for a problem with its value; else the
        heading's."""
        return dict(self.field_lines).get(key, self.line)


@dataclass(frozen=True)
class GlossaryLink:
    """A `[term](glossary:id)` link in the prose, where it is written."""

    line: int
    id: str


@dataclass(frozen=True)
class Narrative:
    route_id: str
    path: Path
    content_note: str | None
    questions: tuple[str, ...]
    intro: str  # Markdown
    stages: tuple[Stage, ...]
    teacher_note: str | None = None  # for teachers only, never shown in the story
    glossary_links: tuple[GlossaryLink, ...] = ()
    # False when the header is there but cannot be read: its questions are unknown, not none,
    # and whatever depends on them (the guide's aims, their translations) waits for the fix.
    header_read: bool = True


@dataclass(frozen=True)
class Section:
    """A theme of the context chapter."""

    title: str
    body: str  # Markdown
    sources: tuple[Source, ...]
    line: int


@dataclass(frozen=True)
class Chapter:
    """The context chapter: why people leave, and why most cannot (data/context.md)."""

    path: Path
    title: str
    content_note: str | None
    questions: tuple[str, ...]
    intro: str  # Markdown
    sections: tuple[Section, ...]
    glossary_links: tuple[GlossaryLink, ...] = ()


@dataclass(frozen=True)
class Term:
    """A glossary entry: its id (the `##` heading, used in links), the term as readers see it,
    and its explanation."""

    id: str
    term: str
    body: str  # Markdown
    sources: tuple[Source, ...]
    line: int


@dataclass(frozen=True)
class Glossary:
    path: Path
    title: str
    intro: str  # Markdown
    terms: tuple[Term, ...]
    glossary_links: tuple[GlossaryLink, ...] = ()

    def term(self, term_id: str) -> Term | None:
        return next((term for term in self.terms if term.id == term_id), None)


@dataclass(frozen=True)
class Page:
    """A page of plain Markdown with a title in its header: further reading and help."""

    path: Path
    title: str
    body: str  # Markdown


@dataclass(frozen=True)
class _Sections:
    """How one kind of document writes its `##` sections."""

    noun: str  # what messages call a section
    keys: tuple[str, ...]  # the `key: value` lines right below the heading
    required: tuple[str, ...]
    empty_hint: str  # what to write when a section tells nothing
    missing_hint: str  # how to add the first section
    doc: str  # where docs/data-format.md describes the document


_STAGES = _Sections("stage", STAGE_KEYS, REQUIRED_STAGE_KEYS,
                    "write what happens at this stage, its dangers and its length",
                    "add one `## Stage title` section per stage, in travel order", FORMAT_DOC)
_THEMES = _Sections("section", (), (), "write what this section explains",
                    "add one `## Title` section per theme",
                    "see docs/data-format.md, section data/context.md")
_ENTRIES = _Sections("entry", ("term",), ("term",), "explain the term in a sentence or two",
                     "add one `## id` section per term, with a `term:` line",
                     "see docs/data-format.md, section data/glossary.md")


@dataclass
class _Parts:
    """A document split up: its header, introduction, sections and prose's glossary links."""

    header: dict
    intro: str
    # line, title, key lines, prose, sources, and the line of each key line
    sections: list[tuple[int, str, dict[str, str], str, tuple[Source, ...], dict[str, int]]]
    links: list[GlossaryLink]
    header_read: bool


def parse_narrative(text: str, route_id: str, path: Path) -> tuple[Narrative, list[Issue]]:
    """Split a narrative into its header, introduction and stages; collect every fault."""
    issues: list[Issue] = []
    parts = _split(text, issues, HEADER_KEYS, (), _STAGES, "the narrative has no stages")
    stages = tuple(_stage(line, title, fields, body, sources, field_lines, issues)
                   for line, title, fields, body, sources, field_lines in parts.sections)
    narrative = Narrative(
        route_id=route_id, path=path,
        content_note=parts.header.get("content_note"),
        questions=tuple(parts.header.get("questions") or ()),
        intro=parts.intro, stages=stages,
        teacher_note=parts.header.get("teacher_note"),
        glossary_links=tuple(parts.links), header_read=parts.header_read,
    )
    return narrative, issues


def parse_context(text: str, path: Path) -> tuple[Chapter, list[Issue]]:
    """Read the context chapter: a narrative whose sections are themes, not stages."""
    issues: list[Issue] = []
    parts = _split(text, issues, CONTEXT_HEADER_KEYS, ("title",), _THEMES,
                   "the context chapter has no sections")
    chapter = Chapter(
        path=path, title=parts.header.get("title", ""),
        content_note=parts.header.get("content_note"),
        questions=tuple(parts.header.get("questions") or ()), intro=parts.intro,
        sections=tuple(Section(title, body, sources, line)
                       for line, title, _, body, sources, _ in parts.sections),
        glossary_links=tuple(parts.links),
    )
    return chapter, issues


def parse_glossary(text: str, path: Path) -> tuple[Glossary, list[Issue]]:
    """Read the glossary: one entry per `## id` section, each with a `term:` line."""
    issues: list[Issue] = []
    parts = _split(text, issues, GLOSSARY_HEADER_KEYS, ("title",), _ENTRIES,
                   "the glossary has no entries")
    terms: dict[str, Term] = {}
    for line, heading, fields, body, sources, _ in parts.sections:
        if not contract.ID_PATTERN.match(heading):
            issues.append(Issue(line, f'the entry heading "{heading}" is not an id',
                                "write the term's id as the heading (lowercase letters, digits "
                                "and hyphens, as in `## forced-return`) and the term itself in "
                                "the `term:` line"))
        elif heading in terms:
            issues.append(Issue(line, f'the entry "{heading}" is already on line '
                                      f"{terms[heading].line}",
                                "merge the two entries, or give this one another id"))
        else:
            terms[heading] = Term(heading, fields.get("term", ""), body, sources, line)
    glossary = Glossary(path=path, title=parts.header.get("title", ""), intro=parts.intro,
                        terms=tuple(terms.values()), glossary_links=tuple(parts.links))
    return glossary, issues


def parse_page(text: str, path: Path) -> tuple[Page, list[Issue]]:
    """Read a page of plain Markdown with a title (further reading): every link it gives is the
    original publication, never a copy on a mirror host."""
    issues: list[Issue] = []
    lines = _lines(text)
    header, body_start, _ = _head(lines, issues, PAGE_HEADER_KEYS, ("title",))
    for offset, line in enumerate(lines[body_start:]):
        for url in _MARKDOWN_LINK.findall(line):
            if mirror := contract.mirror_host(url):
                issues.append(Issue(body_start + offset + 1, f"the link {url!r} is a copy on "
                                    f"{mirror} ({contract.MIRROR_HOSTS[mirror]}), not the "
                                    "original publication",
                                    "link the original publication instead (see "
                                    "docs/data-format.md, sources)"))
    body = "\n".join(lines[body_start:]).strip()
    return Page(path, header.get("title", ""), body), issues


def _split(text: str, issues: list[Issue], header_keys: tuple[str, ...],
           required: tuple[str, ...], kind: _Sections, no_sections: str) -> _Parts:
    """The header, introduction and `##` sections of a document, read the same way for every
    kind; a section is (line, title, its key lines, prose, sources)."""
    lines = _lines(text)
    header, body_start, header_read = _head(lines, issues, header_keys, required)
    headings = _headings(lines, body_start, kind, issues)
    intro_end = headings[0] if headings else len(lines)
    _stray_keys(lines, body_start, intro_end, kind, issues)
    links = _links(body_start + 1, lines[body_start:intro_end])
    sections = []
    for i, end in zip(headings, [*headings[1:], len(lines)], strict=False):
        line, title, fields, body, sources, prose, field_lines = _section(
            i + 1, lines[i:end], kind, issues)
        sections.append((line, title, fields, body, sources, field_lines))
        links += _links(line + prose, lines[i + prose:end])
    if not sections:
        issues.append(Issue(min(body_start + 1, len(lines)), no_sections,
                            f"{kind.missing_hint} ({kind.doc})"))
    intro = "\n".join(line for line in lines[body_start:intro_end] if not line.startswith("# "))
    return _Parts(header, intro.strip(), sections, links, header_read)


def _headings(lines: list[str], body_start: int, kind: _Sections,
              issues: list[Issue]) -> list[int]:
    """Where the sections start. A heading written otherwise than `## Title` (`#`, `###`,
    `#Title` without its space, a line of text over `===` or `---`) after the first section, or
    one followed by a section's key lines, is a section heading written wrongly: one fault at
    its line, and read as a section (an underline as a blank line), so that its lines are not
    blamed on the previous one. A `#` title in the introduction stays a title."""
    headings: list[int] = []
    for index in range(body_start, len(lines)):
        line = lines[index]
        if line.startswith("## "):
            headings.append(index)
            continue
        wrong = _wrong_heading(lines, index, body_start)
        if wrong and (headings or _opens_section(lines, index + wrong[2], kind)):
            what, title, underline = wrong
            issues.append(Issue(index + 1, f'"{line.strip()}" {what}; {kind.noun} headings '
                                f'are "## "', f"write `## {title}` ({kind.doc})"))
            headings.append(index)
            if underline:
                lines[index + 1] = ""
    return headings


def _wrong_heading(lines: list[str], index: int, body_start: int
                   ) -> tuple[str, str, int] | None:
    """What is wrong with a heading not written `## Title`, its title and how many underline
    lines it has; None when the line is no heading."""
    line = lines[index]
    if match := _OTHER_HEADING.match(line):
        return f"is a level-{len(match[1])} heading", match[2].strip(), 0
    if match := _NO_SPACE_HEADING.match(line):
        return f'has no space after "{match[1]}"', match[2].strip(), 0
    below = lines[index + 1] if index + 1 < len(lines) else ""
    if (line.strip() and index > body_start and not lines[index - 1].strip()
            and _SETEXT_UNDERLINE.match(below) and not _KEY_LINE.match(line.strip())
            and not line.lstrip().startswith(("-", "*", "+", ">", "|"))):
        return f'is underlined with "{below.strip()}"', line.strip(), 1
    return None


def _opens_section(lines: list[str], index: int, kind: _Sections) -> bool:
    following = next((line.strip() for line in lines[index + 1:] if line.strip()), "")
    match = _KEY_LINE.match(following)
    return bool(match and match[1].lower() in kind.keys)


def _stray_keys(lines: list[str], start: int, end: int, kind: _Sections,
                issues: list[Issue]) -> None:
    """A section's `key: value` line in the introduction belongs to no section: the map and the
    page would show it as prose."""
    for index in range(start, end):
        match = _KEY_LINE.match(lines[index].strip())
        if match and match[1].lower() in kind.keys:
            issues.append(Issue(index + 1, f'a "{match[1].lower()}:" line in the introduction, '
                                f"before the first {kind.noun}",
                                f"put it right below the `## ` heading of its {kind.noun}, or "
                                f"write it as a sentence ({kind.doc})"))


def _lines(text: str) -> list[str]:
    # Line breaks as editors count them (\r\n, \r, \n); str.splitlines() also breaks at form
    # feeds, U+2028...
    return text.removesuffix("\n").removesuffix("\r").replace("\r\n", "\n").replace(
        "\r", "\n").split("\n")


def _head(lines: list[str], issues: list[Issue], keys: tuple[str, ...],
          required: tuple[str, ...]) -> tuple[dict, int, bool]:
    """The header (see _header), each of the `required` keys in it or a fault, and whether it
    could be read."""
    known = len(issues)
    header, body_start = _header(lines, issues, keys)
    read = header is not None
    header = header or {}
    for key in required if len(issues) == known or header else ():  # else: the header's fault
        if not header.get(key):
            issues.append(Issue(1, f'the header has no "{key}:" line',
                                f"add `{key}: …` between the `---` lines at the top" if body_start
                                else f"start the file with a header: a `---` line, `{key}: …` "
                                     "and another `---` line"))
    return header, body_start, read


def _links(first_line: int, lines: list[str]) -> list[GlossaryLink]:
    return [GlossaryLink(first_line + offset, match[1]) for offset, line in enumerate(lines)
            for match in GLOSSARY_LINK.finditer(line)]


def _header(lines: list[str], issues: list[Issue],
            keys: tuple[str, ...] = HEADER_KEYS) -> tuple[dict | None, int]:
    """The YAML header between `---` lines, its texts and lists checked, and where the body
    starts; {} when there is none, None when it cannot be read (the fault is recorded)."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    try:
        end = next(index for index in range(1, len(lines)) if lines[index].strip() == "---")
    except StopIteration:
        issues.append(Issue(1, "the header starting with --- is never closed",
                            "end the header with a line holding only ---"))
        return None, 0
    try:
        header = _simple_header(lines[1:end], keys)
        if header is None:
            header = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or "not valid YAML"
        if "\t" in lines[min(line - 1, len(lines) - 1)]:
            issues.append(Issue(line, "the header has a tab, which YAML does not allow",
                                "use spaces instead: one after the colon, two before each "
                                "`- ` item"))
        else:
            issues.append(Issue(line, f"the header is not valid YAML: {reason}",
                                "write `key: value` lines; quote texts that contain a colon"))
        return None, end + 1
    if not isinstance(header, dict):
        issues.append(Issue(2, "the header must hold `key: value` lines",
                            f"use {' and '.join(keys)} ({FORMAT_DOC})"))
        return None, end + 1
    def line_of(key) -> int:
        prefix = f"{key}:"
        return next((index + 1 for index in range(1, end) if lines[index].startswith(prefix)), 2)

    for key in header:
        if key not in keys:
            issues.append(Issue(line_of(key), f'the header has an unknown key "{key}"',
                                f"the known keys are {', '.join(keys)}"))
    for key in _TEXT_KEYS:
        note = header.get(key)
        if note is not None and not (isinstance(note, str) and note.strip()):
            issues.append(Issue(line_of(key), f"{key} must be a text",
                                f"write {key}: This route …"))
            header.pop(key)
    questions = header.get("questions")
    if questions is not None and not (
        isinstance(questions, list) and all(isinstance(q, str) and q.strip() for q in questions)
    ):
        issues.append(Issue(line_of("questions"), "questions must be a list of texts",
                            "write one `  - Question?` line per question under `questions:`"))
        header.pop("questions")
    return header, end + 1


def _simple_header(lines: list[str], keys: tuple[str, ...]) -> dict | None:
    """What yaml.safe_load makes of a header in the usual form, or None for any other form.

    Reading that form directly saves yaml's pure-Python parser (about 0.6 ms a header); the
    C parser is faster but accepts some texts that yaml's own rejects."""
    if yaml.reader.Reader.NON_PRINTABLE.search("".join(lines)):
        return None
    header: dict = {}
    listing = None  # the key without a value that list items belong to
    for line in lines:
        if not line:
            continue
        if listing and (item := _HEADER_ITEM.fullmatch(line)):
            text = _text(item[1])
            if text is None:
                return None
            if header[listing] is None:
                header[listing] = []
            header[listing].append(text)
            continue
        match = _HEADER_KEY.fullmatch(line)
        if not match or match[1] not in keys or match[1] in header:
            return None
        key, rest = match[1], match[2]
        if not rest.strip(" "):
            header[key], listing = None, key
        elif rest[0] == " " and (text := _text(rest)) is not None:
            header[key], listing = text, None
        else:
            return None
    return header


def _text(value: str) -> str | None:
    value = value.strip(" ")
    if not _PLAIN_TEXT.fullmatch(value):
        return None
    return value if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG else None


def _section(start: int, section: list[str], kind: _Sections, issues: list[Issue]):
    """A `##` section: (its line, title, key lines, prose, sources, where the prose starts)."""
    title = section[0].lstrip("#").strip()
    label = f'{kind.noun} "{title}"'
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    index = 1
    while index < len(section) and not section[index].strip():
        index += 1
    while kind.keys and index < len(section) and (
            match := _KEY_LINE.match(section[index].strip())):
        key, value = match[1].lower(), match[2].strip()
        if key == "sources":
            break
        if key not in kind.keys:
            issues.append(Issue(start + index, f'{label} has an unknown key "{key}"',
                                f"the known keys are {', '.join(kind.keys)}"))
        elif GLOSSARY_LINK.search(value):
            issues.append(Issue(start + index, f'{label}: the "{key}:" line has a glossary link, '
                                "which is shown as plain text there",
                                "link the term in the prose below instead"))
        fields[key], field_lines[key] = value, start + index
        index += 1
    for key in kind.required:
        if not fields.get(key):
            issues.append(Issue(start, f'{label} has no "{key}:" line',
                                f"add `{key}: …` right below the heading ({kind.doc})"))
    confidence = fields.get("confidence")
    if confidence is not None and confidence not in contract.CONFIDENCE:
        issues.append(Issue(field_lines["confidence"], f'{label} has confidence "{confidence}"',
                            f"write one of {', '.join(contract.CONFIDENCE)}"))
    body, sources = _body_and_sources(label, kind, start, section, index, issues)
    return start, title, fields, body, sources, index, field_lines


def _stage(start: int, title: str, fields: dict[str, str], body: str,
           sources: tuple[Source, ...], field_lines: dict[str, int], issues: list[Issue]
           ) -> Stage:
    place = (_place(fields["place"], title, field_lines["place"], issues)
             if fields.get("place") else None)
    return Stage(title=title, place=place, duration=fields.get("duration", ""),
                 dangers=fields.get("dangers", ""), cost=fields.get("cost"),
                 confidence=fields.get("confidence"), body=body, sources=sources, line=start,
                 field_lines=tuple(field_lines.items()))


def _body_and_sources(label: str, kind: _Sections, start: int, section: list[str], index: int,
                      issues: list[Issue]) -> tuple[str, tuple[Source, ...]]:
    """The lines up to the first `sources:` line are the body; the ones after, sources."""
    marks = [offset for offset in range(index, len(section))
             if section[offset].strip().lower() == "sources:"]
    body = section[index:marks[0] if marks else len(section)]
    sources: list[Source] = []
    for offset in range(marks[0] + 1, len(section)) if marks else ():
        line = section[offset].strip()
        if not line or line.lower() == "sources:":
            continue
        match = _SOURCE_LINE.match(line)
        if not match:
            issues.append(Issue(start + offset, f"{label}: a source line is not written "
                                "as `- [Title](https://address), Publisher, Year`",
                                "write each source on one line in that form"))
            continue
        fields = {"title": match["title"].strip(), "publisher": match["publisher"].strip(),
                  "year": int(match["year"]), "url": match["url"], "via": match["via"]}
        contract.check_source(fields, lambda message, hint, line=start + offset: issues.append(
            Issue(line, f"{label}: {message}", hint)))
        sources.append(Source(**fields))
    if not sources:
        issues.append(Issue(start, f"{label} cites no source",
                            f"end the {kind.noun} with `sources:` and at least one "
                            "`- [Title](https://address), Publisher, Year` line"))
    if not "".join(body).strip():
        issues.append(Issue(start, f"{label} tells nothing", kind.empty_hint))
    return "\n".join(body).strip(), tuple(sources)


def _place(text: str, title: str, start: int, issues: list[Issue]) -> Place | None:
    if match := _PLACE_REF.match(text):
        return Place(match["kind"], match["ref"])
    if match := _PLACE_POINT.match(text):
        decimals = max(len(part.partition(".")[2]) for part in (match["lat"], match["lon"]))
        return Place("point", match["name"].strip(), float(match["lat"]), float(match["lon"]),
                     decimals)
    issues.append(Issue(start, f'stage "{title}" has a place the map cannot find: "{text}"',
                        "write `place: crossing <id>`, `place: country <ISO3>` or "
                        "`place: Town @ <lat>, <lon>`"))
    return None
