"""The `translation` check: each content catalogue (data/translations/<language>.po) against the
English it translates.

Errors (a translation in use is wrong, exit 1), at the entry's line: a translation that drops or
changes a figure of its English (a number or a year; "10,000" may be written "1만", "3.5
million" "350만"), loses or adds a link, changes the Markdown structure (list items, headings,
quotes, paragraphs, emphasis and code marks) or leaves out a placeholder; a property translated
longer than the contract allows. Warnings (work still to do, exit 0 unless `--strict`): an
English text not yet translated, or whose translation is outdated (fuzzy, or made for English
that has changed since), each at the English file and line; an entry for English the data no
longer has, at the entry. Editing the English therefore never stops the site: it leaves
warnings until a translator catches up.

A dataset without a catalogue is not being translated into that language: nothing to report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel import Locale

from mapapp.catalogue import Catalogue, Entry, Text
from mapapp.contract import PROPERTY_SCHEMAS
from mapapp.loading import DataError
from mapapp.translation import english_texts
from mapapp.validation.core import Inspection

DOC = "docs/translating.md"
_URL = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"https?://\S+")
_ENGLISH_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(million|billion|thousand)\b)?", re.I)
_KOREAN_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(천만|백만|억|만|천)?")
_SCALES = {"thousand": 3, "million": 6, "billion": 9, "천": 3, "만": 4, "백만": 6, "천만": 7,
           "억": 8}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s", re.M)
_QUOTE = re.compile(r"^\s{0,3}>", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n(?=[ \t]*\S)")  # a blank line before more text
_LIST_MARK = re.compile(r"^\s{0,3}[-*+]\s", re.M)


def check(inspection: Inspection) -> None:
    dataset = inspection.dataset
    for language, source in dataset.translations.items():
        if isinstance(source, DataError):
            inspection.report("translation", source.message, "save it as UTF-8 PO text",
                              path=source.path, line=source.line or 1)
        elif language in inspection.parsed.catalogues:
            _check_catalogue(inspection, inspection.parsed.catalogues[language])


def _check_catalogue(inspection: Inspection, catalogue: Catalogue) -> None:
    root = Path(inspection.document.path).parent.parent  # where the texts' paths start
    code = catalogue.language
    texts = english_texts(inspection.parsed)
    known = {(text.context, text.source) for text in texts}
    entries = {(entry.context, entry.source): entry for entry in catalogue.entries}
    stale: dict[str, list[Entry]] = defaultdict(list)  # context -> entries of English now gone
    for entry in catalogue.entries:
        if (entry.context, entry.source) not in known:
            stale[entry.context].append(entry)
    here, name = str(catalogue.path), catalogue.path.name

    def warn(text: Text, message: str, hint: str) -> None:
        path, line = text.locations[0]
        inspection.report("translation", message, hint, path=str(root / path), line=line,
                          severity="warning")

    for text in texts:
        named = _named(text.context, text.source)
        entry = entries.get((text.context, text.source))
        if entry is not None and entry.translation.strip() and not entry.fuzzy:
            path, line = text.locations[0]
            for message, hint in _faults(text, entry.translation):
                inspection.report("translation", f"the {_english_name(code)} of {named} {message}",
                                  f"{hint}; the English is at {root / path}:{line}",
                                  path=here, line=entry.line)
            continue
        old = [e for e in stale.pop(text.context, ()) if e.translation.strip()]
        if entry is not None and entry.fuzzy:
            warn(text, f"{_outdated(code, named)} ({name}:{entry.line} is marked fuzzy)",
                 "compare the translation with the English in a PO editor, correct it and clear "
                 f"its fuzzy mark (see {DOC})")
        elif old:
            warn(text, f"{_outdated(code, named)} it was translated ({name}:{old[0].line})",
                 "run `mapapp translations update`: it marks the translation for review")
        elif entry is not None:
            warn(text, f"{named} is not yet translated into {_english_name(code)}",
                 f"translate it in {here} (see {DOC})")
        else:
            warn(text, f"{named} is not yet in the {_english_name(code)} catalogue",
                 f"run `mapapp translations update` to add it, then translate it (see {DOC})")
    # The texts of a narrative whose header cannot be read are missing, not gone: its fault is
    # reported, and its entries wait for the fix.
    unread = tuple(f"route:{route_id}:" for route_id, story in inspection.narratives.items()
                   if not story.header_read)
    for context, entries_left in stale.items():
        if unread and context.startswith(unread):
            continue
        for entry in entries_left:
            inspection.report(
                "translation", f"the entry {_named(context, entry.source)} translates English "
                "that the data no longer has", "run `mapapp translations update`: it keeps the "
                "translation as an obsolete entry at the end of the file", path=here,
                line=entry.line, severity="warning")


@cache
def _english_name(code: str) -> str:
    """The language's English name ("Korean"), looked up only when a message names it: Babel's
    locale data takes longer to load than a clean catalogue takes to check."""
    return Locale.parse(code).english_name


def _outdated(code: str, named: str) -> str:
    return f"the {_english_name(code)} of {named} is outdated: the English changed since"


def _named(context: str, source: str) -> str:
    """A text as messages name it: its context and the start of its English."""
    start = " ".join(source.split())
    return f'"{context}" (“{start if len(start) <= 40 else start[:39] + "…"}”)'


def _faults(text: Text, translation: str) -> list[tuple[str, str]]:
    """What a translation breaks of its English: (message, hint) pairs."""
    english = text.source
    faults = []
    missing = _figures(english, _ENGLISH_NUMBER) - _korean_figures(translation)
    for figure in sorted(missing):
        faults.append((f"drops or changes the figure {_shown(english, figure)}",
                       "keep every number and year of the English (10,000 may be written "
                       "1만, 3.5 million 350만)"))
    wanted, found = Counter(_links(english)), Counter(_links(translation))
    for link in sorted((wanted - found).elements()):
        faults.append((f"breaks the link to {link}",
                       "keep every link as [text](address) with the English address"))
    for link in sorted((found - wanted).elements()):
        faults.append((f"adds a link to {link}, which the English does not have",
                       "link only what the English links"))
    for what, pattern in (("list items", _LIST_ITEM), ("headings", _HEADING),
                          ("quoted lines", _QUOTE), ("paragraph breaks", _PARAGRAPH_BREAK)):
        before, after = (len(pattern.findall(text.strip())) for text in (english, translation))
        if before != after:
            faults.append((f"changes the Markdown structure: {before} {what} in the English, "
                           f"{after} in the translation",
                           "keep the Markdown marks of the English at the start of each line"))
    for mark, count in (("**", str.count), ("*", _emphasis_stars), ("`", str.count)):
        if count(english, mark) % 2 == 0 and count(translation, mark) % 2:
            faults.append((f"leaves a {mark} mark unclosed", f"close every {mark} it opens"))
    for placeholder in sorted(set(_PLACEHOLDER.findall(english))
                              - set(_PLACEHOLDER.findall(translation))):
        faults.append((f"leaves out the placeholder {placeholder}",
                       "keep every placeholder of the English as it is written"))
    limit = PROPERTY_SCHEMAS.get(text.context.rsplit(":", 1)[-1], {}).get("maxLength")
    if limit and len(translation) > limit:
        faults.append((f"is {len(translation)} characters long, more than {limit}",
                       "shorten it: it labels a mark on the chart"))
    return faults


def _emphasis_stars(text: str, star: str) -> int:
    """The stars that mark emphasis (a list item's `* ` is not one): an odd count leaves an
    *emphasis* open; a `**` pair counts two, so it is told apart above."""
    return _LIST_MARK.sub("", text).count(star)


def _links(text: str) -> list[str]:
    return [match[1] or match[2] for match in _URL.finditer(text)]


def _without_addresses(text: str) -> str:
    return _BARE_URL.sub(" ", _URL.sub(" ", text))


def _figures(text: str, pattern: re.Pattern) -> set[Decimal]:
    return {value for value, _ in _numbers(text, pattern)}


def _numbers(text: str, pattern: re.Pattern) -> list[tuple[Decimal, int]]:
    """Each number of a text with its power of ten ("3.5 million": 3,500,000 and 6)."""
    found = []
    for match in pattern.finditer(_without_addresses(text)):
        digits, fraction, scale = match[1], match[2] or "", (match[3] or "").lower()
        try:
            value = Decimal(digits.replace(",", "") + fraction)
        except InvalidOperation:
            continue
        power = _SCALES.get(scale, 0)
        found.append((value.scaleb(power).normalize(), power))
    return found


def _korean_figures(text: str) -> set[Decimal]:
    """The figures of a Korean text: each number, and numbers written in parts ("3만 4천",
    "1억 2,000만") as their sum."""
    numbers = _numbers(text, _KOREAN_NUMBER)
    figures = {value for value, _ in numbers}
    for start in range(len(numbers)):
        total, power = numbers[start]
        for value, next_power in numbers[start + 1:start + 3]:
            if next_power >= power or value >= Decimal(1).scaleb(power):
                break
            total, power = total + value, next_power
            figures.add(total.normalize())
    return figures


def _shown(english: str, figure: Decimal) -> str:
    """A figure as the English writes it, for the message."""
    for match in _ENGLISH_NUMBER.finditer(_without_addresses(english)):
        value = _numbers(match[0], _ENGLISH_NUMBER)
        if value and value[0][0] == figure:
            return match[0]
    return f"{figure:,}"
