"""Reading the data files: where they are, and bytes to text to JSON, remembering where
everything starts.

This is the only code that knows the data's file names (docs/data-format.md): the GeoJSON, the
narratives beside it, the statistics, the context chapter, the glossary, further reading, the
translations and the base map. Maintainers edit the data by hand, so every problem must name a
line. The standard library's JSON parser is fast but forgets positions; here it parses first
(and decides whether the file is JSON at all), and a member's offset is found only when a
problem asks for its line, by scanning the enclosing objects and arrays with the same C
decoder. A file with a duplicate key (where the last one is read) is instead walked whole at
once, so that every occurrence is known. This module does I/O and JSON parsing only: no
checks, no Flask, no folium.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from mapapp import paths
from mapapp.wording import counted

# The data's files, relative to the folder of its GeoJSON file (docs/data-format.md).
ROUTES = "routes.geojson"
NARRATIVES = "narratives"  # one <route-id>.md per route
STATISTICS = "statistics.csv"
CONTEXT = "context.md"  # the context chapter
GLOSSARY = "glossary.md"
FURTHER_READING = "further-reading.md"  # for the about page
TEACH = "teach.md"  # the teachers' guide
TRANSLATIONS = {"ko": "translations/ko.po"}
# The base map (built by scripts/build_basemap.py): countries, then the layers drawn over them.
BASEMAP = "basemap"
BASEMAP_LAYERS = ("countries", "rivers", "towns", "labels")
SHIPPED_BASEMAP = paths.data_dir() / BASEMAP / "countries.geojson"

Pointer = tuple[str | int, ...]

# Deep enough to reach a polygon's positions (features/i/geometry/coordinates/ring/position);
# files above the size limit get feature-level lines only (a limit from when every position was
# recorded up front, kept so that the lines named do not change).
POSITION_DEPTH = 7
SHALLOW_DEPTH = 2
FULL_POSITIONS_LIMIT = 20 * 1024 * 1024

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DECODER = json.JSONDecoder()


class LoadError(Exception):
    """The data cannot be used at all: nothing to check, serve or export (exit code 2).

    One type for every such cause (an unreadable file, a broken base map, data with problems),
    so that the commands and the site catch one thing; the message is one human line."""


class DataError(LoadError):
    """A data file cannot be read or is not JSON: there is nothing to check (exit code 2)."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 hint: str = ""):
        self.path, self.message, self.line, self.hint = str(path), message, line, hint
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class TextFile:
    """A text file and the offsets of its line breaks, to turn offsets into line numbers."""

    path: Path
    text: str
    _newlines: list[int] | None = field(default=None, repr=False)

    def line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1


@dataclass
class JsonDocument(TextFile):
    """A parsed JSON file that finds where each member (down to `depth`) starts."""

    data: Any = None
    depth: int = POSITION_DEPTH
    duplicate_keys: list[Pointer] = field(default_factory=list)
    has_bom: bool = False
    # Filled by _record_positions (files with a duplicate key), else on demand by line().
    positions: dict[Pointer, int] | None = field(default=None, repr=False)
    _scans: dict[int, _Members] = field(default_factory=dict, repr=False)

    def line(self, pointer: Pointer) -> int:
        """Line of the member at `pointer`, or of its nearest recorded ancestor."""
        return self.line_of(self.offset(pointer))

    def offset(self, pointer: Pointer) -> int:
        """Where the member at `pointer` (or its nearest recorded ancestor) starts."""
        if self.positions is not None:
            while pointer not in self.positions and pointer:
                pointer = pointer[:-1]
            return self.positions.get(pointer, 0)
        offset = _skip(self.text, 0)
        for key in pointer[:self.depth]:
            child = self._member(offset, key)
            if child is None:
                break
            offset = child
        return offset

    def span(self, pointer: Pointer) -> tuple[int, int]:
        """Where the member at `pointer` starts and ends in the text (for an edit in place)."""
        start = self.offset(pointer)
        return start, _end_of_value(self.text, start)

    def _member(self, offset: int, key) -> int | None:
        """Offset of member `key` of the object or array starting at `offset`, if it has one."""
        opener = self.text[offset]
        if not ((opener == "{" and isinstance(key, str))
                or (opener == "[" and isinstance(key, int) and key >= 0)):
            return None
        members = self._scans.get(offset)
        if members is None:
            members = self._scans[offset] = _Members(self.text, offset)
        return members.find(key)


