"""Route narratives: Markdown files with a small header and one `##` section per stage.

`parse_narrative` turns the text into stages and records every fault with its line, for the
validator and the model. The prose stays Markdown text here: mapapp.markup renders it, sanitised,
for the pages.
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
HEADER_KEYS = ("content_note", "questions")
FORMAT_DOC = "see docs/data-format.md, section narratives"

_KEY_LINE = re.compile(r"^([A-Za-z_]+):\s*(.*)$")
# `- [Title](https://original), Publisher, Year`, and `, via https://copy` where it was read in one.
_SOURCE_LINE = re.compile(
    r"^[-*]\s+\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\),\s*(?P<publisher>.+?),\s*(?P<year>\d{4})"
    r"(?:,\s*via\s+(?P<via>\S+))?\s*$")
_PLACE_POINT = re.compile(
    r"^(?P<name>[^@]+?)\s*@\s*(?P<lat>-?\d+(?:\.\d+)?)\s*,\s*(?P<lon>-?\d+(?:\.\d+)?)$")
_PLACE_REF = re.compile(r"^(?P<kind>crossing|country)\s+(?P<ref>\S+)$")
# The header as it is usually written: known keys, one-line texts, two-space "- " list items.
_HEADER_KEY = re.compile(r"(content_note|questions):(.*)")
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
    line: int


@dataclass(frozen=True)
class Narrative:
    route_id: str
    path: Path
    content_note: str | None
    questions: tuple[str, ...]
    intro: str  # Markdown
    stages: tuple[Stage, ...]


def parse_narrative(text: str, route_id: str, path: Path) -> tuple[Narrative, list[Issue]]:
    """Split a narrative into its header, introduction and stages; collect every fault."""
    issues: list[Issue] = []
    # Line breaks as editors count them (\r\n, \r, \n); str.splitlines() also breaks at form
    # feeds, U+2028...
    lines = text.removesuffix("\n").removesuffix("\r").replace("\r\n", "\n").replace(
        "\r", "\n").split("\n")
    header, body_start = _header(lines, issues)
    headings = [i for i in range(body_start, len(lines)) if lines[i].startswith("## ")]
    intro = lines[body_start:headings[0] if headings else len(lines)]
    stages = tuple(_stage(i + 1, lines[i:end], issues)
                   for i, end in zip(headings, [*headings[1:], len(lines)], strict=False))
    if not stages:
        issues.append(Issue(min(body_start + 1, len(lines)), "the narrative has no stages",
                            f"add one `## Stage title` section per stage, in travel order "
                            f"({FORMAT_DOC})"))
    narrative = Narrative(
        route_id=route_id, path=path,
        content_note=header.get("content_note"),
        questions=tuple(header.get("questions") or ()),
        intro="\n".join(line for line in intro if not line.startswith("# ")).strip(),
        stages=stages,
    )
    return narrative, issues


def _header(lines: list[str], issues: list[Issue]) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    try:
        end = next(index for index in range(1, len(lines)) if lines[index].strip() == "---")
    except StopIteration:
        issues.append(Issue(1, "the header starting with --- is never closed",
                            "end the header with a line holding only ---"))
        return {}, 0
    try:
        header = _simple_header(lines[1:end])
        if header is None:
            header = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or "not valid YAML"
        issues.append(Issue(line, f"the header is not valid YAML: {reason}",
                            "write `key: value` lines; quote texts that contain a colon"))
        return {}, end + 1
    if not isinstance(header, dict):
        issues.append(Issue(2, "the header must hold `key: value` lines",
                            f"use content_note and questions ({FORMAT_DOC})"))
        return {}, end + 1
    for key in header:
        if key not in HEADER_KEYS:
            issues.append(Issue(2, f'the header has an unknown key "{key}"',
                                f"the known keys are {', '.join(HEADER_KEYS)}"))
    note = header.get("content_note")
    if note is not None and not (isinstance(note, str) and note.strip()):
        issues.append(Issue(2, "content_note must be a text", "write content_note: This route …"))
        header.pop("content_note")
    questions = header.get("questions")
    if questions is not None and not (
        isinstance(questions, list) and all(isinstance(q, str) and q.strip() for q in questions)
    ):
        issues.append(Issue(2, "questions must be a list of texts",
                            "write one `  - Question?` line per question under `questions:`"))
        header.pop("questions")
    return header, end + 1


def _simple_header(lines: list[str]) -> dict | None:
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
        if not match or match[1] in header:
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


def _stage(start: int, section: list[str], issues: list[Issue]) -> Stage:
    title = section[0][3:].strip()
    fields: dict[str, str] = {}
    index = 1
    while index < len(section) and not section[index].strip():
        index += 1
    while index < len(section) and (match := _KEY_LINE.match(section[index].strip())):
        key, value = match[1].lower(), match[2].strip()
        if key == "sources":
            break
        if key not in STAGE_KEYS:
            issues.append(Issue(start + index, f'stage "{title}" has an unknown key "{key}"',
                                f"the known keys are {', '.join(STAGE_KEYS)}"))
        fields[key] = value
        index += 1
    for key in REQUIRED_STAGE_KEYS:
        if not fields.get(key):
            issues.append(Issue(start, f'stage "{title}" has no "{key}:" line',
                                f"add `{key}: …` right below the heading ({FORMAT_DOC})"))
    confidence = fields.get("confidence")
    if confidence is not None and confidence not in contract.CONFIDENCE:
        issues.append(Issue(start, f'stage "{title}" has confidence "{confidence}"',
                            f"write one of {', '.join(contract.CONFIDENCE)}"))
    body, sources = _body_and_sources(title, start, section, index, issues)
    place = _place(fields.get("place"), title, start, issues) if fields.get("place") else None
    return Stage(title=title, place=place, duration=fields.get("duration", ""),
                 dangers=fields.get("dangers", ""), cost=fields.get("cost"),
                 confidence=confidence, body=body, sources=sources, line=start)


def _body_and_sources(title, start, section, index, issues) -> tuple[str, tuple[Source, ...]]:
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
            issues.append(Issue(start + offset, f'stage "{title}": a source line is not written '
                                "as `- [Title](https://address), Publisher, Year`",
                                "write each source on one line in that form"))
            continue
        fields = {"title": match["title"].strip(), "publisher": match["publisher"].strip(),
                  "year": int(match["year"]), "url": match["url"], "via": match["via"]}
        contract.check_source(fields, lambda message, hint, line=start + offset: issues.append(
            Issue(line, f'stage "{title}": {message}', hint)))
        sources.append(Source(**fields))
    if not sources:
        issues.append(Issue(start, f'stage "{title}" cites no source',
                            "end the stage with `sources:` and at least one "
                            "`- [Title](https://address), Publisher, Year` line"))
    if not "".join(body).strip():
        issues.append(Issue(start, f'stage "{title}" tells nothing',
                            "write what happens at this stage, its dangers and its length"))
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
