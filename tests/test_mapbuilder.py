"""The map as the site draws it (mapapp.mapbuilder): the base map made lighter for the web without
gaps or spikes, and the first view left to the page so that every layer is drawn once.

The shipped base map is used, as it is the one whose outlines matter.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from helpers import SITE_DATA
from shapely.geometry import box

from mapapp import mapbuilder, paths, region
from mapapp.basemap import load_basemap
from mapapp.model import load_atlas

SHIPPED = list(load_basemap().geometry)


@pytest.fixture(scope="module")
def web():
    return mapbuilder.web_outlines(SHIPPED)


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


def test_no_gap_or_overlap_opens_between_neighbours(web):
    tree = shapely.STRtree(web)
    for i, country in enumerate(web):
        for j in tree.query(country):
            if j > i:
                assert country.intersection(web[j]).area < 1e-9, (i, j)
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


def test_the_site_map_leaves_its_first_view_to_the_page_and_draws_the_web_outlines():
    atlas = load_atlas(SITE_DATA)
    script = mapbuilder.build_map(atlas, "/leaflet.js", "/leaflet.css").script
    assert re.search(r"L\.map\(\s*\"map_routes\",\s*\{\s*center: null,", script)
    numbers = re.findall(r"\[(\d+\.\d+), (\d+\.\d+)\]", script.split("geo_json_countries_add(")[1])
    far = [(x, y) for x, y in numbers if not region.FULL_DETAIL[0] <= float(x)
           <= region.FULL_DETAIL[2]]
    assert far and sum(len(x.split(".")[1]) <= 2 for x, _ in far) > 0.9 * len(far)
