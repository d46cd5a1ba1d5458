"""The `structure` check: JSON and RFC 7946 GeoJSON, before anything of our own contract.

Features whose structure is unusable are marked broken so that later checks skip them.
"""

from __future__ import annotations

import math
from numbers import Real

from mapapp import region
from mapapp.contract import json_type
from mapapp.loading import Pointer
from mapapp.parsing import Feature
from mapapp.validation import positions
from mapapp.validation.core import Inspection
from mapapp.wording import indefinite

CHECK = "structure"
GEOMETRY_TYPES = (*positions.DEPTH, "GeometryCollection")
OBJECT_TYPES = ("FeatureCollection", "Feature", *GEOMETRY_TYPES)
_PLAIN = (float, int)  # the types of JSON's numbers (bool, a subclass of int, is not one)


def _is_number(value) -> bool:
    # The type test first: JSON numbers are ints and floats, and the ABC check is slow.
    return type(value) in (int, float) or (isinstance(value, Real) and not isinstance(value, bool))


def _is_finite(value) -> bool:
    """math.isfinite, for integers too large for a float as well (they are finite)."""
    return isinstance(value, int) or math.isfinite(value)


class _StructureCheck:
    def __init__(self, inspection: Inspection):
        self.inspection = inspection

    def report(self, message, hint, feature=None, member=(), line=None):
        self.inspection.report(CHECK, message, hint, feature, member, line=line)

    # -- the whole file ---------------------------------------------------------------------
    def run(self) -> None:
        document = self.inspection.document
        if document.has_bom:
            self.report("the file starts with a byte order mark (BOM)",
                        "save it as UTF-8 without a BOM; `mapapp format` removes it", line=1)
        by_pointer = {ref.pointer: ref for ref in self.inspection.features}
        for pointer in document.duplicate_keys:
            owner = by_pointer.get(pointer[:2]) or by_pointer.get(())
            self.report(f'member "{pointer[-1]}" appears twice; only the last one is read',
                        "delete one of the two members", owner, line=document.line(pointer))
        data = document.data
        if not isinstance(data, dict):
            self.report(f"the file holds a JSON {json_type(data)}, not a GeoJSON object",
                        'the file must hold one FeatureCollection: '
                        '{"type": "FeatureCollection", "features": [...]}', line=1)
            return
        kind = data.get("type")
        if kind not in OBJECT_TYPES:
            self.report(self._unknown_type(kind, "a GeoJSON object"),
                        self._type_hint(kind, "FeatureCollection"), line=document.line(("type",)))
            return
        self._no_crs(data, None, ())
        self._bbox(data, None, ())
        if kind == "FeatureCollection":
            self._collection(data)
        elif kind == "Feature":
            self._feature(self.inspection.features[0])
        else:
            self._geometry(data, None, ())

    def _collection(self, data: dict) -> None:
        if "features" not in data:
            self.report('the FeatureCollection has no "features" member',
                        'add "features": [ ... ] with one object per feature', line=1)
        elif not isinstance(data["features"], list):
            self.report(f'"features" is a JSON {json_type(data["features"])}, not an array',
                        'write "features": [ ... ] with one Feature object per entry',
                        member=("features",))
        for ref in self.inspection.features:
            self._feature(ref)

    # -- features -----------------------------------------------------------------------------
    def _feature(self, ref: Feature) -> None:
        feature, broken = ref.value, False
        if not isinstance(feature, dict):
            self.report(f"is a JSON {json_type(feature)}, not a Feature object",
                        'each entry of "features" must be {"type": "Feature", ...}; '
                        "delete this entry or complete it", ref)
            self.inspection.broken.add(ref.index)
            return
        if feature.get("type") != "Feature":
            self.report(self._unknown_type(feature.get("type"), "a Feature"),
                        self._type_hint(feature.get("type"), "Feature"), ref, ("type",))
            broken = True
        if "id" in feature and not (isinstance(feature["id"], str) or _is_number(feature["id"])):
            self.report(f'"id" is a JSON {json_type(feature["id"])}; RFC 7946 allows a string or '
                        "a number", 'give the feature a string id such as "musan-nanping"',
                        ref, ("id",))
        if "properties" not in feature:
            self.report('has no "properties" member',
                        'add "properties": { "layer": ..., ... } (see docs/data-format.md)', ref)
            broken = True
        elif not isinstance(feature["properties"], dict | None):
            self.report(f'"properties" is a JSON {json_type(feature["properties"])}, '
                        "not an object", 'write "properties": { ... }', ref, ("properties",))
            broken = True
        if "geometry" not in feature:
            self.report('has no "geometry" member',
                        'add the geometry, or "geometry": null for a country feature', ref)
            broken = True
        elif feature["geometry"] is not None and not self._geometry(
            feature["geometry"], ref, ("geometry",)
        ):
            broken = True
        self._no_crs(feature, ref, ())
        self._bbox(feature, ref, ())
        if broken:
            self.inspection.broken.add(ref.index)

    # -- geometries ---------------------------------------------------------------------------
    def _geometry(self, geometry, ref: Feature | None, member: Pointer) -> bool:
        """Check one geometry object; False when it cannot be used at all."""
        if not isinstance(geometry, dict):
            self.report(f"the geometry is a JSON {json_type(geometry)}, not an object or null",
                        'write a geometry such as {"type": "Point", "coordinates": [lon, lat]}, '
                        "or null", ref, member)
            return False
        kind = geometry.get("type")
        if kind not in GEOMETRY_TYPES:
            self.report(self._unknown_type(kind, "a geometry"),
                        self._type_hint(kind, "Point, LineString, Polygon or their Multi forms"),
                        ref, (*member, "type") if "type" in geometry else member)
            return False
        self._no_crs(geometry, ref, member)
        self._bbox(geometry, ref, member)
        if kind == "GeometryCollection":
            return self._collection_members(geometry, ref, member)
        if "coordinates" not in geometry:
            self.report(f'the {kind} has no "coordinates" member',
                        f'add "coordinates": {self._example(kind)}', ref, member)
            return False
        return self._coordinates(kind, geometry["coordinates"], ref, (*member, "coordinates"))

    def _collection_members(self, geometry: dict, ref, member: Pointer) -> bool:
        members = geometry.get("geometries")
        if not isinstance(members, list):
            self.report('the GeometryCollection has no "geometries" array',
                        'add "geometries": [ ... ] with one geometry object per entry', ref, member)
            return False
        sound = True
        for index, item in enumerate(members):
            where = (*member, "geometries", index)
            if item is None:
                self.report("a member of the GeometryCollection is null",
                            "delete the null entry: a collection holds geometry objects only",
                            ref, where)
                sound = False
            else:
                sound = self._geometry(item, ref, where) and sound
        return sound

    def _coordinates(self, kind: str, coordinates, ref, member: Pointer) -> bool:
        depth = positions.DEPTH[kind]
        if _plainly_usable(coordinates, depth):
            return True
        fault = _shape_fault(coordinates, depth)
        if fault:
            where, what = fault
            self.report(f"the {kind}'s coordinates are malformed: {what}",
                        f"a {kind} needs {self._example(kind)}", ref, (*member, *where))
            return False
        if all(map(_is_usable, positions.flat(coordinates, depth))):
            return True
        return all(self._position(position, ref, pointer)
                   for pointer, position in positions.walk(coordinates, depth, member))

    def _position(self, position: list, ref, pointer: Pointer) -> bool:
        lon, lat = position[0], position[1]
        if not all(_is_finite(number) for number in position):
            self.report(f"position {positions.fmt(position)} holds NaN or Infinity, which JSON "
                        "does not allow", "replace it with a real longitude and latitude",
                        ref, pointer)
            return False
        if -180 <= lon <= 180 and -90 <= lat <= 90:
            return True
        if region.in_region(lat, lon):
            self.report(f"position {positions.fmt(position)} is outside the range of longitude and "
                        "latitude: did you swap longitude and latitude?",
                        f"GeoJSON positions are [longitude, latitude]: write "
                        f"{positions.fmt([lat, lon, *position[2:]])}", ref, pointer)
        else:
            self.report(f"position {positions.fmt(position)} is outside the range of longitude "
                        "[-180, 180] and latitude [-90, 90]",
                        "GeoJSON positions are [longitude, latitude] in degrees (WGS84)",
                        ref, pointer)
        return False

    # -- members shared by every object -------------------------------------------------------
    def _no_crs(self, value: dict, ref, member: Pointer) -> None:
        if "crs" in value:
            self.report('has a "crs" member, which RFC 7946 removed: positions are always WGS84 '
                        "longitude and latitude", 'delete the "crs" member (and reproject the '
                        "coordinates to WGS84 if they are not)", ref, (*member, "crs"))

    def _bbox(self, value: dict, ref, member: Pointer) -> None:
        if "bbox" not in value:
            return
        bbox, where = value["bbox"], (*member, "bbox")
        hint = 'write "bbox": [west, south, east, north], or delete it'
        if not isinstance(bbox, list) or len(bbox) not in (4, 6):
            self.report("the bbox must be an array of 4 (or 6) numbers", hint, ref, where)
        elif not all(_is_number(item) and _is_finite(item) for item in bbox):
            self.report("the bbox holds something that is not a number", hint, ref, where)
        elif bbox[1] > bbox[len(bbox) // 2 + 1]:
            self.report("the bbox's south edge lies north of its north edge", hint, ref, where)
        elif not _bbox_holds(bbox, value):
            self.report("the bbox does not contain the geometry it describes (are its longitude "
                        "and latitude swapped?)", hint, ref, where)

    @staticmethod
    def _unknown_type(kind, expected: str) -> str:
        if kind is None:
            return f'has no "type" (or a null one) where {expected} is expected'
        return f'has "type": {kind!r}, which is not {expected}'

    @staticmethod
    def _type_hint(kind, expected: str) -> str:
        if isinstance(kind, str):
            for known in OBJECT_TYPES:
                if known.lower() == kind.lower():
                    return f'type names are case-sensitive: write "{known}"'
        return f"GeoJSON type names are exact: expected {expected}"

    @staticmethod
    def _example(kind: str) -> str:
        return {
            "Point": "[lon, lat]",
            "MultiPoint": "[[lon, lat], ...]",
            "LineString": "[[lon, lat], [lon, lat], ...]",
            "MultiLineString": "[[[lon, lat], ...], ...] (one array of positions per line)",
            "Polygon": "[[[lon, lat], ...]] (one closed ring of positions per boundary)",
            "MultiPolygon": "[[[[lon, lat], ...]], ...] (one array of rings per polygon)",
        }[kind]


def _plainly_usable(coordinates, depth: int) -> bool:
    """Whether the coordinates are arrays nested as deep as their type says, of positions of
    two numbers (JSON's, not true or false), longitude and latitude in range: what nearly all
    data is, seen in one pass. False only means that they must be looked at more closely."""
    items = [coordinates]
    for _ in range(depth):
        if not all(type(item) is list for item in items):
            return False
        items = [child for item in items for child in item]
    return all(type(position) is list and len(position) == 2
               and type(position[0]) in _PLAIN and type(position[1]) in _PLAIN
               and -180 <= position[0] <= 180 and -90 <= position[1] <= 90
               for position in items)


def _shape_fault(value, depth: int) -> tuple[Pointer, str] | None:
    """Where (below the coordinates) their nesting differs from their type, and how."""
    if depth == 0:
        if not isinstance(value, list):
            return (), ("expected a position [longitude, latitude], found "
                        f"{indefinite(json_type(value))}")
        if len(value) < 2:
            return (), f"a position needs at least 2 numbers, found {len(value)}"
        for index, number in enumerate(value):
            if isinstance(number, list):
                return (), "positions are nested one level too deep"
            if not _is_number(number):
                return (index,), f"{json_type(number)} {number!r} where a number is expected"
        return None
    if not isinstance(value, list):
        return (), f"expected an array, found {indefinite(json_type(value))}"
    if value and all(_is_number(item) for item in value):
        return (), "found a position where an array of positions is expected"
    for index, item in enumerate(value):
        fault = _shape_fault(item, depth - 1)
        if fault:
            return (index, *fault[0]), fault[1]
    return None


def _is_usable(position: list) -> bool:
    """What _StructureCheck._position accepts without a word: finite numbers, a longitude and a
    latitude in range."""
    return (all(map(_is_finite, position))
            and -180 <= position[0] <= 180 and -90 <= position[1] <= 90)


def _bbox_holds(bbox: list, value) -> bool:
    west, south, east, north = bbox[0], bbox[1], bbox[len(bbox) // 2], bbox[len(bbox) // 2 + 1]
    lons, lats = [], []

    def collect(item) -> None:
        if isinstance(item, list) and len(item) >= 2 and all(_is_number(n) for n in item):
            lons.append(item[0])
            lats.append(item[1])
        elif isinstance(item, list):
            for child in item:
                collect(child)
        elif isinstance(item, dict):
            for key in ("coordinates", "geometries", "geometry", "features"):
                collect(item.get(key))

    collect(value)
    if not lons:
        return True
    crosses_antimeridian = west > east
    fits_lon = crosses_antimeridian or (west <= min(lons) and max(lons) <= east)
    return fits_lon and south <= min(lats) and max(lats) <= north


def check(inspection: Inspection) -> None:
    _StructureCheck(inspection).run()
