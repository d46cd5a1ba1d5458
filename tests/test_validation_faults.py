"""Every fault class of the validator, pinned to its exact message, check and line.

Each file in tests/data/faults/ is the valid dataset of tests/data/valid/ with one fault (see
tests/data/README.md); the narrative and statistics faults have their own fixtures.
"""

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp import contract
from mapapp.cli import cli, main

DATA = Path(__file__).parent / "data"
FAULTS = DATA / "faults"

# (fixture, line, check, feature, message): one row per expected problem, nothing more.
EXPECTED = [
    ('geometry-clockwise-ring', 116, 'geometry', 'feature "dmz-zone"', "the polygon's exterior ring does not run counter-clockwise, as RFC 7946's right-hand rule requires"),
    ('geometry-one-point-line', 28, 'geometry', 'feature "test-route"', 'a line has 2 position(s) but fewer than 2 distinct ones'),
    ('geometry-self-intersection', 113, 'geometry', 'feature "dmz-zone"', 'is not a valid geometry: self-intersection at [127.55, 38.2]'),
    ('geometry-unclosed-ring', 116, 'geometry', 'feature "dmz-zone"', "the polygon's exterior ring is not closed: it ends at [126.5, 38.8], not at its first position [126.5, 37.6]"),
    ('reference-country-without-feature', 11, 'reference', 'feature "test-route"', 'lists CHN, which has no country feature'),
    ('reference-country-without-feature', 42, 'reference', 'feature "musan-nanping"', 'lists CHN, which has no country feature'),
    ('reference-missing-narrative', 35, 'reference', 'feature "second-route"', 'has no narrative'),
    ('reference-event-before-route', 144, 'reference', 'feature "test-event"', 'happened in 1996, but route "test-route" was in use only from 1998'),
    ('reference-event-unknown-route', 144, 'reference', 'feature "test-event"', 'lists route "test-rout", but that id names no feature'),
    ('reference-unknown-crossing', 12, 'reference', 'feature "test-route"', 'uses crossing "hyesan-changbai", but that id names no feature'),
    ('safety-phone-number', 85, 'safety', 'feature "country-chn"', 'a text holds a phone number'),
    ('safety-precision', 30, 'safety', 'feature "test-route"', 'position [129.2134, 42.2401] is more precise than 2 decimals'),
    ('safety-precision', 54, 'safety', 'feature "musan-nanping"', 'position [129.2134, 42.2401] is more precise than 2 decimals'),
    ('safety-title-marks-broker', 9, 'safety', 'feature "test-route"', 'its title marks "broker"; the map must not mark shelters, churches, brokers, guides or contacts'),
    ('safety-unknown-layer', 12, 'reference', 'feature "test-route"', 'uses crossing "musan-nanping", but that id names a shelter, not a crossing'),
    ('safety-unknown-layer', 39, 'safety', 'feature "musan-nanping"', f'has the layer "shelter"; only {", ".join(contract.LAYERS)} are allowed'),
    ('test-route.md', 10, 'reference', None, 'stage "Across the Tumen" goes to crossing "musan-nanping", which the data does not have'),
    ('schema-altitude', 54, 'schema', 'feature "musan-nanping"', 'position [129.21, 42.24, 300] has 3 numbers; this map uses [longitude, latitude] only'),
    ('schema-barrier-period-backwards', 105, 'schema', 'feature "test-barrier"', f'"period.to" must be null or a year from 2006 to {contract.this_year()}, found 2003'),
    ('schema-chart-label-long', 145, 'schema', 'feature "test-event"', '"chart_label" has 33 characters; a label beside the chart has at most 24'),
    ('schema-event-month', 143, 'schema', 'feature "test-event"', '"month" must be a month from 1 to 12, found 13'),
    ('schema-event-year', 132, 'schema', 'feature "test-event"', f'"year" must be a year between 1945 and {contract.this_year()}, found 2099'),
    ('schema-bad-id', 79, 'schema', 'feature "Country CHN"', 'the id "Country CHN" has characters other than lowercase letters, digits and single hyphens'),
    ('schema-bare-feature', 1, 'schema', None, 'the file holds a single Feature, not a FeatureCollection'),
    ('schema-countries-not-from-prk', 11, 'schema', 'feature "test-route"', "a route's countries start with PRK, where every route begins"),
    ('schema-countries-not-from-prk', 11, 'spatial', 'feature "test-route"', 'the line passes through PRK → CHN, but its countries are CHN → PRK'),
    ('schema-crossing-as-line', 53, 'schema', 'feature "musan-nanping"', 'a crossing is drawn as a Point, not a LineString'),
    ('schema-duplicate-id', 79, 'schema', 'feature "country-prk"', 'the id "country-prk" is already used by the feature on line 57'),
    ('schema-javascript-url', 91, 'schema', 'feature "country-chn"', "a source's url 'javascript:alert(1)' is not an http or https address"),
    ('schema-missing-summary', 7, 'schema', 'feature "test-route"', 'a route needs the property "summary"'),
    ('schema-source-mirror', 71, 'schema', 'feature "country-prk"', "a source's url 'https://www.everycrsreport.com/reports/RL34189.html' is a copy on everycrsreport.com (republishes Congressional Research Service reports), not the original publication"),
    ('schema-source-mirror', 92, 'schema', 'feature "country-chn"', "a source's via 'www.refworld.org/docid/3e54bb4e4.html' is not an http or https address"),
    ('schema-unknown-property', 51, 'schema', 'feature "musan-nanping"', 'has an unknown property "sorces" for a crossing'),
    ('spatial-barrier-off-border', 117, 'spatial', 'feature "test-barrier"', 'a stretch of the barrier lies 10.7 km from a border between two countries of the base map'),
    ('spatial-crossing-off-border', 52, 'spatial', 'feature "musan-nanping"', 'lies 25.0 km from the outline of PRK; a crossing must lie within 5 km of the border between PRK and CHN'),
    ('spatial-mdl-off-border', 113, 'spatial', 'feature "mdl"', 'a vertex of the line lies 51.7 km from the border between PRK and KOR'),
    ('spatial-route-countries', 11, 'spatial', 'feature "test-route"', 'the line passes through CHN → PRK, but its countries are PRK → CHN'),
    ('spatial-swapped-in-range', 54, 'spatial', 'feature "musan-nanping"', "position [42.24, 89.5] lies outside the map's region but inside it when read the other way round: did you swap longitude and latitude?"),
    ('structure-bom', 1, 'structure', None, 'the file starts with a byte order mark (BOM)'),
    ('structure-crs', 98, 'structure', None, 'has a "crs" member, which RFC 7946 removed: positions are always WGS84 longitude and latitude'),
    ('structure-duplicate-member', 42, 'structure', 'feature "musan-nanping"', 'member "river" appears twice; only the last one is read'),
    ('structure-nan', 30, 'structure', 'feature "test-route"', 'position [NaN, 42.24] holds NaN or Infinity, which JSON does not allow'),
    ('structure-nan', 54, 'structure', 'feature "musan-nanping"', 'position [NaN, 42.24] holds NaN or Infinity, which JSON does not allow'),
    ('structure-no-geometry', 35, 'structure', 'feature "musan-nanping"', 'has no "geometry" member'),
    ('structure-string-coordinate', 54, 'structure', 'feature "musan-nanping"', "the Point's coordinates are malformed: string '129.21' where a number is expected"),
    ('structure-swapped-out-of-range', 54, 'structure', 'feature "musan-nanping"', 'position [42.24, 129.21] is outside the range of longitude and latitude: did you swap longitude and latitude?'),
]


