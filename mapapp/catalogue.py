"""Content catalogues (data/translations/<language>.po): read with the line of every entry, and
brought up to date with the English the way `pybabel update` brings an interface catalogue.

The files are ordinary gettext PO files, read and written with Babel's own catalogue classes
(babel.messages), so that Poedit, Weblate or any PO editor opens them: one entry per English
paragraph or property, its `msgctxt` naming where the text is used and its `#:` lines the file
and line of the English. Which texts exist and what their contexts are is for
mapapp.translation to say; this module knows the file format only. Pure: no file I/O.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from mapapp.contract import Issue

PROJECT = "Escape routes from North Korea (content)"
HEADER = """\
# The map's content in another language: every text of the data, one
# entry per paragraph or property, its msgctxt naming where it is used.
# Made and kept up to date with the English by `mapapp translations
# update`; translate it with any PO editor (see docs/translating.md).
#"""
LINE_WIDTH = 76  # as pybabel writes, so that a catalogue edited by either stays the same


@dataclass(frozen=True)
class Entry:
    """One translation: the English it translates (`source`, the msgid), where that text is
    used (`context`), the translation ("" while there is none) and whether a translator must
    look at it again (`fuzzy`: the English changed since)."""

    context: str | None
    source: str
    translation: str
    fuzzy: bool
    line: int  # the line of its msgstr in the catalogue


@dataclass(frozen=True)
class Catalogue:
    """A language's content catalogue as read; `lookup` gives the translations in use."""

    language: str
    path: Path
    entries: tuple[Entry, ...] = ()

    @cached_property
    def _usable(self) -> dict[tuple[str | None, str], str]:
        return {(entry.context, entry.source): entry.translation for entry in self.entries
                if entry.translation.strip() and not entry.fuzzy}

    def lookup(self, context: str, source: str) -> str | None:
        """The translation of `source` where `context` uses it, unless there is none yet or it
        is outdated (fuzzy)."""
        return self._usable.get((context, source))


@dataclass(frozen=True)
class Text:
    """An English text a catalogue must hold, as mapapp.translation finds it in the data."""

    context: str
    source: str
    locations: tuple[tuple[str, int], ...]  # (file from the data folder's parent, line)
    comments: tuple[str, ...] = field(default=())  # what a translator should know


def read_catalogue(text: str, path: Path | str, language: str) -> tuple[Catalogue, list[Issue]]:
    """The entries of a PO file; a file that is not PO gives no entries and one Issue at the
    line where it stops being PO."""
    try:
        catalog = read_po(io.StringIO(text), locale=language, abort_invalid=True)
    except PoFileError as error:
        return Catalogue(language, Path(path)), [Issue(
            error.lineno + 1, f"the catalogue is not a valid PO file: {error.args[0]}",
            "open it in a PO editor (Poedit), or restore it from version control",
            "translation")]
    except (ValueError, UnicodeError) as error:  # e.g. a header with an unknown plural rule
        return Catalogue(language, Path(path)), [Issue(
            1, f"the catalogue cannot be read: {error}",
            "restore its header from version control, or run `mapapp translations update`",
            "translation")]
    lines = text.splitlines()

    def translation_line(message) -> int:
        """The line of the entry's msgstr: where a translator corrects it."""
        start = (message.lineno or 1) - 1
        return next((number + 1 for number in range(start, len(lines))
                     if lines[number].startswith("msgstr")), start + 1)

    entries = tuple(
        Entry(message.context, message.id, message.string or "", message.fuzzy,
              translation_line(message))
        for message in catalog if message.id and isinstance(message.id, str)
        and isinstance(message.string or "", str))
    return Catalogue(language, Path(path), entries), []


@dataclass(frozen=True)
class Update:
    """What `updated_catalogue` changed, for the command to report."""

    text: str
    added: int  # English texts new to the catalogue
    outdated: int  # entries marked fuzzy: their English changed since they were translated
    removed: int  # entries whose English is gone (kept at the end as obsolete `#~` lines)
    translated: int  # entries with a translation in use
    total: int

    @property
    def share(self) -> str:
        """The share translated, rounded down: 477 of 479 is 99%, only all of them 100%."""
        return f"{self.translated * 100 // self.total}%" if self.total else "–"


