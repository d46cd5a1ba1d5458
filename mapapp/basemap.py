"""The country base map, loaded in one place.

Every page draws the same country outlines (data/basemap/countries.geojson, built by
scripts/build_basemap.py from Natural Earth 1:10m), and validation needs them to check which
country a point is in.  Loading goes through here so the file is parsed once per process and
a missing or broken file gives one clear message instead of a GDAL traceback.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mapapp.loading import SHIPPED_BASEMAP, LoadError

if TYPE_CHECKING:  # imported when a map is loaded: `mapapp validate` does without it
    import geopandas as gpd

BASEMAP_PATH = SHIPPED_BASEMAP  # read when no other path is given
REBUILD_HINT = "rebuild it with scripts/build_basemap.py"


class BasemapError(LoadError):
    """The base map file is missing or cannot be read; the message is one human line."""


def load_basemap(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Countries as a GeoDataFrame (iso3, name, geometry) in EPSG:4326.

    Cached per resolved path: the result is shared, so treat it as read-only (`.copy()` it
    before changing anything).
    """
    return _load(Path(path or BASEMAP_PATH).resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
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


def country_names(path: str | Path | None = None) -> dict[str, str]:
    """iso3 -> English short name ("PRK" -> "North Korea"), for labels and messages."""
    frame = load_basemap(path)
    return dict(zip(frame["iso3"], frame["name"], strict=True))
