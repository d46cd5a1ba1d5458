"""The data contract of docs/data-format.md as data: layers, their properties, allowed values,
and the rules every source and address follows.

The schema check, the parsers of narratives and statistics, the formatter's key order, the model
and the pages all read it from here: it imports nothing of the package, so nothing runs in a
circle through it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
CONFIDENCE = ("high", "medium", "low")
ROLES = ("origin", "transit", "refuge", "destination")
MODES = ("land", "sea", "air")
DMZ_KINDS = {"zone": ("Polygon",), "mdl": ("LineString", "MultiLineString"),
             "nll": ("LineString", "MultiLineString")}
SOURCE_KEYS = ("title", "publisher", "year", "url", "via")
REQUIRED_SOURCE_KEYS = SOURCE_KEYS[:4]
FIRST_SOURCE_YEAR = 1945
MAX_DECIMALS = 2


@dataclass(frozen=True)
class Layer:
    geometry: tuple[str, ...]  # allowed geometry types; () means the geometry must be null
    required: tuple[str, ...]  # in canonical order, after "layer"
    optional: tuple[str, ...] = ()
    may_be_null: bool = False  # the geometry may also be null (an event that has no place)

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
    # The border as it hardened (fences, walls, guard posts), drawn along a base-map border.
    "barrier": Layer(("LineString", "MultiLineString"), ("name", "period", "sources"),
                     ("summary", "confidence")),
    # A dated event that changed the routes: at the town it happened in, or nowhere (null).
    "event": Layer(("Point",), ("year", "title", "summary", "sources"),
                   ("month", "routes", "chart_label", "confidence"), may_be_null=True),
}
CHART_LABEL_LENGTH = 24  # an event's label beside its mark on the arrivals chart

FEATURE_KEYS = ("type", "id", "properties", "geometry")

# The properties' types in JSON Schema's words, for editors (docs/routes.schema.json, made by
# scripts/build_schema.py): the validator's schema check says the same with line numbers and hints.
_TEXT = {"type": "string", "minLength": 1}
_ISO3 = {"type": "string", "pattern": ISO3_PATTERN.pattern}
_ID = {"type": "string", "pattern": ID_PATTERN.pattern}
_YEAR = {"type": "integer", "minimum": FIRST_SOURCE_YEAR}
_URL = {"type": "string", "pattern": "^https?://"}
SOURCE_SCHEMA = {
    "type": "object", "required": list(SOURCE_KEYS[:4]), "additionalProperties": False,
    "properties": {"title": _TEXT, "publisher": _TEXT, "year": _YEAR, "url": _URL,
                   "via": {**_URL, "description": "the copy where the original was read"}},
}
PROPERTY_SCHEMAS = {
    "title": _TEXT, "summary": _TEXT, "name": _TEXT, "policy": _TEXT, "river": _TEXT,
    "countries": {"type": "array", "items": _ISO3},
    "crossings": {"type": "array", "items": _ID},
    "period": {"type": "object", "required": ["from", "to"], "additionalProperties": False,
               "properties": {"from": _YEAR, "to": {"anyOf": [_YEAR, {"type": "null"}]}}},
    "sources": {"type": "array", "minItems": 1, "items": SOURCE_SCHEMA},
    "modes": {"type": "array", "items": {"enum": list(MODES)}},
    "confidence": {"enum": list(CONFIDENCE)},
    "kind": {"enum": list(DMZ_KINDS)},
    "schematic": {"type": "boolean"}, "disputed": {"type": "boolean"},
    "iso3": _ISO3, "role": {"enum": list(ROLES)},
    "year": _YEAR, "month": {"type": "integer", "minimum": 1, "maximum": 12},
    "routes": {"type": "array", "items": _ID},
    "chart_label": {**_TEXT, "maxLength": CHART_LABEL_LENGTH},
}


@dataclass(frozen=True)
class Source:
    """A public source: every route, crossing, country, stage and figure cites at least one.
    `url` is the original publication; `via` the copy where it was read, when the original is
    gone or paywalled (shown as "read at")."""

    title: str
    publisher: str
    year: int
    url: str
    via: str | None = None


@dataclass(frozen=True)
class Issue:
    """A fault found while parsing a narrative or the statistics, before it becomes a Problem."""

    line: int
    message: str
    hint: str
    check: str = "schema"


# -- sources and addresses ------------------------------------------------------------------------
# Hosts that republish other outlets' work (reposts, aggregators, personal blogs): a source's `url`
# is the original publication, so an address on one of these belongs in `via`. Why each is here:
MIRROR_HOSTS = {
    "blogspot.com": "personal blogs that repost articles",
    "worldsecuritynetwork.com": "reposts Asia Times and other outlets' articles",
    "refugee.ru": "a charity's site that reposts press articles",
    "oneindia.com": "syndicates wire copy (Reuters, AFP)",
    "devdiscourse.com": "syndicates wire copy (Reuters)",
    "nkeconwatch.com": "a blog that quotes other outlets' reports",
    "econlib.org": "a blog that quotes books and articles",
    "daijiworld.com": "syndicates wire copy (IANS, Yonhap)",
    "refworld.org": "UNHCR's database of other publishers' documents (\"not a UNHCR publication\")",
    "everycrsreport.com": "republishes Congressional Research Service reports",
    "wordpress.com": "personal blogs that repost articles",
    "archive.org": "an archive of pages: the copy, never the publication",
    "archive.ph": "an archive of pages: the copy, never the publication",
}
_WHITESPACE = re.compile(r"\s")  # what str.isspace() takes, without a Python loop per character
SOURCE_HINT = 'a source is {"title": ..., "publisher": ..., "year": 2006, "url": "https://..."}'


def this_year() -> int:
    return datetime.date.today().year


def is_year(value) -> bool:
    """A whole year from the first source year to this one (JSON's true is not a year)."""
    return isinstance(value, int) and not isinstance(value, bool) and (
        FIRST_SOURCE_YEAR <= value <= this_year())


def in_period(period: tuple[int, int | None], year: int) -> bool:
    """The one rule of time: what has a period (a route, a barrier) is in use in `year` when it
    began by then and had not ended before it; a period without an end (`to` null) lasts."""
    start, end = period
    return start <= year and (end is None or year <= end)


def json_type(value) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


_JSON_TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean",
                    int: "number", float: "number", type(None): "null"}


