"""The `schema` check: our contract (docs/data-format.md) on top of valid GeoJSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mapapp import contract
from mapapp.contract import check_source, is_year, json_type
from mapapp.contract import describe as _describe
from mapapp.parsing import Feature
from mapapp.validation import positions
from mapapp.validation.core import Inspection
from mapapp.wording import indefinite

CHECK = "schema"
FORMAT_DOC = "see docs/data-format.md"
# Keys the safety check reports as forbidden; the schema check leaves them to it.
SAFETY_KEYS = frozenset({"contact", "contacts", "phone", "email", "address", "broker", "brokers",
                         "shelter", "safehouse", "safe_house", "person", "people", "telephone"})


def check(inspection: Inspection) -> None:
    data = inspection.document.data
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else None
        if kind in ("Feature", *positions.DEPTH, "GeometryCollection"):
            inspection.report(CHECK, f"the file holds a single {kind}, not a FeatureCollection",
                              'wrap it: {"type": "FeatureCollection", "features": [ ... ]}', line=1)
        return
    seen: dict[str, Feature] = {}
    for ref in inspection.features:
        if ref.index in inspection.broken:
            continue
        _Feature(inspection, ref).run(seen)


class _Feature:
    def __init__(self, inspection: Inspection, ref: Feature):
        self.inspection, self.ref = inspection, ref
        self.properties = ref.properties

    def report(self, message: str, hint: str, *member) -> None:
        self.inspection.report(CHECK, message, hint, self.ref, member)

    def run(self, seen: dict[str, Feature]) -> None:
        self._id(seen)
        layer_name = self.properties.get("layer")
        if layer_name is None:
            self.report('has no "layer" property',
                        f"add \"layer\": one of {', '.join(contract.LAYERS)}", "properties")
            return
        if not isinstance(layer_name, str):
            self.report(f'"layer" must be a text, found {_describe(layer_name)}',
                        f"write one of {', '.join(contract.LAYERS)}", "properties", "layer")
            return
        layer = contract.LAYERS.get(layer_name)
        if layer is None:
            return  # an unknown layer is a safety problem: only the layers we know are drawn
        self._geometry(layer_name, layer)
        for key in layer.required:
            if key not in self.properties:
                self.report(f'{indefinite(layer_name)} needs the property "{key}"',
                            f"add it ({FORMAT_DOC}, section {layer_name})", "properties")
        for key, value in self.properties.items():
            if key not in layer.properties:
                if key.lower() not in SAFETY_KEYS:
                    self.report(f'has an unknown property "{key}" for {indefinite(layer_name)}',
                                f"the known ones are {', '.join(layer.properties)}: correct the "
                                "name or delete it", "properties", key)
                continue
            rule = LAYER_PROPERTY_RULES.get((layer_name, key)) or PROPERTY_RULES.get(key)
            if rule:
                rule(self, value, ("properties", key))

    # -- ids, layers and geometry types ---------------------------------------------------------
    def _id(self, seen: dict[str, Feature]) -> None:
        value = self.ref.value.get("id")
        if value is None:
            self.report('has no "id"', 'add a unique "id" of lowercase letters, digits and '
                        'hyphens beside "type", such as "musan-nanping"')
        elif not isinstance(value, str):
            self.report(f'the id is {indefinite(json_type(value))}; ids are strings here',
                        f'write it as a string, "{value}", or choose a descriptive one', "id")
        elif not contract.ID_PATTERN.match(value):
            self.report(f'the id "{value}" has characters other than lowercase letters, digits '
                        "and single hyphens", f'use something like "{_slug(value)}"', "id")
        elif value in seen:
            first = self.inspection.document.line(seen[value].pointer)
            self.report(f'the id "{value}" is already used by the feature on line {first}',
                        "ids must be unique: rename one of the two", "id")
        else:
            seen[value] = self.ref

    def _geometry(self, layer_name: str, layer: contract.Layer) -> None:
        geometry = self.ref.value.get("geometry")
        if not layer.geometry:
            if geometry is not None:
                self.report(f"{indefinite(layer_name)} has no geometry of its own (its shape "
                            "comes from the base map)", 'write "geometry": null', "geometry")
            return
        if geometry is None:
            if not layer.may_be_null:
                self.report(f"{indefinite(layer_name)} needs a geometry, found null",
                            f"draw it as a {' or '.join(layer.geometry)}", "geometry")
            return
        if geometry["type"] not in layer.geometry:
            self.report(f"{indefinite(layer_name)} is drawn as a {' or '.join(layer.geometry)}, "
                        f"not a {geometry['type']}", f"redraw it ({FORMAT_DOC})", "geometry",
                        "type")
            return
        depth = positions.DEPTH[geometry["type"]]
        if all(len(position) == 2 for position in positions.flat(geometry["coordinates"], depth)):
            return
        for pointer, position in positions.walk(geometry["coordinates"], depth,
                                                ("geometry", "coordinates")):
            if len(position) != 2:
                self.report(f"position {positions.fmt(position)} has {len(position)} numbers; "
                            "this map uses [longitude, latitude] only",
                            "delete the altitude (and any further numbers)", *pointer)
                break

    # -- properties shared by several layers ----------------------------------------------------
    def _text(self, value, member, what: str = "a text") -> bool:
        if not isinstance(value, str) or not value.strip():
            self.report(f'"{member[-1]}" must be {what}, found {_describe(value)}',
                        f"write it as a non-empty JSON string ({FORMAT_DOC})", *member)
            return False
        return True

    def _confidence(self, value, member) -> None:
        self._choice(value, member, contract.CONFIDENCE)

    def _choice(self, value, member, choices) -> None:
        if value not in choices:
            self.report(f'"{member[-1]}" is {_describe(value)}, not one of {", ".join(choices)}',
                        f'write one of: {", ".join(choices)}', *member)

    def _codes(self, value, member, count: int | None = None) -> bool:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.report(f'"{member[-1]}" must be a list of ISO 3166-1 alpha-3 codes, found '
                        f"{_describe(value)}", 'write e.g. ["PRK", "CHN"]', *member)
            return False
        for index, code in enumerate(value):
            if not contract.ISO3_PATTERN.match(code):
                self.report(f'"{code}" is not an ISO 3166-1 alpha-3 code',
                            "use three capital letters, e.g. PRK, CHN, KOR, RUS, MNG, LAO, THA",
                            *member, index)
                return False
        if count is not None and len(value) != count:
            self.report(f'"{member[-1]}" lists {len(value)} countries; a crossing joins exactly '
                        f"{count}", "list the two sides, North Korea first", *member)
            return False
        return True

    def _sources(self, value, member) -> None:
        if not isinstance(value, list) or not value:
            self.report(f'"sources" must be a non-empty list of sources, found {_describe(value)}',
                        'cite at least one public source: {"title": ..., "publisher": ..., '
                        '"year": ..., "url": "https://..."}', *member)
            return
        for index, source in enumerate(value):
            check_source(source, lambda message, hint, i=index, s=source: self.report(
                message, hint, *member, i, *_source_member(message, s)))

    # -- routes ---------------------------------------------------------------------------------
    def _route_countries(self, value, member) -> None:
        if self._codes(value, member) and (not value or value[0] != "PRK"):
            self.report("a route's countries start with PRK, where every route begins",
                        'put "PRK" first, then the countries in travel order', *member)

    def _crossings(self, value, member) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(f'"crossings" must be a list of crossing ids, found {_describe(value)}',
                        'write e.g. ["musan-nanping"], or [] when the route uses none', *member)

    def _period(self, value, member) -> None:
        this_year = contract.this_year()
        hint = ('write {"from": 1998, "to": null} (to is null while the route is used or the '
                'barrier stands)')
        if not isinstance(value, dict) or set(value) != {"from", "to"}:
            self.report(f'"period" must be an object with "from" and "to", found '
                        f"{_describe(value)}", hint, *member)
            return
        start, end = value["from"], value["to"]
        if not is_year(start):
            self.report(f'"period.from" must be a year between 1945 and {this_year}, found '
                        f"{_describe(start)}", hint, *member, "from")
        elif end is not None and not (is_year(end) and end >= start):
            self.report(f'"period.to" must be null or a year from {start} to {this_year}, found '
                        f"{_describe(end)}", hint, *member, "to")

    def _modes(self, value, member) -> None:
        geometry = self.ref.value.get("geometry") or {}
        multi = geometry.get("type") == "MultiLineString"
        parts = len(geometry.get("coordinates", [])) if multi else 1
        if not isinstance(value, list) or any(mode not in contract.MODES for mode in value):
            self.report(f'"modes" must be a list of {", ".join(contract.MODES)}, found '
                        f"{_describe(value)}", "give one mode per part of the line", *member)
        elif len(value) != parts:
            self.report(f'"modes" lists {len(value)} mode(s) but the route has {parts} part(s)',
                        "give exactly one mode per part of the MultiLineString", *member)

    # -- crossings, dmz, countries --------------------------------------------------------------
    def _crossing_countries(self, value, member) -> None:
        self._codes(value, member, count=2)

    def _kind(self, value, member) -> None:
        if not isinstance(value, str) or value not in contract.DMZ_KINDS:
            self._choice(value, member, tuple(contract.DMZ_KINDS))
            return
        geometry = self.ref.value.get("geometry") or {}
        allowed = contract.DMZ_KINDS[value]
        if geometry.get("type") not in allowed:
            self.report(f'a dmz of kind "{value}" is drawn as a {" or ".join(allowed)}',
                        "check the kind, or redraw the geometry", "geometry")
        if value == "nll" and not (self.properties.get("schematic") is True
                                   and self.properties.get("disputed") is True):
            self.report("the Northern Limit Line must be marked schematic and disputed",
                        'add "schematic": true and "disputed": true', *member)

    def _flag(self, value, member) -> None:
        if not isinstance(value, bool):
            self.report(f'"{member[-1]}" must be true or false, found {_describe(value)}',
                        "write true or false, without quotes", *member)

    def _iso3(self, value, member) -> None:
        if not isinstance(value, str) or not contract.ISO3_PATTERN.match(value):
            self.report(f'"iso3" must be an ISO 3166-1 alpha-3 code, found {_describe(value)}',
                        'write e.g. "CHN"', *member)

    def _role(self, value, member) -> None:
        self._choice(value, member, contract.ROLES)

    # -- events ---------------------------------------------------------------------------------
    def _year(self, value, member) -> None:
        if not is_year(value):
            self.report(f'"year" must be a year between {contract.FIRST_SOURCE_YEAR} and '
                        f"{contract.this_year()}, found {_describe(value)}",
                        "write the year the event happened, e.g. 2006", *member)

    def _month(self, value, member) -> None:
        if not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12):
            self.report(f'"month" must be a month from 1 to 12, found {_describe(value)}',
                        "write the month as a number (October is 10), or leave it out when the "
                        "sources do not give it", *member)

    def _routes(self, value, member) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(f'"routes" must be a list of route ids, found {_describe(value)}',
                        'write e.g. ["southern-route"], or leave it out', *member)

    def _chart_label(self, value, member) -> None:
        if self._text(value, member) and len(value) > contract.CHART_LABEL_LENGTH:
            self.report(f'"chart_label" has {len(value)} characters; a label beside the chart '
                        f"has at most {contract.CHART_LABEL_LENGTH}",
                        'shorten it, e.g. "Tumen fenced": the title and summary say the rest',
                        *member)


# The rule each property follows, by name; where a name means something else in one layer, by
# (layer, name) first. "layer" itself is checked before any of them.
PropertyRule = Callable[[_Feature, Any, tuple], Any]
PROPERTY_RULES: dict[str, PropertyRule] = {
    "title": _Feature._text, "summary": _Feature._text, "name": _Feature._text,
    "policy": _Feature._text, "river": _Feature._text, "confidence": _Feature._confidence,
    "sources": _Feature._sources, "crossings": _Feature._crossings, "period": _Feature._period,
    "modes": _Feature._modes, "kind": _Feature._kind, "schematic": _Feature._flag,
    "disputed": _Feature._flag, "iso3": _Feature._iso3, "role": _Feature._role,
    "year": _Feature._year, "month": _Feature._month, "routes": _Feature._routes,
    "chart_label": _Feature._chart_label,
}
LAYER_PROPERTY_RULES: dict[tuple[str, str], PropertyRule] = {
    ("route", "countries"): _Feature._route_countries,
    ("crossing", "countries"): _Feature._crossing_countries,
}


def _slug(value: str) -> str:
    cleaned = "".join(char if char.isalnum() else "-" for char in value.lower())
    return "-".join(part for part in cleaned.split("-") if part) or "my-feature"


_SOURCE_MEMBER = re.compile(r"a source's (\w+)")


def _source_member(message: str, source) -> tuple[str, ...]:
    """The member of a source a fault is about ("a source's year …"), so that the problem
    points at its value's line rather than at the source's `{`."""
    match = _SOURCE_MEMBER.match(message)
    return (match[1],) if match and isinstance(source, dict) and match[1] in source else ()