def _validate(*paths: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *map(str, paths)])
    return result.exit_code, json.loads(result.stdout)


def _fixture_of(problem: dict) -> str:
    return Path(problem["path"]).name.removesuffix(".geojson")


@pytest.mark.parametrize("name", sorted({row[0] for row in EXPECTED if row[0] != "test-route.md"}))
def test_each_fault_file_reports_exactly_its_problems(name):
    code, problems = _validate(FAULTS / f"{name}.geojson")
    got = [(_fixture_of(p), p["line"], p["check"], p["feature"] and f'feature "{p["feature"]}"',
            p["message"]) for p in problems]
    # A fault that breaks a reference makes the stage that uses it fail too (test-route.md).
    wanted = [row for row in EXPECTED if row[0] == name
              or (name == "safety-unknown-layer" and row[0] == "test-route.md")]
    assert code == 1
    assert sorted(got, key=str) == sorted(wanted, key=str)
    assert all(p["hint"] for p in problems)


def test_the_fixture_list_covers_every_fault_file_and_every_check():
    files = {path.stem for path in FAULTS.glob("*.geojson")} - {"structure-truncated"}
    assert files == {row[0] for row in EXPECTED} - {"test-route.md"}
    assert {row[2] for row in EXPECTED} == {
        "structure", "geometry", "schema", "reference", "spatial", "safety"}


