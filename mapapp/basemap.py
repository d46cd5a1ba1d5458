"""The base map, loaded in one place: the countries, and the rivers, towns and labels drawn
over them.

Every page draws the same country outlines (the base map's countries, built by
scripts/build_basemap.py from Natural Earth 1:10m), and validation needs them to check which
country a point is in. mapapp.loading says where the files are and reads them; this module
turns them into shapes once per version of a file, and a missing or broken file into one clear
message instead of a GDAL traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from mapapp.loading import SHIPPED_BASEMAP, LoadError, read_basemap_layer

if TYPE_CHECKING:  # imported when a map is loaded: `mapapp validate` does without it
    import geopandas as gpd

BASEMAP_PATH = SHIPPED_BASEMAP  # read when no other path is given
REBUILD_HINT = "rebuild it with scripts/build_basemap.py"


class BasemapError(LoadError):
    """The base map file is missing or cannot be read; the message is one human line."""


def load_basemap(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Countries as a GeoDataFrame (iso3, name, geometry) in EPSG:4326.

    Cached per file and modification time: the result is shared, so treat it as read-only
    (`.copy()` it before changing anything).
    """
    return _load(*_version(path))


@dataclass(frozen=True, eq=False)  # one per version of the file, so compared by identity
class CountryShapes:
    codes: tuple[str, ...]  # ISO3
    shapes: tuple[BaseGeometry, ...]


def country_shapes(path: str | Path | None = None) -> CountryShapes:
    """The countries' ISO codes and shapes, for the checks; BasemapError when unusable."""
    return _country_shapes(*_version(path))


def _version(path: str | Path | None) -> tuple[Path, int]:
    """The file and its modification time: a rebuilt base map is read again."""
    path = Path(path or BASEMAP_PATH).resolve()
    try:
        return path, os.stat(path).st_mtime_ns
    except OSError:
        return path, 0  # reading it says what is wrong


@lru_cache(maxsize=8)
def _country_shapes(path: Path, mtime: int) -> CountryShapes:
    countries = _plain_country_shapes(path)
    if countries is None:  # not as the build writes it: load_basemap says what is wrong
        frame = _load(path, mtime)
        countries = CountryShapes(tuple(frame.iso3), tuple(frame.geometry))
    flat = [code for code, country in zip(countries.codes, countries.shapes, strict=True)
            if country is None or country.geom_type not in ("Polygon", "MultiPolygon")]
    if flat:
        raise BasemapError(f"base map {path} is not usable ({flat[0]} is not drawn as an area); "
                           f"{REBUILD_HINT}")
    return countries


def _plain_country_shapes(path: Path) -> CountryShapes | None:
    """The file as scripts/build_basemap.py writes it, read with json and shapely alone
    (geopandas takes longer to import than validating the shipped data does); None for any
    other file."""
    try:
        document = read_basemap_layer(path)
        features = document["features"]
        properties = [feature["properties"] for feature in features]
        if document["type"] == "FeatureCollection" and features and all(
                isinstance(props["iso3"], str) and "name" in props and "geometry" not in props
                and feature["geometry"]
                for feature, props in zip(features, properties, strict=True)):
            return CountryShapes(tuple(props["iso3"] for props in properties),
                                 tuple(shape(feature["geometry"]) for feature in features))
    except Exception:  # broken in some way
        pass
    return None


@lru_cache(maxsize=8)
def _load(path: Path, mtime: int) -> gpd.GeoDataFrame:
    import geopandas as gpd  # here: `mapapp validate` does without it

    try:
        document = read_basemap_layer(path)
    except FileNotFoundError:
        raise BasemapError(f"base map {path} is missing; {REBUILD_HINT}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BasemapError(f"base map {path} cannot be read ({exc}); {REBUILD_HINT}") from None
    except ValueError as exc:
        raise BasemapError(f"base map {path} is not JSON ({exc}); {REBUILD_HINT}") from None
    try:
        if document.get("type") != "FeatureCollection":
            raise ValueError("not a GeoJSON FeatureCollection")
        frame = gpd.GeoDataFrame.from_features(document["features"], crs="EPSG:4326")
        frame = frame[["iso3", "name", "geometry"]]
    except Exception as exc:  # any shape of broken content: one message, not a traceback
        reason = f"{type(exc).__name__}: {exc}"
        raise BasemapError(f"base map {path} is not usable ({reason}); {REBUILD_HINT}") from None
    return frame.reset_index(drop=True)


def layer_features(path: Path | None) -> tuple[dict, ...]:
    """The features of a layer the base-map build writes beside the countries (rivers, towns,
    labels), as GeoJSON dicts; () when the layer has not been built. Cached per version of the
    file; BasemapError when it cannot be read."""
    return () if path is None else _layer_features(*_version(path))


@lru_cache(maxsize=16)
def _layer_features(path: Path, mtime: int) -> tuple[dict, ...]:
    try:
        document = read_basemap_layer(path)
        features = document["features"]
        if document["type"] != "FeatureCollection" or not all(
                isinstance(feature["properties"], dict) and feature["geometry"]
                for feature in features):
            raise ValueError("not a FeatureCollection whose features all have a geometry")
    except FileNotFoundError:
        raise BasemapError(f"base map layer {path} is missing; {REBUILD_HINT}") from None
    except Exception as exc:  # any shape of broken content: one message, not a traceback
        reason = f"{type(exc).__name__}: {exc}"
        raise BasemapError(f"base map layer {path} is not usable ({reason}); "
                           f"{REBUILD_HINT}") from None
    return tuple(features)


def country_names(path: str | Path | None = None) -> dict[str, str]:
    """iso3 -> English short name ("PRK" -> "North Korea"), for labels and messages."""
    frame = load_basemap(path)
    return dict(zip(frame["iso3"], frame["name"], strict=True))
