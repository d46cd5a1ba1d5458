"""The map as the site draws it (mapapp.mapbuilder): the base map made lighter for the web without
gaps or spikes, a coarse copy for the far zooms, the names by zoom, the stages and barriers in the
page's configuration, and the first view left to the page so that every layer is drawn once.

The shipped base map is used for the outlines, as it is the one whose outlines matter; the site
data (tests/data/site) for what the data draws.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from mapapp import mapbuilder, paths, region, style
from mapapp.basemap import load_basemap
from mapapp.region import METRES_PER_DEGREE

SHIPPED = list(load_basemap().geometry)


@pytest.fixture(scope="module")
def web():
    return mapbuilder.web_outlines(SHIPPED)


@pytest.fixture(scope="module")
def coarse(web):
    return mapbuilder.coarse_outlines(web)


@pytest.fixture(scope="module")
def parts(site_atlas):
    return mapbuilder.build_map(site_atlas, "/leaflet.js", "/leaflet.css")


def script_data(script: str, name: str):
    """The value a `var name = …;` line of a map script declares, as JSON."""
    found = re.search(rf"var {name} = (.*?);\n", script, flags=re.S)
    assert found, f"{name} is not declared"
    return json.loads(found[1])


def vertices(shapes) -> int:
    return sum(len(shapely.get_coordinates(s)) for s in shapes)


# -- the base map --------------------------------------------------------------------------------
def test_full_detail_window_is_the_one_the_base_map_was_built_with():
    notice = (paths.data_dir() / "basemap" / "NOTICE").read_text()
    west, south, east, north = region.FULL_DETAIL
    assert f"(lon {west}-{east}, lat {south}-{north})" in notice


def test_web_outlines_are_valid_and_within_rounding_of_the_shipped_ones(web):
    assert len(web) == len(SHIPPED)
    for shipped, drawn in zip(SHIPPED, web, strict=True):
        assert drawn.is_valid and drawn.geom_type == shipped.geom_type
        assert shapely.hausdorff_distance(shipped, drawn) <= 0.005 * 2 ** 0.5 + 1e-9
        assert abs(drawn.area - shipped.area) <= 0.01 * shipped.length + 1e-9


def test_web_outlines_round_far_from_korea_and_keep_the_korean_borders_whole(web):
    window = box(*region.FULL_DETAIL)
    rounded = kept = 0
    for shipped, drawn in zip(SHIPPED, web, strict=True):
        before, after = shapely.get_coordinates(shipped), shapely.get_coordinates(drawn)
        assert before.shape == after.shape  # same vertices, moved at most by rounding
        inside = shapely.contains_xy(window, before[:, 0], before[:, 1]) | shapely.intersects_xy(
            window.boundary, before[:, 0], before[:, 1])
        assert (after[inside] == before[inside]).all()
        two_decimals = np.isclose(after[~inside], np.round(after[~inside], 2), atol=1e-9,
                                  rtol=0).all(axis=1)
        rounded += two_decimals.sum()
        kept += (~two_decimals).sum()
    assert rounded > 10 * kept, "all but a few spots around thin capes and islets are rounded"


def assert_neighbours_share_their_borders(original, drawn):
    tree = shapely.STRtree(drawn)
    for i, country in enumerate(drawn):
        for j in tree.query(country):
            if j > i:
                assert country.intersection(drawn[j]).area < 1e-9, (i, j)
    original_border = drawn_border = 0.0
    original_tree = shapely.STRtree(original)
    for i, country in enumerate(original):
        for j in original_tree.query(country):
            if j > i and original[i].touches(original[j]):
                original_border += bool(country.boundary.intersection(original[j].boundary).length)
                drawn_border += bool(drawn[i].boundary.intersection(drawn[j].boundary).length)
    assert drawn_border == original_border, "every land border is still shared"


def test_no_gap_or_overlap_opens_between_neighbours(web):
    assert_neighbours_share_their_borders(SHIPPED, web)
    shipped_border = drawn_border = 0.0
    shipped_tree = shapely.STRtree(SHIPPED)
    for i, country in enumerate(SHIPPED):
        for j in shipped_tree.query(country):
            if j > i:
                shipped_border += country.boundary.intersection(SHIPPED[j].boundary).length
                drawn_border += web[i].boundary.intersection(web[j].boundary).length
    assert drawn_border == pytest.approx(shipped_border, rel=0.001), "shared borders stay shared"
    holes = sum(len(part.interiors) for part in shapely.union_all(web).geoms)
    assert holes == sum(len(part.interiors) for part in shapely.union_all(SHIPPED).geoms)


def test_the_coarse_copy_is_light_valid_and_keeps_neighbours_together(web, coarse):
    assert len(coarse) == len(web) and all(shape.is_valid and not shape.is_empty
                                           for shape in coarse)
    assert vertices(coarse) < 0.4 * vertices(web)
    assert_neighbours_share_their_borders(web, coarse)
    # Off by a pixel or two where it is drawn (360° / 256 px / 2^zoom a pixel, at the last
    # coarse zoom): no land where there is none, no land missing but a few square pixels.
    pixel = 360 / 256 / 2 ** (mapbuilder.DETAIL_ZOOM - 0.5)
    for full, light in zip(web, coarse, strict=True):
        assert light.difference(full.buffer(2 * pixel)).area < 1e-6
        for part in getattr(full, "geoms", [full]):
            if part.area >= mapbuilder.COARSE_TOLERANCE ** 2:
                assert part.difference(light.buffer(2 * pixel)).area < 8 * pixel ** 2
    for full, light in zip(web, coarse, strict=True):
        kept = {tuple(v) for v in shapely.get_coordinates(full).tolist()}
        assert {tuple(v) for v in shapely.get_coordinates(light).tolist()} <= kept, (
            "vertices are only dropped, never moved")


def unprojected(steps: list[int]) -> np.ndarray:
    """A ring or line of the base map's data back in longitude and latitude."""
    size = 256 * 2 ** mapbuilder.BASE_ZOOM
    x, y = np.cumsum(np.reshape(steps, (-1, 2)), axis=0).T / size
    return np.column_stack([x * 360 - 180,
                            np.degrees(2 * np.arctan(np.exp((0.5 - y) * 2 * np.pi)) - np.pi / 2)])