def updated_catalogue(texts: Iterable[Text], current: str | None, language: str) -> Update:
    """The catalogue with exactly these English texts, in their order: a translation is kept
    where the text is unchanged, kept and marked fuzzy (with the old English as `#|` lines)
    where it changed, and an entry whose text is gone becomes obsolete, as `pybabel update` does.
    An entry that only moved (the same English in another context, e.g. a stage renumbered) is
    kept as it was, not fuzzy. An entry still fuzzy keeps the English it was translated from.
    `current`: the file's text, or None for a new catalogue."""
    template = Catalog(project=PROJECT, fuzzy=False, header_comment=HEADER)
    for text in texts:
        template.add(text.source, locations=list(text.locations), context=text.context,
                     auto_comments=list(text.comments))
    catalog = (read_po(io.StringIO(current), locale=language) if current is not None
               else Catalog(locale=language, project=PROJECT, fuzzy=False, header_comment=HEADER,
                            language_team=Locale.parse(language).english_name))
    previous = _take_previous_ids(catalog)
    known = {(m.context, m.id) for m in catalog if m.id}
    obsolete = len(catalog.obsolete)
    catalog.update(template, update_creation_date=False)
    for message in catalog:
        message.flags.discard("python-format")  # content, not a format string: "12% of them"
        if message.fuzzy and message.previous_id == [message.id]:  # moved, not changed
            message.flags.discard("fuzzy")
            message.previous_id = []
        elif message.fuzzy:  # the English it was translated from, however often it changed
            earlier = previous.get((message.context, (message.previous_id or [message.id])[0]))
            message.previous_id = [earlier] if earlier else message.previous_id
    new = [m for m in catalog if m.id and (m.context, m.id) not in known]
    return Update(_po_text(catalog),
                  added=sum(1 for m in new if not m.fuzzy and not m.string),
                  outdated=sum(1 for m in catalog if m.id and m.fuzzy),
                  removed=len(catalog.obsolete) - obsolete,
                  translated=sum(1 for m in catalog if m.id and m.string and not m.fuzzy),
                  total=sum(1 for m in catalog if m.id))


PREVIOUS = "|"  # how Babel reads a `#| msgid` line: a translator's comment starting with "|"
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _take_previous_ids(catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """The old English of each fuzzy entry, from its `#| msgid` lines, which Babel cannot read
    (python-babel/babel#206: it keeps them as comments, to be written back as `# | …` for good);
    the lines are taken out of the entries' comments. Also reads the one-comment form earlier
    versions wrote."""
    found = {}
    for message in [*catalog, *catalog.obsolete.values()]:
        lines = [comment for comment in message.user_comments if comment.startswith(PREVIOUS)]
        if not lines:
            continue
        message.user_comments = [comment for comment in message.user_comments
                                 if not comment.startswith(PREVIOUS)]
        text = " ".join(line.lstrip(PREVIOUS).strip() for line in lines)
        msgid = re.search(rf"(?:^|\s)msgid\s+((?:{QUOTED.pattern}\s*)+)", text)
        if msgid and message.id:
            found[(message.context, message.id)] = "".join(
                unescape(part) for part in QUOTED.findall(msgid.group(1)))
    return found


def _po_text(catalog: Catalog) -> str:
    """The catalogue as Babel writes it, but each fuzzy entry's old English as PO lines
    (`#| msgid ""`, `#| "…"`) that GNU gettext and PO editors read: write_po wraps it as one
    comment (`#| msgid "" "…`), which `msgfmt --check` rejects."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=LINE_WIDTH, include_previous=True)
    previous = iter([("msgid " + normalize(message.previous_id[0], width=LINE_WIDTH - 3))
                     .splitlines() for message in catalog if message.id and message.previous_id])
    lines, in_previous = [], False
    for line in buffer.getvalue().decode("utf-8").splitlines(keepends=True):
        if line.startswith("#| ") and not in_previous:  # Babel's one comment: ours instead
            lines.extend(f"#| {part}\n" for part in next(previous))
        if not line.startswith("#| "):
            lines.append(line)
        in_previous = line.startswith("#| ")
    return "".join(lines)