def describe(value) -> str:
    """A value as a message quotes it: short texts whole, others by their JSON type."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else "a text"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return str(value)
    return f"a JSON {json_type(value)}"


def url_problem(url) -> str | None:
    """Why a source address is not acceptable (only http and https are), or None."""
    if not isinstance(url, str):
        return f"must be a text, found {describe(url)}"
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"{url!r} is not a valid address"
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http or https address"
    if not parts.netloc or _WHITESPACE.search(url.strip()):
        return f"{url!r} is not a complete address"
    return None


def mirror_host(url: str) -> str | None:
    """The MIRROR_HOSTS entry an address lies on (the host or a subdomain of it), or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    return next((mirror for mirror in MIRROR_HOSTS
                 if host == mirror or host.endswith("." + mirror)), None)


def check_source(source, report: Callable[[str, str], None]) -> None:
    """Check one source object; `report(message, hint)` is told of each fault."""
    for message, hint in _source_faults(source):
        report(message, hint)


def _source_faults(source) -> Iterable[tuple[str, str]]:
    """The faults of a source, remembered: the data cites the same publications again and again
    (a narrative's stages, many routes), so each distinct source is checked once."""
    if isinstance(source, dict):
        # With their types: 2006.0 and 2006 are equal keys, and only one of them is a year.
        members = tuple((key, type(value), value) for key, value in source.items())
        try:
            return _remembered_faults(members, this_year())
        except TypeError:  # a member holds a list or an object: nothing to remember it by
            pass
    return tuple(_faults(source))


@lru_cache(maxsize=4096)
def _remembered_faults(members: tuple, year: int) -> tuple[tuple[str, str], ...]:
    return tuple(_faults({key: value for key, _, value in members}))


def _faults(source) -> Iterator[tuple[str, str]]:
    if not isinstance(source, dict):
        yield f"a source must be an object, found {describe(source)}", SOURCE_HINT
        return
    missing = [key for key in REQUIRED_SOURCE_KEYS if key not in source]
    if missing:
        yield f"a source lacks {', '.join(missing)}", SOURCE_HINT
    extra = [key for key in source if key not in SOURCE_KEYS]
    if extra:
        yield (f"a source has unknown member(s) {', '.join(extra)}",
               "a source has title, publisher, year and url, and optionally via")
    for key in ("title", "publisher"):
        if key in source and (not isinstance(source[key], str) or not source[key].strip()):
            yield (f"a source's {key} must be a non-empty text, found {describe(source[key])}",
                   SOURCE_HINT)
    if "year" in source and not is_year(source["year"]):
        yield (f"a source's year must be a whole year between {FIRST_SOURCE_YEAR} and "
               f"{this_year()}, found {describe(source['year'])}",
               "write the year of publication, e.g. 2006")
    for key in ("url", "via"):
        if key not in source or (key == "via" and source[key] is None):
            continue
        problem = url_problem(source[key])
        if problem:
            yield (f"a source's {key} {problem}", "give the http:// or https:// address where "
                   "the publication can be read")
    via, url = source.get("via"), source.get("url")
    if isinstance(via, str) and via.strip() == str(url).strip():
        yield "a source's via repeats its url", "leave via out when the original was read"
    if isinstance(url, str) and url_problem(url) is None and (mirror := mirror_host(url)):
        yield (f"a source's url {url!r} is a copy on {mirror} ({MIRROR_HOSTS[mirror]}), not the "
               "original publication",
               "put the original publication's address in url and this copy in via "
               "(shown as \"read at\"); see docs/data-format.md, sources")