def test_projected_is_web_mercator_pixels_as_first_point_and_steps():
    size = 256 * 2 ** mapbuilder.BASE_ZOOM
    [line] = mapbuilder.projected(shapely.LineString([(0, 0), (0, 0), (90, 0), (90, 66.51326)]))
    assert line == [size // 2, size // 2, size // 4, 0, 0, -size // 4]
    seoul = shapely.Point(126.98, 37.57).buffer(0.5)
    [ring] = mapbuilder.projected(seoul)
    unit = 360 / size  # degrees of longitude in a step: a quarter of a pixel at zoom 8
    assert np.abs(unprojected(ring) - shapely.get_coordinates(seoul)).max() <= unit / 2


def test_the_first_script_carries_the_coarse_base_map_and_the_detail_is_a_script_of_its_own(
        parts, site_atlas, coarse):
    assert re.search(r"L\.map\(\s*\"map_routes\",\s*\{\s*center: null,", parts.script)
    assert "L.canvas(" not in parts.script
    names = parts.config["base"]
    assert names["detailZoom"] == mapbuilder.DETAIL_ZOOM
    base = script_data(parts.script, names["coarse"])
    detail = script_data(parts.detail_script, names["detail"])
    assert base["zoom"] == detail["zoom"] == mapbuilder.BASE_ZOOM
    for data, shapes in ((base, coarse), (detail, mapbuilder.web_outlines(SHIPPED))):
        assert [country[0] for country in data["countries"]] == [
            style.ROLE_FILLS[country.role] for country in site_atlas.countries]
        assert [country[1] for country in data["countries"]] == [
            mapbuilder._text(style.country_label(c.name, c.role)) for c in site_atlas.countries]
        for (_, _, rings), shape in zip(data["countries"], shapes, strict=True):
            drawn = np.concatenate([unprojected(ring) for ring in rings])
            assert len(rings) == len(mapbuilder._lines(shape))
            assert shapely.hausdorff_distance(shapely.MultiPoint(drawn), shapely.MultiPoint(
                shapely.get_coordinates(shape))) < 0.001, "within a step, a quarter pixel at 8"
    assert [river[0] for river in base["rivers"]] == [r.min_zoom for r in site_atlas.rivers]
    assert "rivers" not in detail
    assert len(parts.detail_script) > 2 * len(json.dumps(base["countries"]))


# -- names ---------------------------------------------------------------------------------------
def test_every_name_of_the_base_map_is_a_label_row_with_its_zoom_and_side(parts, site_atlas):
    rows = script_data(parts.script, parts.config["labels"])
    labels, towns = rows[:len(site_atlas.labels)], rows[-len(site_atlas.towns):]
    for label, row in zip(site_atlas.labels, labels, strict=True):
        assert row == [label.lat, label.lon, label.min_zoom, label.kind, label.anchor, label.name]
    for town, row in zip(site_atlas.towns, towns, strict=True):
        kind = "capital" if town.capital else "town"
        assert row == [town.lat, town.lon, town.min_zoom, kind, town.anchor, town.name]
    assert {row[3] for row in rows} == {"country", "river", "region", "town", "capital"}
    assert all(row[2] >= mapbuilder.MIN_ZOOM for row in rows)


def test_a_river_is_named_beside_each_crossing_area_on_it(parts, site_atlas):
    rows = script_data(parts.script, parts.config["labels"])
    rivers = {river.name: river for river in site_atlas.rivers}
    beside = [row for row in rows if row[3] == "river" and row[2] == mapbuilder.CROSSING_ZOOM]
    crossings = [c for c in site_atlas.crossings if c.river in rivers]
    assert {"Tumen", "Yalu"} <= {c.river for c in crossings}
    area = style.CROSSING_RADIUS_M / METRES_PER_DEGREE
    for crossing in crossings:
        centre = Point(crossing.lon, crossing.lat)
        near = [Point(row[1], row[0]) for row in beside if row[5] == crossing.river]
        nearest = min(near, key=centre.distance)
        assert area < centre.distance(nearest) < 3 * mapbuilder.RIVER_NAME_OFFSET
        assert rivers[crossing.river].geometry.distance(nearest) < 0.01, "on the river"
    assert all(round(row[0], 2) == row[0] and round(row[1], 2) == row[1] for row in beside)


def test_names_are_escaped_and_in_the_language_asked_for(site_atlas):
    english = mapbuilder.build_map(site_atlas, "/l.js", "/l.css")
    korean = mapbuilder.build_map(site_atlas, "/l.js", "/l.css", lang="ko")
    rows_en = script_data(english.script, english.config["labels"])
    rows_ko = script_data(korean.script, korean.config["labels"])
    by_name = {town.name: town.name_ko for town in site_atlas.towns}
    assert [row[:5] for row in rows_en] == [row[:5] for row in rows_ko]
    for en, ko in zip(rows_en, rows_ko, strict=True):
        if en[3] in ("town", "capital"):
            assert ko[5] == by_name[en[5]]
    assert "북한" in [row[5] for row in rows_ko]
    assert mapbuilder._text("<b>{{ 7 * 7 }}</b>") == (
        "&lt;b&gt;&#123;&#123; 7 * 7 &#125;&#125;&lt;/b&gt;")


# -- stages, barriers, periods -------------------------------------------------------------------
def test_each_stage_has_its_numbered_marker_name_and_the_names_it_covers(parts, site_atlas):
    rows = script_data(parts.script, parts.config["labels"])
    for route in site_atlas.routes:
        stages = parts.config["routes"][route.id]["stages"]
        points = site_atlas.stage_points(route)
        assert len(stages) == len(route.narrative.stages) == len(points)
        for number, (stage, entry, point) in enumerate(
                zip(route.narrative.stages, stages, points, strict=True), start=1):
            assert entry["marker"] == [round(point.y, 4), round(point.x, 4)]
            place = site_atlas.place_name(stage.place)
            assert entry["name"] == f"Stage {number}: {stage.title} ({place})"
            for index in entry["names"]:
                assert rows[index][3] in ("town", "capital", "region")
                assert Point(rows[index][1], rows[index][0]).distance(point) <= 0.1
            if stage.place.kind == "point":
                assert stage.place.ref in [rows[index][5] for index in entry["names"]]
    southern = parts.config["routes"]["southern-route"]["stages"]
    covered = [rows[index][5] for index in southern[0]["names"]]
    assert {"Musan", "Nanping"} <= set(covered), "a crossing's towns step aside for its marker"


def test_barriers_are_drawn_under_their_ids_and_no_period_reaches_the_browser(parts,
                                                                                 site_atlas):
    """Which routes and barriers a year shows is decided once, on the server (the year control's
    and the timeline's lists of ids): the browser is not given the periods to decide it again."""
    assert site_atlas.barriers
    name = parts.config["barriers"]
    features = parts.script.split(f"{name}_add(")[1].split(");\n")[0]
    drawn = {f["id"] for f in json.loads(features)["features"]}
    assert drawn == {barrier.id for barrier in site_atlas.barriers}
    assert "period" not in json.dumps(parts.config) and '"period"' not in parts.script
    assert '"className": "barrier barrier-' in parts.script


def test_without_barriers_there_is_no_barrier_layer(site_atlas):
    bare = dataclasses.replace(site_atlas, barriers=())
    config = mapbuilder.build_map(bare, "/l.js", "/l.css").config
    assert config["barriers"] is None
    assert "Border fence" not in [entry.label for entry in style.legend(bare)]


def test_the_legend_explains_every_mark_of_the_map(site_atlas):
    labels = [entry.label for entry in style.legend(site_atlas)]
    for expected in ("River", "Town", "Capital", "Border fence, wall or guard posts",
                     "Stage of the chosen route, numbered as in its story"):
        assert expected in labels
    shapes = {entry.shape for entry in style.legend(site_atlas)}
    assert {"town", "capital", "stage", "line", "area", "circle"} <= shapes