def test_the_valid_fixture_has_no_problem():
    assert _validate(DATA / "valid") == (0, [])


def test_truncated_json_is_unreadable_with_its_line():
    result = CliRunner().invoke(cli, ["validate", str(FAULTS / "structure-truncated.geojson")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{FAULTS / 'structure-truncated.geojson'}:12: is not valid JSON: ends before the JSON "
        "is complete (is the file truncated?) (column 23)\n"
        "    hint: restore the end of the file: every [ and { needs its ] and }")


def test_narrative_faults_are_each_reported_at_their_line():
    code, problems = _validate(DATA / "narrative-faults")
    got = [(p["line"], p["check"], p["message"]) for p in problems]
    assert code == 1
    assert got == [
        (3, "schema", 'the header has an unknown key "audience"'),
        (8, "schema", 'stage "Across the Tumen" has no "dangers:" line'),
        (8, "schema", 'stage "Across the Tumen" cites no source'),
        (9, "reference",
         'stage "Across the Tumen" goes to crossing "hyesan-changbai", which the data does not have'),
        (11, "schema", 'stage "Across the Tumen" has confidence "certain"'),
        (16, "schema", 'stage "Across the Tumen": a source line is not written as '
         "`- [Title](https://address), Publisher, Year`"),
        (19, "safety", 'stage "North to Yanji" places the map with 4 decimals'),
        (21, "safety", "the narrative holds an e-mail address"),
        (29, "spatial", 'stage "Into the sea" places the map outside the region it covers: did you '
         "swap latitude and longitude?"),
    ]


def test_context_and_glossary_faults_are_each_reported_at_their_line_with_a_hint():
    code, problems = _validate(DATA / "document-faults")
    got = [(Path(p["path"]).name, p["line"], p["check"], p["message"], p["hint"])
           for p in problems]
    glossary = DATA / "document-faults" / "glossary.md"
    assert code == 1
    assert got == [
        ("context.md", 1, "schema", 'the header has no "title:" line',
         "add `title: …` between the `---` lines at the top"),
        ("context.md", 3, "schema", 'the header has an unknown key "audience"',
         "the known keys are title, content_note, questions"),
        ("context.md", 6, "reference", "the link to glossary:mld names no entry of the glossary",
         "did you mean glossary:mdl?"),
        ("context.md", 15, "schema", 'section "Leaving is a crime" cites no source',
         "end the section with `sources:` and at least one "
         "`- [Title](https://address), Publisher, Year` line"),
        ("context.md", 24, "schema", """section "The inquiry": a source's via repeats its url""",
         "leave via out when the original was read"),
        ("context.md", 25, "schema", """section "The inquiry": a source's url """
         "'https://example.blogspot.com/2014/02/coi.html' is a copy on blogspot.com (personal "
         "blogs that repost articles), not the original publication",
         'put the original publication\'s address in url and this copy in via (shown as "read '
         'at"); see docs/data-format.md, sources'),
        ("glossary.md", 8, "reference",
         "the link to glossary:demilitarised-zone names no entry of the glossary",
         f"add a `## demilitarised-zone` entry with a `term:` line to {glossary}, or link one "
         "of its entries"),
        ("glossary.md", 13, "schema", 'the entry heading "Forced Return" is not an id',
         "write the term's id as the heading (lowercase letters, digits and hyphens, as in "
         "`## forced-return`) and the term itself in the `term:` line"),
        ("glossary.md", 21, "schema", 'the entry "mdl" is already on line 5',
         "merge the two entries, or give this one another id"),
        ("glossary.md", 29, "schema", 'entry "broker" has no "term:" line',
         "add `term: …` right below the heading (see docs/data-format.md, section "
         "data/glossary.md)"),
        ("test-route.md", 12, "schema", 'stage "Across the Tumen": the "dangers:" line has a '
         "glossary link, which is shown as plain text there",
         "link the term in the prose below instead"),
        ("test-route.md", 15, "reference",
         "the link to glossary:brokers names no entry of the glossary",
         "did you mean glossary:broker?"),
    ]


def test_a_glossary_link_without_a_glossary_names_the_file_to_write(tmp_path):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    story = tmp_path / "data" / "narratives" / "test-route.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "arrest and forced return\n", "arrest\n").replace(
        "where the river is shallow.", "where the river is shallow ([MDL](glossary:mdl))."),
        encoding="utf-8")
    code, problems = _validate(tmp_path / "data")
    assert code == 1
    assert [(p["line"], p["message"], p["hint"]) for p in problems] == [
        (15, "the link to glossary:mdl has no glossary to go to",
         f"write {tmp_path / 'data' / 'glossary.md'} with a `## mdl` entry (see "
         "docs/data-format.md, glossary)")]


