"""Walking the positions of a GeoJSON geometry with their JSON pointers, for precise lines."""

from collections.abc import Iterator

from mapapp.loading import Pointer
from mapapp.parsing import DEPTH

__all__ = ["DEPTH", "flat", "fmt", "geometries", "walk"]


def walk(coordinates, depth: int, pointer: Pointer) -> Iterator[tuple[Pointer, list]]:
    """Yield (pointer, position) for coordinates already known to be well formed."""
    if depth == 0:
        yield pointer, coordinates
        return
    for index, child in enumerate(coordinates):
        yield from walk(child, depth - 1, (*pointer, index))


def flat(coordinates, depth: int) -> list:
    """The positions of well-formed coordinates in order, without pointers: a quick look first,
    and `walk` only to name the one at fault."""
    items = [coordinates]
    for _ in range(depth):
        items = [child for item in items for child in item]
    return items


def geometries(geometry: dict, pointer: Pointer) -> Iterator[tuple[Pointer, dict]]:
    """The simple geometries inside a geometry (itself, or a collection's members)."""
    if geometry.get("type") == "GeometryCollection":
        for index, member in enumerate(geometry["geometries"]):
            yield from geometries(member, (*pointer, "geometries", index))
    else:
        yield pointer, geometry


def fmt(position) -> str:
    """A position as the maintainer wrote it (NaN and Infinity in their JSON spelling)."""
    return "[" + ", ".join(_number(value) for value in position) + "]"


def _number(value) -> str:
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)
