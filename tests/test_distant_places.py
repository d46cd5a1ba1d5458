"""A stage beyond the map's region (the UN refugee agency in Moscow): the one documented exception
to the region, a `distant` town of the base map (data/basemap/places.csv), which the validator
accepts at the base map's position and in a country its route lists, and nothing else; the web
map's configuration and the printed map keep to the route and point to it from their edge."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp import paths, printmap, region
from mapapp.cli import cli
from mapapp.model import load_atlas
from mapapp.web import create_app

DATA = paths.data_dir()
MOSCOW_STAGE = "place: Moscow @ 55.75, 37.62"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data that uses the shipped base map."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("basemap"))
    return copy


def validate(data: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", "--data", str(data / "routes.geojson")])
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_stage_in_moscow_is_a_distant_town():
    story = (DATA / "narratives" / "russia-route.md").read_text(encoding="utf-8")
    assert MOSCOW_STAGE in story
    assert not region.in_region(37.62, 55.75)


def test_a_distant_town_at_another_position_is_a_problem_at_the_stage(data):
    story = data / "narratives" / "russia-route.md"
    edit(story, MOSCOW_STAGE, "place: Moscow @ 55.7, 37.62")
    code, output = validate(data)
    assert code == 1
    assert re.search(r"russia-route\.md:\d+: stage \"The UN refugee agency in Moscow\" places "
                     r"Moscow at 55\.7, 37\.62, beyond the map's region, where the base map has "
                     r"it at 55\.75, 37\.62\n    hint: write `place: Moscow @ 55\.75, 37\.62`",
                     output), output


def test_a_distant_town_in_a_country_the_route_never_enters_is_a_problem(data):
    story = data / "narratives" / "sea-route.md"
    text = story.read_text(encoding="utf-8")
    first = re.search(r"^place: .*$", text, re.MULTILINE).group(0)
    edit(story, first, MOSCOW_STAGE)
    code, output = validate(data)
    assert code == 1
    assert re.search(r"sea-route\.md:\d+: stage \"[^\"]+\" is placed at Moscow, in RUS, a "
                     r"country route \"sea-route\" never enters", output), output


def test_any_other_town_beyond_the_region_is_still_a_problem(data):
    story = data / "narratives" / "russia-route.md"
    edit(story, MOSCOW_STAGE, "place: Minsk @ 53.9, 27.57")
    code, output = validate(data)
    assert code == 1
    assert ('stage "The UN refugee agency in Moscow" places the map outside the region it '
            "covers\n    hint: write `place: Town @ <latitude>, <longitude>` (latitude first); "
            "a town beyond the map is a `distant` row of data/basemap/places.csv") in output


@pytest.fixture(scope="module")
def atlas():
    return load_atlas(DATA / "routes.geojson")


def test_the_printed_map_keeps_to_the_route_and_points_to_moscow(atlas):
    """The frame holds the route's line (Moscow would stretch it over half of Asia), every
    numbered marker is on the paper, and stage 4 is an arrow at the edge with its town's name
    and its distance from Vladivostok, the stage before it."""
    route = atlas.route("russia-route")
    app = create_app({"MAPAPP_DATA": str(DATA / "routes.geojson"), "MAPAPP_WATCH": False})
    with app.test_request_context():
        svg = printmap.route_svg(atlas, route, "map")
    markers = re.findall(r'<g class="stage-marker"><circle cx="([\d.]+)" cy="([\d.]+)".*?>(\d+)<',
                         svg)
    assert [number for _x, _y, number in markers] == ["1", "2", "3", "5"]
    for x, y, _number in markers:
        assert 0 <= float(x) <= printmap.WIDTH and 0 <= float(y) <= printmap.HEIGHT
    (x2, y2), (x3, y3) = [(float(x), float(y)) for x, y, _number in markers[1:3]]
    assert math.dist((x2, y2), (x3, y3)) > 200, "Khabarovsk and Vladivostok drawn close together"
    pointer = re.search(r'<g class="distant-stage"><rect x="([\d.]+)" y="([\d.]+)" '
                        r'width="([\d.]+)".*?>4</text>.*?>Moscow, 6,400 km</text>.*?'
                        r'rotate\((-?[\d.]+)\)"/></g>', svg)
    assert pointer, "no pointer to Moscow"
    x, y, width, angle = map(float, pointer.groups())
    assert x <= printmap.EDGE_INSET + 1, "not at the western edge"
    assert y > 0 and x + width < printmap.WIDTH
    assert abs(abs(angle) - 180) < 30, "the arrow does not point west"


def test_the_korean_handout_points_to_moscow_in_korean():
    app = create_app({"MAPAPP_DATA": str(DATA / "routes.geojson"), "MAPAPP_WATCH": False})
    response = app.test_client().get("/ko/print/russia-route")
    assert response.status_code == 200
    pointer = re.search(r'<g class="distant-stage">.*?</g>', response.get_data(as_text=True))
    assert pointer and ">모스크바, 6,400km</text>" in pointer.group(0)