class _Members:
    """The members of one object or array, scanned only as far as a lookup needs."""

    def __init__(self, text: str, offset: int):
        self.text, self.is_object = text, text[offset] == "{"
        self.offsets: dict[str | int, int] = {}
        self.next: int | None = _skip(text, offset + 1)  # None once the closing bracket is read

    def find(self, key) -> int | None:
        while key not in self.offsets and self.next is not None:
            self._scan_one()
        return self.offsets.get(key)

    def _scan_one(self) -> None:
        text, index = self.text, self.next
        if text[index] in "}]":
            self.next = None
            return
        if self.is_object:
            key, index = scanstring(text, index + 1)
            index = _skip(text, _skip(text, index) + 1)
        else:
            key = len(self.offsets)
        self.offsets[key] = index
        index = _skip(text, _end_of_value(text, index))
        self.next = _skip(text, index + 1) if text[index] == "," else index


@dataclass
class Dataset:
    """Everything the validator and the model read: the GeoJSON and the files beside it.

    Files that are optional (statistics, context, glossary, further reading, translations, base
    map layers other than the countries) are present only when they exist; an unreadable one is
    kept as its DataError, for the validator to report beside every other problem."""

    geojson: JsonDocument
    narratives_dir: Path
    narratives: dict[str, TextFile | DataError]
    statistics: TextFile | DataError | None
    basemap: dict[str, Path]  # layer -> file; always "countries"
    context: TextFile | DataError | None = None
    glossary: TextFile | DataError | None = None
    further_reading: TextFile | DataError | None = None
    teach: TextFile | DataError | None = None
    translations: dict[str, TextFile | DataError] = field(default_factory=dict)

    @property
    def glossary_path(self) -> Path:
        """Where the glossary is, or goes when there is none yet (a hint names it)."""
        return Path(self.geojson.path).parent / GLOSSARY

    @property
    def basemap_path(self) -> Path:
        """The base map's countries, which the spatial checks and every map read."""
        return self.basemap["countries"]

    def version(self) -> str:
        """A short hash of every input file: it changes whenever any of them does."""
        digest = hashlib.sha256()
        texts = [(ROUTES, self.geojson)]
        texts += [(f"{NARRATIVES}/{name}", source) for name, source in sorted(
            self.narratives.items())]
        texts += [(name, source) for name, source in (
            (STATISTICS, self.statistics), (CONTEXT, self.context), (GLOSSARY, self.glossary),
            (FURTHER_READING, self.further_reading), (TEACH, self.teach),
            *sorted(self.translations.items()))]
        for name, source in texts:
            if isinstance(source, TextFile):
                digest.update(f"{name}\0{source.text}\0".encode())
        for layer, path in sorted(self.basemap.items()):
            digest.update(f"{BASEMAP}/{layer}\0".encode())
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()[:12]


def default_data_path() -> Path:
    """The GeoJSON every command and the site use unless told otherwise: $MAPAPP_DATA, else the
    project's own data/routes.geojson."""
    return Path(os.environ.get("MAPAPP_DATA") or paths.data_dir() / ROUTES)


def data_file(path: Path | str) -> Path:
    """The GeoJSON a path names: itself, or the routes.geojson of a folder (DataError when the
    folder has none)."""
    path = Path(path)
    if path.is_dir():
        if not (path / ROUTES).exists():
            raise DataError(path, f"is a folder without a {ROUTES}")
        return path / ROUTES
    return path


