"""Parsing: the files loading read, turned into the typed documents the checks and the model read.

The GeoJSON's features (each with its shapely shape), the narratives, the context chapter and
the glossary (mapapp.narrative), the figures (mapapp.statistics) and the content's
translations (mapapp.catalogue), with the faults their parsers met. Parsing takes the data as
it is and never judges the GeoJSON: whether a feature is well formed, valid and true is for
mapapp.validation to say, and the model builds the Atlas from this result only when nothing
is wrong. Pure: no I/O, no Flask, no folium.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape as shapely_shape
from shapely.geometry.base import BaseGeometry

from mapapp.catalogue import Catalogue, read_catalogue
from mapapp.contract import Issue
from mapapp.guide import CONTEXT_KEY, Guide, parse_guide
from mapapp.loading import (
    DataError,
    Dataset,
    JsonDocument,
    Pointer,
    TextFile,
    cycle_collection_paused,
)
from mapapp.narrative import (
    Chapter,
    Glossary,
    Narrative,
    Page,
    parse_context,
    parse_glossary,
    parse_narrative,
    parse_page,
)
from mapapp.statistics import Figure, parse_statistics

# How many array levels sit above a position in each geometry's coordinates (RFC 7946).
DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


@dataclass(frozen=True)
class Feature:
    """An entry of the features array, whatever it holds, with what the checks ask of it."""

    index: int
    value: Any  # the entry as written
    pointer: Pointer  # where it is in the file
    id: str | None
    layer: str | None
    properties: dict  # {} when there are none, or they are not an object
    shape: BaseGeometry | None  # 2-D; None for a null geometry or one shapely cannot read

    @property
    def label(self) -> str:
        return f'feature "{self.id}"' if self.id is not None else f"feature #{self.index + 1}"


@dataclass(frozen=True)
class FileIssue:
    """A fault a parser met in a narrative or in the statistics, with the file it is in."""

    path: Path
    issue: Issue


@dataclass(frozen=True)
class Parsed:
    """The dataset's documents: what the checks look at and what the model is built from."""

    dataset: Dataset
    is_collection: bool  # the file holds a FeatureCollection (else a fragment, or no GeoJSON)
    features: tuple[Feature, ...]
    narratives: Mapping[str, Narrative]  # route id -> the narrative, for every readable file
    figures: tuple[Figure, ...]  # the statistics rows without a fault
    issues: tuple[FileIssue, ...]  # in file order, then line order
    context: Chapter | None = None  # the context chapter, when its file is there and readable
    glossary: Glossary | None = None
    further_reading: Page | None = None
    guide: Guide | None = None  # the teachers' guide (data/teach.md)
    catalogues: Mapping[str, Catalogue] = field(default_factory=dict)  # language -> its content

    @property
    def document(self) -> JsonDocument:
        return self.dataset.geojson


def parse_alone(kind: str, source: TextFile) -> list[Issue]:
    """The faults of one document parsed for its own form (`mapapp validate story.md`), by its
    kind (loading.document_kind): whether its links and places resolve needs the dataset."""
    if kind == "statistics":
        return parse_statistics(source.text)[1]
    if kind == "narrative":
        return parse_narrative(source.text, source.path.stem, source.path)[1]
    parser = {"context": parse_context, "glossary": parse_glossary, "page": parse_page}[kind]
    return parser(source.text, source.path)[1]


def parse(dataset: Dataset) -> Parsed:
    # NaN positions make shapely warn: the structure check reports them in its own words.
    with cycle_collection_paused(), np.errstate(invalid="ignore"):
        return _parse(dataset)


def _parse(dataset: Dataset) -> Parsed:
    data = dataset.geojson.data
    is_collection = isinstance(data, dict) and data.get("type") == "FeatureCollection"
    issues: list[FileIssue] = []
    narratives = {}
    for route_id, source in dataset.narratives.items():
        if isinstance(source, DataError):
            continue  # nothing to parse: the validator reports the DataError itself
        narratives[route_id], found = parse_narrative(source.text, route_id, source.path)
        issues += (FileIssue(source.path, issue) for issue in found)
    figures: list[Figure] = []
    if dataset.statistics is not None and not isinstance(dataset.statistics, DataError):
        figures, found = parse_statistics(dataset.statistics.text)
        issues += (FileIssue(dataset.statistics.path, issue) for issue in found)
    documents = {}
    for name, source, parser in (("context", dataset.context, parse_context),
                                 ("glossary", dataset.glossary, parse_glossary),
                                 ("further_reading", dataset.further_reading, parse_page)):
        if source is not None and not isinstance(source, DataError):
            documents[name], found = parser(source.text, source.path)
            issues += (FileIssue(source.path, issue) for issue in found)
    if dataset.teach is not None and not isinstance(dataset.teach, DataError):
        # A header that cannot be read has questions nobody can count: None, not 0.
        questions = {route_id: len(story.questions) if story.header_read else None
                     for route_id, story in narratives.items()}
        if "context" in documents:
            questions[CONTEXT_KEY] = len(documents["context"].questions)
        documents["guide"], found = parse_guide(dataset.teach.text, dataset.teach.path,
                                                questions)
        issues += (FileIssue(dataset.teach.path, issue) for issue in found)
    catalogues = {}
    for language, source in dataset.translations.items():
        if not isinstance(source, DataError):
            catalogues[language], found = read_catalogue(source.text, source.path, language)
            issues += (FileIssue(source.path, issue) for issue in found)
    return Parsed(dataset, is_collection, features(data), narratives, tuple(figures),
                  tuple(issues), **documents, catalogues=catalogues)