def test_an_unreadable_context_chapter_is_a_problem_of_its_own(tmp_path):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    (tmp_path / "data" / "context.md").write_bytes(b"---\ntitle: Why \xff\n---\n")
    code, problems = _validate(tmp_path / "data")
    assert code == 1
    assert [(Path(p["path"]).name, p["line"], p["message"]) for p in problems] == [
        ("context.md", 2, "is not UTF-8 text (byte 0xff cannot be decoded)")]


def test_text_output_names_file_line_feature_and_hint():
    path = FAULTS / "spatial-crossing-off-border.geojson"
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{path}:52: feature "musan-nanping": lies 25.0 km from the outline of PRK; a crossing '
        "must lie within 5 km of the border between PRK and CHN",
        "    hint: move the point to the border between the two countries (midway between the two "
        "towns), or correct its countries",
    ]


# -- odd geometries in every layer -----------------------------------------------------------------
# Empty, one-point and collection geometries: whatever layer they are drawn in, `mapapp validate`
# names the feature and the line and exits 1, never "internal error" (found by the long property
# run: an empty MultiLineString as the MDL stopped the spatial check).
P = [129.21, 42.24]
ODD_GEOMETRIES = {
    "empty Point": {"type": "Point", "coordinates": []},
    "empty MultiPoint": {"type": "MultiPoint", "coordinates": []},
    "empty LineString": {"type": "LineString", "coordinates": []},
    "empty MultiLineString": {"type": "MultiLineString", "coordinates": []},
    "MultiLineString of an empty line": {"type": "MultiLineString", "coordinates": [[]]},
    "empty Polygon": {"type": "Polygon", "coordinates": []},
    "Polygon of an empty ring": {"type": "Polygon", "coordinates": [[]]},
    "empty MultiPolygon": {"type": "MultiPolygon", "coordinates": []},
    "MultiPolygon of an empty polygon": {"type": "MultiPolygon", "coordinates": [[]]},
    "empty GeometryCollection": {"type": "GeometryCollection", "geometries": []},
    "one-point Point": {"type": "Point", "coordinates": P},
    "one-point MultiPoint": {"type": "MultiPoint", "coordinates": [P]},
    "one-point LineString": {"type": "LineString", "coordinates": [P]},
    "LineString of one point twice": {"type": "LineString", "coordinates": [P, P]},
    "one-point MultiLineString": {"type": "MultiLineString", "coordinates": [[P]]},
    "one-point Polygon": {"type": "Polygon", "coordinates": [[P, P, P, P]]},
    "GeometryCollection of a point": {"type": "GeometryCollection",
                                      "geometries": [{"type": "Point", "coordinates": P}]},
    "GeometryCollection of a line": {"type": "GeometryCollection", "geometries": [
        {"type": "LineString", "coordinates": [[129.4, 41.9], P, [129.5, 42.89]]}]},
    "GeometryCollection of an empty line": {"type": "GeometryCollection", "geometries": [
        {"type": "LineString", "coordinates": []}]},
    "GeometryCollection of an empty collection": {"type": "GeometryCollection", "geometries": [
        {"type": "GeometryCollection", "geometries": []}]},
}
SOURCE = {"title": "Korean Demilitarized Zone", "publisher": "Encyclopaedia Britannica",
          "year": 2024, "url": "https://www.britannica.com/place/Korean-Demilitarized-Zone"}
