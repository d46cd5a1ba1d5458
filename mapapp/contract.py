"""The data contract of docs/data-format.md as data: layers, their properties, allowed values.

The schema check, the formatter's key order and the model all read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
CONFIDENCE = ("high", "medium", "low")
ROLES = ("origin", "transit", "refuge", "destination")
MODES = ("land", "sea", "air")
DMZ_KINDS = {"zone": ("Polygon",), "mdl": ("LineString", "MultiLineString"),
             "nll": ("LineString", "MultiLineString")}
SOURCE_KEYS = ("title", "publisher", "year", "url")
FIRST_SOURCE_YEAR = 1945
MAX_DECIMALS = 2


@dataclass(frozen=True)
class Layer:
    geometry: tuple[str, ...]  # allowed geometry types; () means the geometry must be null
    required: tuple[str, ...]  # in canonical order, after "layer"
    optional: tuple[str, ...] = ()

    @property
    def properties(self) -> tuple[str, ...]:
        return ("layer", *self.required, *self.optional)


LAYERS = {
    "route": Layer(("LineString", "MultiLineString"),
                   ("title", "summary", "countries", "crossings", "period", "sources"),
                   ("modes", "confidence")),
    "crossing": Layer(("Point",), ("name", "river", "countries", "sources"), ("confidence",)),
    "dmz": Layer(("Polygon", "LineString", "MultiLineString"), ("name", "kind", "sources"),
                 ("schematic", "disputed", "confidence")),
    "country": Layer((), ("iso3", "name", "role", "policy", "sources"), ("confidence",)),
}

FEATURE_KEYS = ("type", "id", "properties", "geometry")


@dataclass(frozen=True)
class Source:
    """A public source: every route, crossing, country, stage and figure cites at least one."""

    title: str
    publisher: str
    year: int
    url: str


@dataclass(frozen=True)
class Issue:
    """A fault found while parsing a narrative or the statistics, before it becomes a Problem."""

    line: int
    message: str
    hint: str
    check: str = "schema"