def files_to_check(path: Path | str) -> list[Path]:
    """What `mapapp validate PATH` checks: a file, the routes.geojson of a folder holding one, or
    else every document (.md) and table (.csv) of the folder (data/narratives)."""
    path = Path(path)
    if path.is_dir() and not (path / ROUTES).exists():
        files = sorted(file for file in path.iterdir()
                       if file.suffix.lower() in (".md", ".csv") and file.is_file())
        if not files:
            raise DataError(path, f"is a folder without a {ROUTES}, narratives (.md) or "
                            "statistics (.csv)")
        return files
    return [data_file(path)]


def what_to_check(path: Path | str) -> tuple[str, Path]:
    """What `mapapp validate` checks for one of the files files_to_check lists, by its name:
    ("data", the GeoJSON); ("translation", the GeoJSON that a content catalogue (.po)
    translates, in the folder above the catalogue's own); ("guide", the GeoJSON beside the
    teachers' guide, whose question_aims are counted against its stories); or a document
    checked alone for its own form, ("narrative" | "context" | "glossary" | "page" |
    "statistics", the file). DataError when a catalogue or the data it goes with is not
    there."""
    path = data_file(path)
    if path.suffix.lower() == ".po":
        read_text(path)  # a DataError when it is not there
        folder = path.resolve().parent.parent
        if folder.is_relative_to(Path.cwd()):
            folder = folder.relative_to(Path.cwd())  # the paths as the maintainer types them
        return "translation", data_file(folder)
    kind = document_kind(path)
    if kind == "guide":
        return kind, data_file(path.parent)
    return kind or "data", path


def document_kind(path: Path | str) -> str | None:
    """What a hand-written file is, by its name: "statistics" (.csv), "context", "glossary",
    "page" (further reading), "guide" (the teachers') or else "narrative" (.md); None for any
    other file."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return "statistics"
    if path.suffix.lower() == ".md":
        return {CONTEXT: "context", GLOSSARY: "glossary", FURTHER_READING: "page",
                TEACH: "guide"}.get(path.name, "narrative")
    return None


def documents(data_path: Path | str) -> list[tuple[str, Path]]:
    """The hand-written files beside the GeoJSON that exist, with their kind ("narrative",
    "context", "glossary", "statistics"): what `mapapp format` normalises with it."""
    folder = Path(data_path).parent
    found = [("narrative", path) for path in _narrative_files(folder / NARRATIVES)]
    found += [(kind, folder / name) for kind, name in (
        ("context", CONTEXT), ("glossary", GLOSSARY), ("statistics", STATISTICS))
        if (folder / name).is_file()]
    return found


def described(path: Path | str) -> str:
    """What checking `path` reads, in words: "data/routes.geojson and 8 narratives"."""
    path = Path(path)
    if path.suffix.lower() in (".md", ".csv", ".po"):  # a file checked alone
        return str(path)
    count = len(_narrative_files(path.parent / NARRATIVES))
    return counted("%(path)s and %(num)d narrative", "%(path)s and %(num)d narratives", count,
                   path=path)


def basemap_files(data_path: Path | str) -> dict[str, Path]:
    """The base map's layer files: those beside the data when it has its own base map (a
    `basemap/countries.geojson`), else the project's; a layer not built yet is left out."""
    files = _basemap_candidates(data_path)
    return {layer: path for layer, path in files.items()
            if layer == "countries" or path.exists()}


def _basemap_candidates(data_path: Path | str) -> dict[str, Path]:
    folder = Path(data_path).parent / BASEMAP
    if not (folder / "countries.geojson").exists():
        folder = SHIPPED_BASEMAP.parent
    return {layer: folder / f"{layer}.geojson" for layer in BASEMAP_LAYERS}