# The valid fixture has a route, a crossing, countries, a barrier and an event; features of the
# other layers are added, complete but for their geometry.
ADDED = {
    "dmz zone": {"layer": "dmz", "name": "Test zone", "kind": "zone", "sources": [SOURCE]},
    "dmz mdl": {"layer": "dmz", "name": "Test line", "kind": "mdl", "sources": [SOURCE]},
    "dmz nll": {"layer": "dmz", "name": "Test limit", "kind": "nll", "schematic": True,
                "disputed": True, "sources": [SOURCE]},
}
IN_FIXTURE = {"route": "test-route", "crossing": "musan-nanping", "country": "country-prk",
              "barrier": "test-barrier", "event": "test-event"}
# Every layer of the contract (the dmz once per kind), with the id of its feature.
LAYERS = {variant: IN_FIXTURE.get(variant, "test-" + variant.replace(" ", "-"))
          for layer in contract.LAYERS
          for variant in ([f"dmz {kind}" for kind in contract.DMZ_KINDS] if layer == "dmz"
                          else [layer])}


def _valid_copy(folder: Path, layer: str) -> tuple[Path, dict, dict]:
    """The valid fixture copied to `folder`, with a feature of `layer` (a layer of LAYERS):
    its GeoJSON's path, the document and that feature, to change and write back."""
    shutil.copytree(DATA / "valid", folder)
    path = folder / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    if layer not in IN_FIXTURE:
        document["features"].append({"type": "Feature", "id": LAYERS[layer],
                                     "properties": dict(ADDED[layer]), "geometry": None})
    [feature] = [f for f in document["features"] if f["id"] == LAYERS[layer]]
    return path, document, feature


def _with_geometry(folder: Path, layer: str, geometry: dict) -> Path:
    path, document, feature = _valid_copy(folder, layer)
    feature["geometry"] = geometry
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ODD_GEOMETRIES)
@pytest.mark.parametrize("layer", LAYERS)
def test_odd_geometries_are_problems_of_their_feature_never_an_internal_error(
        tmp_path, monkeypatch, capsys, layer, shape):
    if shape == "one-point Point" and layer in ("crossing", "event"):
        pytest.skip(f"the {layer} layer is drawn as points: nothing odd")
    path = _with_geometry(tmp_path / "data", layer, ODD_GEOMETRIES[shape])
    monkeypatch.setattr(sys, "argv", ["mapapp", "validate", "--format", "json", str(path)])
    with pytest.raises(SystemExit) as exit_:
        main()  # the console script itself, with its last-resort handler
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert exit_.value.code == 1, err
    mine = [p for p in json.loads(out) if p["feature"] == LAYERS[layer]]
    assert mine, f"nothing names the {layer} drawn as {shape}"
    assert all(p["path"] == str(path) and p["line"] > 1 and p["message"] for p in mine)


