"""Reading the data files: bytes to text to JSON, remembering where everything starts.

Maintainers edit the data by hand, so every problem must name a line. The standard library's
JSON parser is fast but forgets positions; here it parses first (and decides whether the file is
JSON at all), and a member's offset is found only when a problem asks for its line, by scanning
the enclosing objects and arrays with the same C decoder. A file with a duplicate key (where the
last one is read) is instead walked whole at once, so that every occurrence is known. This module
does I/O and parsing only: no checks, no Flask, no folium.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from mapapp import paths

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

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path, self.message, self.line = str(path), message, line
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
        if self.positions is not None:
            while pointer not in self.positions and pointer:
                pointer = pointer[:-1]
            return self.line_of(self.positions.get(pointer, 0))
        offset = _skip(self.text, 0)
        for key in pointer[:self.depth]:
            child = self._member(offset, key)
            if child is None:
                break
            offset = child
        return self.line_of(offset)

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
    """Everything the validator and the model read: the GeoJSON and the files beside it."""

    geojson: JsonDocument
    narratives_dir: Path
    narratives: dict[str, TextFile | DataError]
    statistics: TextFile | DataError | None
    basemap_path: Path


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
        message = error.msg[0].lower() + error.msg[1:]
        if error.pos >= len(text.rstrip()):
            message = "ends before the JSON is complete (is the file truncated?)"
        raise DataError(
            path, f"is not valid JSON: {message} (column {error.colno})", error.lineno
        ) from None
    except RecursionError:
        raise DataError(path, "is not usable JSON: arrays or objects are nested too deeply"
                        ) from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise DataError(path, f"is not usable JSON: {error}") from None
    document.depth = POSITION_DEPTH if len(text) <= FULL_POSITIONS_LIMIT else SHALLOW_DEPTH
    if duplicated:
        _record_positions(document)
    return document


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


def sibling_basemap(data_path: Path) -> Path:
    """The base map beside a data file, or the project's shipped one."""
    beside = Path(data_path).parent / "basemap" / "countries.geojson"
    return beside if beside.exists() else paths.data_dir() / "basemap" / "countries.geojson"


def load_dataset(data_path: Path | str | None = None) -> Dataset:
    """Read the GeoJSON file and, beside it, `narratives/*.md` and `statistics.csv`.

    Raises DataError only for the GeoJSON file itself; a broken narrative or statistics file is
    kept as its DataError, for the validator to report beside every other problem.
    """
    path = Path(data_path) if data_path else paths.default_data_path()
    document = read_json(path)
    narratives_dir = path.parent / "narratives"
    narratives: dict[str, TextFile | DataError] = {}
    if narratives_dir.is_dir():
        # By name: all in one folder, so the order of the paths, and many times faster.
        for narrative in sorted(narratives_dir.glob("*.md"), key=lambda path: path.name):
            narratives[narrative.stem] = _read_or_error(narrative)
    statistics_path = path.parent / "statistics.csv"
    statistics = _read_or_error(statistics_path) if statistics_path.exists() else None
    return Dataset(document, narratives_dir, narratives, statistics, sibling_basemap(path))


def _read_or_error(path: Path) -> TextFile | DataError:
    try:
        return read_text(path)
    except DataError as error:
        return error
