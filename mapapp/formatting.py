"""`mapapp format`: the canonical form of routes.geojson, for clean diffs of hand edits.

Fixed key order (docs/data-format.md), two-space indentation with each position on one line,
coordinates rounded to the safety precision, polygon rings oriented by RFC 7946's right-hand
rule, a newline at the end. Writing is atomic: a temporary file in the same folder, fsync, then
rename, so an interrupted run leaves the old file or the new one, never a partial one.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

import shapely

from mapapp import contract
from mapapp.loading import DataError, read_text

TOP_KEYS = ("type", "name", "bbox", "features")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
INLINE_WIDTH = 80


def canonical_text(path: Path) -> tuple[str, str]:
    """(current text, canonical text) of a JSON file; DataError when it is not valid JSON."""
    source = read_text(path)
    try:
        data = json.loads(source.text.lstrip("\ufeff"), parse_constant=_reject_constant,
                          parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise DataError(path, f"is not valid JSON, so it is left as it is: {error.msg} "
                        f"(column {error.colno})", error.lineno) from None
    except ValueError as error:
        raise DataError(path, f"is left as it is: {error}") from None
    except RecursionError:
        raise DataError(path, "is left as it is: it is nested too deeply") from None
    try:
        return source.text, canonical_json(canonical(data)) + "\n"
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
