"""mapapp.loading: where the data's files are, reading them, and the lines every problem names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mapapp import loading
from mapapp.basemap import BasemapError
from mapapp.loading import DataError, LoadError, data_file, load_dataset, read_json
from mapapp.model import AtlasError, load_atlas

DATA = Path(__file__).parent / "data"
PROJECT = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def valid(tmp_path) -> Path:
    """A writable copy of tests/data/valid; returns its routes.geojson."""
    shutil.copytree(DATA / "valid", tmp_path / "data")
    return tmp_path / "data" / "routes.geojson"


# -- where the files are ---------------------------------------------------------------------------
def test_the_default_data_is_the_projects_unless_mapapp_data_names_another(monkeypatch, tmp_path):
    monkeypatch.delenv("MAPAPP_DATA", raising=False)
    assert loading.default_data_path() == PROJECT / "routes.geojson"
    monkeypatch.setenv("MAPAPP_DATA", str(tmp_path / "mine.geojson"))
    assert loading.default_data_path() == tmp_path / "mine.geojson"


def test_load_dataset_without_a_path_reads_mapapp_data(monkeypatch, valid):
    monkeypatch.setenv("MAPAPP_DATA", str(valid))
    assert load_dataset().geojson.path == valid


def test_a_folder_means_its_routes_geojson(valid, tmp_path):
    assert data_file(valid.parent) == valid
    assert data_file(valid) == valid
    with pytest.raises(DataError, match=r"is a folder without a routes\.geojson"):
        data_file(tmp_path)


def test_the_base_map_beside_the_data_is_used_when_it_has_its_countries(valid):
    shipped = PROJECT / "basemap"
    assert loading.basemap_files(valid) == {
        layer: shipped / f"{layer}.geojson" for layer in loading.BASEMAP_LAYERS
        if layer == "countries" or (shipped / f"{layer}.geojson").exists()}
    beside = valid.parent / "basemap"
    beside.mkdir()
    (beside / "rivers.geojson").write_text("{}")
    assert loading.basemap_files(valid)["countries"] == shipped / "countries.geojson", \
        "rivers alone do not make a base map"
    (beside / "countries.geojson").write_text("{}")
    assert loading.basemap_files(valid) == {"countries": beside / "countries.geojson",
                                            "rivers": beside / "rivers.geojson"}
    assert load_dataset(valid).basemap_path == beside / "countries.geojson"


def test_input_files_name_every_file_the_data_is_read_from_even_before_it_exists(valid):
    folder = valid.parent
    files = loading.input_files(valid)
    assert files[0] == valid
    for name in ("statistics.csv", "context.md", "glossary.md", "translations/ko.po",
                 "narratives/test-route.md"):
        assert folder / name in files
    assert PROJECT / "basemap" / "countries.geojson" in files
    (folder / "narratives" / "another-route.md").write_text("## A stage\n")
    assert folder / "narratives" / "another-route.md" in loading.input_files(valid)


# -- reading ---------------------------------------------------------------------------------------
def test_the_dataset_holds_the_files_beside_the_geojson(valid):
    dataset = load_dataset(valid)
    assert list(dataset.narratives) == ["test-route"]
    assert dataset.narratives["test-route"].text.startswith("---")
    assert dataset.statistics.path == valid.parent / "statistics.csv"
    assert (dataset.context, dataset.glossary, dataset.translations) == (None, None, {})
    (valid.parent / "context.md").write_text("# Why people leave\n", encoding="utf-8")
    (valid.parent / "translations").mkdir()
    (valid.parent / "translations" / "ko.po").write_text('msgid ""\nmsgstr ""\n')
    dataset = load_dataset(valid)
    assert dataset.context.text == "# Why people leave\n"
    assert list(dataset.translations) == ["ko"]


def test_an_unreadable_file_beside_the_geojson_is_kept_as_its_error_not_raised(valid):
    (valid.parent / "narratives" / "test-route.md").write_bytes(b"## Stage\n\xff\n")
    (valid.parent / "statistics.csv").unlink()
    dataset = load_dataset(valid)
    error = dataset.narratives["test-route"]
    assert isinstance(error, DataError) and error.line == 2
    assert "is not UTF-8 text (byte 0xff cannot be decoded)" in error.message
    assert dataset.statistics is None


@pytest.mark.parametrize("content, message, line", [
    (b"", "is empty: a FeatureCollection is expected", None),
    (b'{"type": "FeatureCollection",\n "features": [\n', "ends before the JSON is complete", 3),
    (b'{\n  "type": \xe9\n}', "is not UTF-8 text (byte 0xe9 cannot be decoded)", 2),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply", None),
])
def test_a_geojson_that_cannot_be_read_raises_one_line_with_its_line(tmp_path, content, message,
                                                                      line):
    path = tmp_path / "routes.geojson"
    path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        read_json(path)
    assert message in raised.value.message
    assert raised.value.line == line
    assert "\n" not in str(raised.value)


def test_lines_are_found_for_members_positions_and_duplicate_keys(tmp_path):
    path = tmp_path / "routes.geojson"
    path.write_text(
        '\ufeff{"type": "FeatureCollection", "features": [\n'
        '  {"type": "Feature", "id": "a",\n'
        '   "properties": {"layer": "route", "layer": "crossing"},\n'
        '   "geometry": {"type": "LineString", "coordinates": [\n'
        "     [129.1, 42.1],\n"
        "     [129.2, 42.2]]}}]}\n", encoding="utf-8")
    document = read_json(path)
    assert document.has_bom
    assert document.data["features"][0]["properties"] == {"layer": "crossing"}
    assert document.duplicate_keys == [("features", 0, "properties", "layer")]
    assert document.line(("features", 0, "properties", "layer")) == 3
    assert document.line(("features", 0, "geometry", "coordinates", 1)) == 6
    assert document.line(("features", 0, "no-such-member")) == 2  # its nearest ancestor


def test_lines_are_found_on_demand_without_a_duplicate_key(tmp_path):
    path = tmp_path / "routes.geojson"
    features = [{"type": "Feature", "id": f"f{i}", "properties": {"name": "x\ny"},
                 "geometry": None} for i in range(3)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
    document = read_json(path)
    assert document.positions is None, "nothing is walked before a line is asked for"
    text = path.read_text().splitlines()
    assert text[document.line(("features", 2, "id")) - 1].strip() == '"id": "f2",'


def test_the_version_changes_with_any_input_and_not_with_the_folder(valid, tmp_path):
    first = load_dataset(valid).version()
    shutil.copytree(valid.parent, tmp_path / "copy")
    assert load_dataset(tmp_path / "copy" / "routes.geojson").version() == first
    versions = {first}
    for name, text in (("narratives/test-route.md", "\n"), ("statistics.csv", "\n"),
                       ("context.md", "# Context\n"), ("glossary.md", "# Glossary\n")):
        with (valid.parent / name).open("a", encoding="utf-8") as file:
            file.write(text)
        versions.add(load_dataset(valid).version())
    assert len(versions) == 5


# -- one error type ------------------------------------------------------------------------------
def test_every_reason_the_data_cannot_be_used_is_a_load_error(valid):
    assert issubclass(DataError, LoadError) and issubclass(BasemapError, LoadError)
    (valid.parent / "narratives" / "test-route.md").unlink()
    with pytest.raises(LoadError) as raised:
        load_atlas(valid)
    assert isinstance(raised.value, AtlasError)
    assert str(raised.value).startswith("the data has 1 problem; the first: ")
    valid.write_text("")
    with pytest.raises(LoadError) as raised:
        load_atlas(valid)
    assert isinstance(raised.value, DataError)
