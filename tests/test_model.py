"""mapapp.model: the Atlas the site reads, built only from data without problems."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from helpers import drop_context_and_glossary

from mapapp.basemap import load_basemap
from mapapp.loading import load_dataset
from mapapp.model import AtlasError, build, load_atlas
from mapapp.parsing import parse

SITE = Path(__file__).parent / "data" / "site" / "routes.geojson"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas(SITE)


def test_routes_keep_their_order_legs_modes_and_narratives(atlas):
    assert [route.id for route in atlas.routes] == ["southern-route", "northern-route",
                                                    "dmz-route"]
    southern = atlas.route("southern-route")
    assert southern.countries == ("PRK", "CHN", "LAO", "THA", "KOR")
    assert [leg.mode for leg in southern.legs] == ["land", "air"]
    assert southern.modes == ("land", "air")
    assert southern.legs[1].coordinates[0] == southern.legs[0].coordinates[-1], \
        "the flight leaves where the land journey ends"
    assert southern.narrative.route_id == "southern-route" and southern.narrative.stages
    assert southern.period[0] <= 2025 and southern.sources
    west, south, east, north = southern.bounds
    assert west < east and south < north
    dmz = atlas.route("dmz-route")
    assert [leg.mode for leg in dmz.legs] == ["land"], "no modes given: every leg is on land"
    assert atlas.route("no-such-route") is None


def test_crossings_dmz_and_places(atlas):
    musan = atlas.crossing("musan-nanping")
    assert (musan.countries, musan.river) == (("PRK", "CHN"), "Tumen")
    assert 129 < musan.lon < 130 and 42 < musan.lat < 43
    assert {feature.kind: (feature.geometry.geom_type, feature.schematic, feature.disputed)
            for feature in atlas.dmz} == {"zone": ("Polygon", False, False),
                                          "mdl": ("LineString", False, False),
                                          "nll": ("LineString", True, True)}
    stages = atlas.route("southern-route").narrative.stages
    assert [atlas.place_name(stage.place) for stage in stages[:2]] == ["Musan – Nanping", "China"]


def test_every_base_map_country_is_there_and_the_data_describes_some(atlas):
    basemap = load_basemap()
    assert [country.iso3 for country in atlas.countries] == list(basemap.iso3)
    described = atlas.described_countries
    assert {country.iso3 for country in described} == {"PRK", "CHN", "KOR", "MNG", "LAO", "THA"}
    assert all(country.role and country.policy and country.sources for country in described)
    russia = atlas.country("RUS")
    assert (russia.role, russia.sources) == (None, ()), "not described: a shape and a name"


def test_figures_by_series_in_year_order(atlas):
    arrivals = atlas.series("arrivals")
    assert [figure.period for figure in arrivals] == sorted(f.period for f in arrivals)
    assert arrivals[0].value == 583 and arrivals[0].source.url.startswith("https://")
    assert atlas.series("no-such-series") == ()


def test_the_atlas_is_frozen(atlas):
    with pytest.raises(dataclasses.FrozenInstanceError):
        atlas.routes = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        atlas.routes[0].title = "Changed"


def test_the_atlas_is_built_from_the_parsed_data_alone(atlas):
    """build() needs only what parsing gives: the same Atlas, without running a check."""
    assert build(parse(load_dataset(SITE))) == atlas


def test_data_with_problems_gives_no_atlas_but_every_problem(tmp_path):
    shutil.copytree(SITE.parent, tmp_path / "site")
    path = tmp_path / "site" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"][:2]:
        del feature["properties"]["summary"]
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(AtlasError) as raised:
        load_atlas(path)
    assert [problem.message for problem in raised.value.problems] == [
        'a route needs the property "summary"'] * 2
    message = str(raised.value)
    assert message.startswith(f"the data has 2 problems; the first: {path}:")
    assert message.endswith("(run `mapapp validate`)") and "\n" not in message


def test_the_context_chapter_and_the_glossary_are_in_the_atlas_frozen(atlas):
    context = atlas.context
    assert context.title == "Why people leave, and why most cannot"
    assert [section.title for section in context.sections] == [
        "The famine of the 1990s", "Why most never try"]
    assert all(section.sources for section in context.sections)
    assert [term.id for term in atlas.glossary.terms] == ["broker", "forced-return", "mdl"]
    assert atlas.glossary.term("mdl").term == "Military Demarcation Line (MDL)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.sections[0].title = "Changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        atlas.glossary.terms[0].term = "Changed"


def test_without_a_context_chapter_or_glossary_the_atlas_has_none(tmp_path):
    shutil.copytree(SITE.parent, tmp_path / "site")
    drop_context_and_glossary(tmp_path / "site")
    atlas = load_atlas(tmp_path / "site" / "routes.geojson")
    assert (atlas.context, atlas.glossary) == (None, None)