@pytest.mark.parametrize("basemap, reason", [
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso3": "PRK", "name": "North Korea"},
         "geometry": {"type": "Point", "coordinates": P}}]}, "PRK is not drawn as an area"),
    ({"type": "FeatureCollection", "features": []}, "is not usable"),
])
def test_an_unusable_base_map_beside_the_data_is_one_problem(tmp_path, basemap, reason):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    (tmp_path / "data" / "basemap").mkdir()
    (tmp_path / "data" / "basemap" / "countries.geojson").write_text(json.dumps(basemap))
    code, problems = _validate(tmp_path / "data")
    assert code == 1
    [problem] = problems
    assert problem["check"] == "spatial" and problem["line"] == 1
    assert problem["message"].startswith("spatial checks skipped: base map ")
    assert reason in problem["message"]


@pytest.mark.parametrize("layer, key", [
    (layer, key) for layer, spec in contract.LAYERS.items() for key in spec.properties[1:]])
def test_every_property_of_the_contract_is_checked(tmp_path, layer, key):
    """An object fits no property: each one's rule says so at its own line."""
    path, document, feature = _valid_copy(tmp_path / "data",
                                          "dmz zone" if layer == "dmz" else layer)
    feature["properties"][key] = {"odd": 1}
    text = json.dumps(document, indent=2)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    start = lines.index(f'      "id": "{feature["id"]}",')
    line = next(n for n in range(start, len(lines)) if lines[n].startswith(f'        "{key}": {{'))
    code, problems = _validate(path)
    assert code == 1
    assert ("schema", line + 1) in {(p["check"], p["line"]) for p in problems
                                    if f'"{key}"' in p["message"]}


def test_the_context_chapter_and_the_glossary_can_be_checked_alone_for_their_own_form():
    _, problems = _validate(DATA / "document-faults" / "glossary.md")
    assert [(p["line"], p["message"]) for p in problems] == [
        (13, 'the entry heading "Forced Return" is not an id'),
        (21, 'the entry "mdl" is already on line 5'),
        (29, 'entry "broker" has no "term:" line')]
    _, problems = _validate(DATA / "document-faults" / "context.md")
    assert [p["line"] for p in problems] == [1, 3, 15, 24, 25]


def test_a_story_that_reaches_the_end_of_its_line_early_is_a_warning_not_an_internal_error(
        tmp_path):
    # The arrival told first, then a town near it, then the crossing: once the first stage has
    # reached the end of the line, what is left of the line is a single point.
    shutil.copytree(DATA / "faults" / "slips" / "stages-out-of-order", tmp_path / "data")
    story = tmp_path / "data" / "narratives" / "test-route.md"
    text = story.read_text(encoding="utf-8")
    near_yanji = ("## Into Longjing\nplace: Longjing @ 42.77, 129.42\nduration: a day\n"
                  "dangers: police checks\n\nA town near Yanji.\n\nsources:\n"
                  "- [The Invisible Exodus](https://www.hrw.org/reports/2002/northkorea/), "
                  "Human Rights Watch, 2002\n\n")
    story.write_text(text.replace("## Across the Tumen", near_yanji + "## Across the Tumen"),
                     encoding="utf-8")
    code, problems = _validate(tmp_path / "data")
    assert code == 0
    assert [(p["check"], p["severity"], p["message"]) for p in problems] == [
        ("spatial", "warning", 'stage "Across the Tumen" comes after stage "Into Longjing" in '
         "the story, but lies before it along the route's line")]


def test_a_placeholder_written_with_a_json_escape_is_still_a_placeholder(tmp_path):
    path, document, crossing = _valid_copy(tmp_path / "data", "crossing")
    crossing["properties"]["name"] = "XXODO: the crossing's name"
    text = json.dumps(document, indent=2).replace("XXODO", "\\u0054ODO")  # \u0054 is T
    path.write_text(text, encoding="utf-8")
    assert "TODO" not in text
    code, problems = _validate(path)
    assert code == 1
    assert [(p["check"], p["feature"], p["message"]) for p in problems] == [
        ("schema", "musan-nanping",
         '"name" still holds a placeholder: "TODO: the crossing\'s name"')]
