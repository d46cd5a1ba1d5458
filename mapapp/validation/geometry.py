"""The `geometry` check: rings, point counts, orientation and validity, with shapely.

A feature whose shape is unusable is marked broken, so that the spatial and safety checks that
follow look only at sound shapes.
"""

from __future__ import annotations

import re

import shapely

from mapapp.parsing import Feature
from mapapp.validation import positions
from mapapp.validation.core import Inspection

CHECK = "geometry"
_WHERE = re.compile(r"\[\s*([-\d.e+]+)\s+([-\d.e+]+)\s*\]")


def check(inspection: Inspection) -> None:
    for ref in inspection.features:
        geometry = ref.value.get("geometry") if isinstance(ref.value, dict) else None
        if ref.index in inspection.broken or geometry is None:
            continue
        sound = True
        for pointer, part in positions.geometries(geometry, (*ref.pointer, "geometry")):
            sound = _check_part(inspection, ref, part, pointer) and sound
        if sound and ref.shape is None:  # well formed, yet shapely cannot read it
            _report(inspection, ref, (*ref.pointer, "geometry"), "is not a geometry shapely "
                    "can read", "redraw it as a plain Point, LineString or Polygon")
            sound = False
        elif sound and ref.shape.is_empty:  # RFC 7946 allows it; the map has nothing to draw
            _report(inspection, ref, (*ref.pointer, "geometry"),
                    f"the {geometry['type']} is empty: it has no positions",
                    "draw it, or delete the feature")
            sound = False
        elif sound and not ref.shape.is_valid:
            reason = shapely.is_valid_reason(ref.shape)
            _report(inspection, ref, (*ref.pointer, "geometry"),
                    f"is not a valid geometry: {_explain(reason)}",
                    "move or remove the vertices near that place so that no edge crosses another")
            sound = False
        if not sound:
            inspection.broken.add(ref.index)


def _report(inspection: Inspection, ref: Feature, pointer, message: str, hint: str) -> None:
    inspection.report(CHECK, message, hint, line=inspection.document.line(pointer), feature=ref)


def _explain(reason: str) -> str:
    """shapely says 'Self-intersection[127.5 38.2]'; maintainers read [lon, lat]."""
    name, _, _ = reason.partition("[")
    where = _WHERE.search(reason)
    place = f" at [{float(where[1]):g}, {float(where[2]):g}]" if where else ""
    return f"{name.strip().lower()}{place}"


def _check_part(inspection: Inspection, ref: Feature, part: dict, pointer) -> bool:
    kind, coordinates = part["type"], part["coordinates"]
    where = (*pointer, "coordinates")
    if kind in ("LineString", "MultiLineString"):
        lines = [coordinates] if kind == "LineString" else coordinates
        for index, line in enumerate(lines):
            at = where if kind == "LineString" else (*where, index)
            if len({tuple(p[:2]) for p in line}) < 2:
                _report(inspection, ref, at, f"a line has {len(line)} position(s) but fewer than 2 "
                        "distinct ones", "a line needs at least two different positions")
                return False
    if kind in ("Polygon", "MultiPolygon"):
        polygons = [coordinates] if kind == "Polygon" else coordinates
        for number, rings in enumerate(polygons):
            base = where if kind == "Polygon" else (*where, number)
            if not rings:
                _report(inspection, ref, base, "a polygon has no rings",
                        "give it an exterior ring: [[lon, lat], ..., the first position again]")
                return False
            for index, ring in enumerate(rings):
                if not _check_ring(inspection, ref, ring, index, (*base, index)):
                    return False
    return True


def _check_ring(inspection: Inspection, ref: Feature, ring: list, index: int, at) -> bool:
    role = "exterior ring" if index == 0 else f"hole {index}"
    if not ring:
        _report(inspection, ref, at, f"the polygon's {role} has no positions",
                "give it at least 4 positions, the last one equal to the first, or delete it")
        return False
    if ring[0][:2] != ring[-1][:2]:
        _report(inspection, ref, at, f"the polygon's {role} is not closed: it ends at "
                f"{positions.fmt(ring[-1])}, not at its first position {positions.fmt(ring[0])}",
                "repeat the first position as the last one")
        return False
    if len(ring) < 4 or len({tuple(p[:2]) for p in ring}) < 3:
        _report(inspection, ref, at, f"the polygon's {role} has {len(ring)} positions and "
                f"{len({tuple(p[:2]) for p in ring})} distinct ones; a ring needs at least 4 "
                "positions, 3 of them distinct", "add the missing corners, or delete the ring")
        return False
    counter_clockwise = shapely.LinearRing([p[:2] for p in ring]).is_ccw
    if counter_clockwise != (index == 0):
        wanted = "counter-clockwise" if index == 0 else "clockwise"
        _report(inspection, ref, at, f"the polygon's {role} does not run {wanted}, as RFC 7946's "
                "right-hand rule requires", "`mapapp format` reorients rings; or reverse the "
                "order of its positions")
    return True