def read_basemap_layer(path: Path) -> Any:
    """A base-map layer file (scripts/build_basemap.py writes them, nobody edits them) as JSON,
    without positions; raises what reading and json.loads raise (OSError, UnicodeDecodeError,
    ValueError), which mapapp.basemap words as a BasemapError."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def translation_file(data_path: Path | str, language: str) -> Path:
    """Where the content catalogue of a language is (or goes) for the data at `data_path`."""
    return Path(data_path).parent / TRANSLATIONS[language]


def input_files(data_path: Path | str) -> list[Path]:
    """Every file the data at `data_path` is read from, or would be if it existed: what a watcher
    looks at to know that the data changed."""
    data_path = Path(data_path)
    folder = data_path.parent
    return [data_path, folder / STATISTICS, folder / CONTEXT, folder / GLOSSARY,
            folder / FURTHER_READING, folder / TEACH,
            *(folder / name for name in TRANSLATIONS.values()),
            *_basemap_candidates(data_path).values(), *_narrative_files(folder / NARRATIVES)]


def _narrative_files(folder: Path) -> list[Path]:
    # By name: all in one folder, so the order of the paths, and many times faster.
    return sorted(folder.glob("*.md"), key=lambda path: path.name) if folder.is_dir() else []


def read_text(path: Path) -> TextFile:
    """Read a UTF-8 text file; a one-line DataError says why when it cannot be read."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    except IsADirectoryError:
        raise DataError(path, "is a folder, not a file") from None
    except OSError as error:
        raise DataError(path, f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataError(
            path, f"is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded)", line
        ) from None
    return TextFile(path, text)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Parsing and checking a large file makes millions of objects, none in a reference cycle;
    Python's cycle collector would walk them all again and again (a fifth of the time taken)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_json(path: Path) -> JsonDocument:
    """Read and parse a JSON file, recording member positions; DataError when it is not JSON."""
    source = read_text(path)
    text, has_bom = source.text, source.text.startswith("\ufeff")
    if has_bom:
        text = " " + text[1:]  # keep offsets (and so line numbers) unchanged
    document = JsonDocument(source.path, text, has_bom=has_bom)
    if not text or text.isspace():  # as `not text.strip()`, without copying a large file
        raise DataError(path, "is empty: a FeatureCollection is expected")
    duplicated = False

    def mapping(pairs: list) -> dict:
        nonlocal duplicated
        members = dict(pairs)
        duplicated = duplicated or len(members) != len(pairs)
        return members

    try:
        with cycle_collection_paused():
            document.data = json.loads(text, object_pairs_hook=mapping)
    except json.JSONDecodeError as error:
        raise syntax_error(path, text, error) from None
    except RecursionError:
        raise DataError(path, "is not usable JSON: arrays or objects are nested too deeply"
                        ) from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise DataError(path, f"is not usable JSON: {error}") from None
    document.depth = POSITION_DEPTH if len(text) <= FULL_POSITIONS_LIMIT else SHALLOW_DEPTH
    if duplicated:
        _record_positions(document)
    return document


def syntax_error(path: Path | str, text: str, error: json.JSONDecodeError) -> DataError:
    """The DataError for a JSON syntax error, at the mistake itself rather than where the parser
    noticed it (a trailing comma is noticed at the next line's bracket), saying what it
    probably is and how to fix it."""
    position, message, hint = _mistake(text, error)
    source = TextFile(Path(path), text)
    line = source.line_of(position)
    column = position - text.rfind("\n", 0, position)
    return DataError(path, f"is not valid JSON: {message} (column {column})", line, hint)


def _mistake(text: str, error: json.JSONDecodeError) -> tuple[int, str, str]:
    position, found = error.pos, text[error.pos:error.pos + 1]
    before = len(text[:position].rstrip()) - 1  # the last character written before it
    after_comma = before >= 0 and text[before] == ","
    unclosed = error.msg.startswith("Unterminated string") and '"' not in text[position + 1:]
    if position >= len(text.rstrip()) or unclosed:
        return (position, "ends before the JSON is complete (is the file truncated?)",
                "restore the end of the file: every [ and { needs its ] and }")
    if found in "]}" and after_comma:
        return (before, "a trailing comma: the last item of a list or object has a comma after "
                "it", "delete this comma")
    if found == "'":
        return (position, "a text in single quotes", 'JSON texts and keys use double quotes: '
                'write "…"')
    if text.startswith(("//", "/*"), position):
        return position, "a comment, which JSON does not allow", "delete the comment"
    if error.msg.startswith("Expecting ',' delimiter"):
        return (before + 1, "a comma is missing after this value",
                "add a comma between the two items or members")
    if error.msg.startswith("Expecting property name") and (found.isalpha() or found == "_"):
        return (position, "a key without double quotes", 'write the key in double quotes: '
                '"key": value')
    if error.msg.startswith("Expecting ':' delimiter"):
        return position, "a colon is missing after a key", 'write "key": value'
    if error.msg.startswith("Expecting value") and found.isalpha():
        return (position, "a word JSON does not know (a text without quotes?)",
                'write texts in double quotes; the only bare words are true, false and null')
    if error.msg.startswith("Invalid control character"):
        return (position, "a text holds a line break or a tab",
                "keep the text on one line (write \\n for a line break)")
    if error.msg.startswith("Unterminated string"):
        return position, "a text is never closed", 'end it with a double quote (")'
    if error.msg.startswith("Invalid \\escape"):
        return (position, "a backslash JSON does not know",
                "write a backslash as \\\\, or use \\n, \\t or \\u…")
    if error.msg.startswith("Extra data"):
        return (position, "more follows the end of the JSON",
                "delete it, or check that the brackets above close where they should")
    message = error.msg[0].lower() + error.msg[1:]
    return position, message, "check the punctuation here against docs/data-format.md"


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


def _end_of_value(text: str, index: int) -> int:
    """Where the JSON value starting at `index` ends; by bracket counting when it nests too deeply
    for the decoder at this depth of the call stack."""
    try:
        return _DECODER.raw_decode(text, index)[1]
    except RecursionError:
        depth = 0
        for match in _BRACKET_OR_STRING.finditer(text, index):
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(match[0], 0)
            if depth == 0:
                return match.end()
        raise


def _record_positions(document: JsonDocument) -> None:
    """Every member's offset down to the document's depth, and every key met twice."""
    text, duplicates = document.text, document.duplicate_keys
    positions: dict[Pointer, int] = {}
    document.positions = positions

    def skip(index: int) -> int:
        return _WHITESPACE.match(text, index).end()

    def walk(index: int, pointer: Pointer, depth: int) -> int:
        index = skip(index)
        if pointer in positions:
            duplicates.append(pointer)
        positions[pointer] = index
        opener = text[index]
        if depth and opener == "{":
            index = skip(index + 1)
            while text[index] != "}":
                key, index = scanstring(text, index + 1)
                index = walk(skip(index) + 1, (*pointer, key), depth - 1)
                index = skip(index)
                if text[index] == ",":
                    index = skip(index + 1)
            return index + 1
        if depth and opener == "[":
            index, position = skip(index + 1), 0
            while text[index] != "]":
                index = skip(walk(index, (*pointer, position), depth - 1))
                position += 1
                if text[index] == ",":
                    index = skip(index + 1)
            return index + 1
        return _DECODER.raw_decode(text, index)[1]

    walk(0, (), document.depth)


def load_dataset(data_path: Path | str | None = None) -> Dataset:
    """Read the GeoJSON file (default: default_data_path()) and the files beside it.

    Raises DataError only for the GeoJSON file itself; a broken narrative or other file is
    kept as its DataError, for the validator to report beside every other problem.
    """
    path = Path(data_path) if data_path else default_data_path()
    document = read_json(path)
    folder = path.parent
    narratives = {narrative.stem: _read_or_error(narrative)
                  for narrative in _narrative_files(folder / NARRATIVES)}
    return Dataset(
        geojson=document, narratives_dir=folder / NARRATIVES, narratives=narratives,
        statistics=_read_if_there(folder / STATISTICS), basemap=basemap_files(path),
        context=_read_if_there(folder / CONTEXT), glossary=_read_if_there(folder / GLOSSARY),
        further_reading=_read_if_there(folder / FURTHER_READING),
        teach=_read_if_there(folder / TEACH),
        translations={language: source for language, name in TRANSLATIONS.items()
                      if (source := _read_if_there(folder / name)) is not None})


def _read_if_there(path: Path) -> TextFile | DataError | None:
    return _read_or_error(path) if path.exists() else None


def _read_or_error(path: Path) -> TextFile | DataError:
    try:
        return read_text(path)
    except DataError as error:
        return error
