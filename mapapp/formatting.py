"""`mapapp format`: the canonical form of the data, for clean diffs of hand edits.

The GeoJSON: fixed key order (docs/data-format.md), two-space indentation with each position on
one line, coordinates rounded to the safety precision, polygon rings oriented by RFC 7946's
right-hand rule, a newline at the end. The narratives, the context chapter, the glossary and the
statistics: "\n" line breaks, no spaces at the ends of lines, the header's keys in their
documented order, one newline at the end. Writing is atomic: a temporary file in the same
folder, fsync, then rename, so an interrupted run leaves the old file or the new one, never a
partial one.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import shapely

from mapapp import contract
from mapapp.loading import DataError, document_kind, documents, read_text, syntax_error
from mapapp.narrative import CONTEXT_HEADER_KEYS, GLOSSARY_HEADER_KEYS, HEADER_KEYS

TOP_KEYS = ("type", "name", "bbox", "features")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
INLINE_WIDTH = 80


HEADER_ORDER = {"narrative": HEADER_KEYS, "context": CONTEXT_HEADER_KEYS,
                "glossary": GLOSSARY_HEADER_KEYS}
_HEADER_KEY_LINE = re.compile(r"[A-Za-z_]+:")


@dataclass(frozen=True)
class Formatted:
    """A data file as it is and in canonical form."""

    path: Path
    current: str
    wanted: str
    rounded: int = 0  # coordinates rounded to the safety precision

    @property
    def changed(self) -> bool:
        return self.current != self.wanted

    def diff(self) -> str:
        """What formatting would change, as a unified diff (line breaks shown as \\r)."""
        def lines(text: str) -> list[str]:
            return [line.replace("\r", "\\r") + "\n" for line in text.split("\n")]
        return "".join(difflib.unified_diff(lines(self.current), lines(self.wanted),
                                            f"{self.path}", f"{self.path} (canonical)"))


def formatted_data(path: Path) -> list[Formatted]:
    """Every data file `mapapp format PATH` looks at, as it is and canonical: a GeoJSON file with
    the documents and statistics beside it, or one document (.md) or statistics file (.csv).
    DataError when one of them cannot be read: then nothing is to be written."""
    path = Path(path)
    kind = document_kind(path)
    if kind is not None:
        return [formatted_document(path, kind)]
    found = [Formatted(path, *_canonical(path))]
    return found + [formatted_document(file, kind) for kind, file in documents(path)]


def formatted_document(path: Path, kind: str) -> Formatted:
    text = read_text(path).text
    lines = [line.rstrip(" \t") for line in
             text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if kind in HEADER_ORDER:
        lines = _ordered_header(lines, HEADER_ORDER[kind])
    while lines and not lines[-1]:
        lines.pop()
    return Formatted(path, text, "\n".join(lines) + "\n" if lines else "")


def _ordered_header(lines: list[str], keys: tuple[str, ...]) -> list[str]:
    """The header's `key:` blocks (a key with its list items) in the documented order."""
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        return lines
    end = lines.index("---", 1)
    blocks: list[list[str]] = []
    for line in lines[1:end]:
        if _HEADER_KEY_LINE.match(line) or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    names = [block[0].partition(":")[0] for block in blocks]
    if len(set(names)) != len(names) or not all(_HEADER_KEY_LINE.match(b[0]) for b in blocks):
        return lines  # a header the validator will report: left as it is

    def rank(block: list[str]) -> int:
        name = block[0].partition(":")[0]
        return keys.index(name) if name in keys else len(keys)

    ordered = [line for block in sorted(blocks, key=rank) for line in block]
    return [lines[0], *ordered, *lines[end:]]


def _rounded_count(data) -> int:
    """How many coordinates the canonical form rounds to the safety precision (walked without
    recursion: hand-written data may nest deeper than Python's stack)."""
    count, stack = 0, [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            coordinates = value.get("coordinates")
            stack += [item for key, item in value.items() if key != "coordinates"]
            numbers = [coordinates]
            while numbers:
                number = numbers.pop()
                if isinstance(number, list):
                    numbers += number
                elif isinstance(number, float) and round(number, contract.MAX_DECIMALS) != number:
                    count += 1
        elif isinstance(value, list):
            stack += value
    return count


def _canonical(path: Path) -> tuple[str, str, int]:
    """(current text, canonical text, coordinates rounded) of a JSON file."""
    source = read_text(path)
    text = source.text.lstrip("\ufeff")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise syntax_error(path, text, error) from None
    except ValueError as error:
        raise DataError(path, f"is left as it is: {error}") from None
    except RecursionError:
        raise DataError(path, "is left as it is: it is nested too deeply") from None
    try:
        return source.text, canonical_json(canonical(data)) + "\n", _rounded_count(data)
    except RecursionError:
        raise DataError(path, "is left as it is: it is nested too deeply") from None


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"it holds {text}, too large for a number; replace it by hand first")
    return value