def features(data) -> tuple[Feature, ...]:
    """The features of a FeatureCollection, or a lone Feature as the only one."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        entries = data.get("features")
        if isinstance(entries, list):
            return _features(entries, [("features", index) for index in range(len(entries))])
    if isinstance(data, dict) and data.get("type") == "Feature":
        return _features([data], [()])
    return ()


def _features(entries: list, pointers: list[Pointer]) -> tuple[Feature, ...]:
    shapes = _shapes([value.get("geometry") if isinstance(value, dict) else None
                      for value in entries])
    return tuple(_feature(index, value, pointer, shape) for index, (value, pointer, shape)
                 in enumerate(zip(entries, pointers, shapes, strict=True)))


def _feature(index: int, value, pointer: Pointer, shape: BaseGeometry | None) -> Feature:
    if not isinstance(value, dict):
        return Feature(index, value, pointer, None, None, {}, None)
    feature_id = value.get("id")
    properties = value.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    layer = properties.get("layer")
    return Feature(index, value, pointer, feature_id if isinstance(feature_id, str) else None,
                   layer if isinstance(layer, str) else None, properties, shape)


def _shapes(geometries: list) -> list[BaseGeometry | None]:
    """Each geometry in shapely's terms, positions cut to [longitude, latitude]; None when
    shapely cannot read it (the structure and geometry checks say why).

    Points and lines, nearly all of the data, are built all at once, each kind in one call to
    shapely (one at a time takes many times longer); a kind whose positions are not all plain
    numbers is built one geometry at a time, as shapely.geometry.shape builds it."""
    shapes: list[BaseGeometry | None] = [None] * len(geometries)
    batches: dict[str, list[tuple[int, list]]] = {kind: [] for kind in _BUILDERS}
    for number, geometry in enumerate(geometries):
        if not isinstance(geometry, dict):
            continue
        try:
            flat = _flat(geometry)
        except Exception:  # any malformed geometry: reading it is not the place to say how
            continue
        if flat["type"] in batches and _in_one_piece(flat["type"], flat["coordinates"]):
            batches[flat["type"]].append((number, flat["coordinates"]))
        else:
            shapes[number] = _shape(flat)
    for kind, batch in batches.items():
        try:
            built = _BUILDERS[kind]([coordinates for _, coordinates in batch]) if batch else []
        except Exception:  # as for one geometry: shapely will say no more than the checks
            built = None
        if built is None:
            built = [_shape({"type": kind, "coordinates": coordinates}) for _, coordinates in batch]
        for (number, _), shape in zip(batch, built, strict=True):
            shapes[number] = shape
    return shapes


def _shape(flat: dict) -> BaseGeometry | None:
    try:
        return shapely_shape(flat)
    except Exception:  # any malformed geometry: reading it is not the place to say how
        return None


def _in_one_piece(kind: str, coordinates) -> bool:
    """Whether shapely makes a whole geometry of these (flat) coordinates, not an empty one or
    an error, when their positions are numbers: a point of two of them, lines of two or more
    positions each."""
    if kind == "Point":
        return type(coordinates) is list and len(coordinates) == 2
    if kind == "LineString":
        return len(coordinates) >= 2
    return len(coordinates) >= 1 and all(len(line) >= 2 for line in coordinates)


def _positions(positions: list) -> np.ndarray | None:
    """[x, y] positions as floats, as shapely would read each; None unless each is two plain
    numbers (JSON's numbers and booleans)."""
    try:
        xy = np.array(positions)
    except (ValueError, TypeError, OverflowError):  # ragged, or not numbers
        return None
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.dtype.kind not in "biuf":
        return None
    return xy.astype(float)


def _points(coordinates: list) -> np.ndarray | None:
    xy = _positions(coordinates)
    return None if xy is None else shapely.points(xy)


def _owners(groups: list) -> np.ndarray:
    """The group each member of `groups`, flattened, belongs to: shapely's `indices`."""
    return np.repeat(np.arange(len(groups)), [len(group) for group in groups])


def _lines(coordinates: list) -> np.ndarray | None:
    xy = _positions([position for line in coordinates for position in line])
    return None if xy is None else shapely.linestrings(xy, indices=_owners(coordinates))


def _multilines(coordinates: list) -> np.ndarray | None:
    lines = _lines([line for parts in coordinates for line in parts])
    return None if lines is None else shapely.multilinestrings(lines, indices=_owners(coordinates))


_BUILDERS = {"Point": _points, "LineString": _lines, "MultiLineString": _multilines}


def _flat(geometry: dict) -> dict:
    """The geometry with [longitude, latitude] positions only (shapely takes at most 3D)."""
    if geometry["type"] == "GeometryCollection":
        return {**geometry, "geometries": [_flat(g) for g in geometry["geometries"]]}

    def strip(value, depth):
        if depth == 1:  # the common case, without a call for each position
            return [position[:2] for position in value]
        return value[:2] if depth == 0 else [strip(item, depth - 1) for item in value]

    return {**geometry, "coordinates": strip(geometry["coordinates"], DEPTH[geometry["type"]])}
