"""scripts/draw_barrier.py: a barrier drawn from the base map's border is one the validator
accepts (on the border, 2 decimals), for a stretch between two points, around points, or the
whole border; a country that is not on the base map is one line, not a traceback."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from mapapp.validation import validate_path

SCRIPT = ROOT / "scripts" / "draw_barrier.py"
VALID = Path(__file__).parent / "data" / "valid"


def draw(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *arguments], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("stretches, kind", [
    (["124.39,40.15..124.52,40.22"], "LineString"),  # from Dandong upstream
    (["129.21,42.24:10", "129.74,42.46:10"], "MultiLineString"),  # around two crossings
    ([], "LineString"),  # the whole PRK–CHN border
])
def test_a_drawn_barrier_passes_the_validator(tmp_path, stretches, kind):
    result = draw("PRK", "CHN", *stretches)
    assert result.returncode == 0, result.stderr
    geometry = json.loads(result.stdout)
    assert geometry["type"] == kind
    parts = geometry["coordinates"] if kind == "MultiLineString" else [geometry["coordinates"]]
    positions = [position for part in parts for position in part]
    assert all(round(number, 2) == number for position in positions for number in position)
    assert all(a != b for part in parts for a, b in itertools.pairwise(part))
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    [barrier] = [f for f in document["features"] if f["id"] == "test-barrier"]
    barrier["geometry"] = geometry
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert validate_path(path) == []


def test_a_country_off_the_base_map_is_one_line():
    result = draw("PRK", "FRA")
    assert result.returncode == 1
    assert result.stderr.strip() == "FRA is not a country of the base map"


def test_help_says_how_to_give_a_stretch():
    result = draw("--help")
    assert result.returncode == 0
    assert "LON,LAT:KM" in result.stdout and "LON,LAT..LON,LAT" in result.stdout