def _reject_constant(name: str):
    raise ValueError(f"it holds {name}, which JSON does not allow; replace it by hand first")


def canonical(data):
    """The same document with keys ordered, coordinates rounded and rings oriented."""
    if not isinstance(data, dict):
        return data
    if data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        data = {**data, "features": [_feature(f) for f in data["features"]]}
        return _ordered(data, TOP_KEYS)
    if data.get("type") == "Feature":
        return _feature(data)
    return _geometry(data)


def _feature(feature):
    if not isinstance(feature, dict):
        return feature
    feature = dict(feature)
    properties = feature.get("properties")
    if isinstance(properties, dict):
        name = properties.get("layer")
        layer = contract.LAYERS.get(name) if isinstance(name, str) else None
        order = layer.properties if layer else ("layer",)
        properties = _ordered(properties, order)
        if isinstance(properties.get("sources"), list):
            properties["sources"] = [_ordered(s, contract.SOURCE_KEYS) if isinstance(s, dict) else s
                                     for s in properties["sources"]]
        feature["properties"] = properties
    if isinstance(feature.get("geometry"), dict):
        feature["geometry"] = _geometry(feature["geometry"])
    return _ordered(feature, contract.FEATURE_KEYS)


def _geometry(geometry: dict) -> dict:
    geometry = dict(geometry)
    if isinstance(geometry.get("geometries"), list):
        geometry["geometries"] = [_geometry(g) if isinstance(g, dict) else g
                                  for g in geometry["geometries"]]
    if "coordinates" in geometry:
        coordinates = _rounded(geometry["coordinates"])
        if geometry.get("type") == "Polygon":
            coordinates = _oriented(coordinates)
        elif geometry.get("type") == "MultiPolygon" and isinstance(coordinates, list):
            coordinates = [_oriented(polygon) for polygon in coordinates]
        geometry["coordinates"] = coordinates
    return _ordered(geometry, ("type", "coordinates", "geometries", "bbox"))


def _rounded(value):
    if isinstance(value, float):
        return round(value, contract.MAX_DECIMALS)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _oriented(rings):
    """Exterior ring counter-clockwise, holes clockwise; malformed rings stay as they are."""
    if not isinstance(rings, list):
        return rings
    result = []
    for index, ring in enumerate(rings):
        try:
            line = shapely.LinearRing([p[:2] for p in ring])
        except (TypeError, ValueError, IndexError, OverflowError, shapely.errors.ShapelyError):
            result.append(ring)
            continue
        ccw = line.is_ccw
        if ccw == shapely.reverse(line).is_ccw:  # no area, no orientation: reversing never ends
            result.append(ring)
            continue
        result.append(ring if ccw == (index == 0) else ring[::-1])
    return result


def _ordered(mapping: dict, order) -> dict:
    known = [key for key in order if key in mapping]
    return {**{key: mapping[key] for key in known},
            **{key: value for key, value in mapping.items() if key not in known}}


def canonical_json(value, indent: int = 0) -> str:
    """JSON with two-space indentation; short arrays of plain values stay on one line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [f"{inner}{_scalar(key)}: {canonical_json(item, indent + 1)}"
                   for key, item in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(item, dict | list) for item in value):
            flat = "[" + ", ".join(_scalar(item) for item in value) + "]"
            numbers = all(isinstance(item, int | float) for item in value)
            if numbers or len(flat) + len(inner) <= INLINE_WIDTH:
                return flat
        items = [inner + canonical_json(item, indent + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return _scalar(value)


def _scalar(value) -> str:
    """A JSON scalar; a string with a lone surrogate keeps its \\u escape (UTF-8 cannot hold it)."""
    text = json.dumps(value, ensure_ascii=False)
    return json.dumps(value) if _LONE_SURROGATE.search(text) else text


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    # Not a `with` block: the file must outlive it, to be renamed over the data.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
        delete=False)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
