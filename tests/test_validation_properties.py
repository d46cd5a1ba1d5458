"""Property-based tests of `mapapp validate` and `mapapp format` on hostile and random input.

Maintainers edit the data by hand, so the validator meets every kind of mistake. Whatever the
input, it must answer with its documented contract (DESIGN section 2, docs/data-format.md):
exit code 0, 1 or 2, never a traceback; a problem list for 1, one line on stderr for 2; `--format
json` as editors read it; and it never touches the files it checks. `format` must either refuse
and leave the file alone, or write valid JSON that a second run leaves unchanged.

How many inputs each property tries is the Hypothesis profile's (tests/conftest.py): a short
run with every `pytest`, 2,000 derandomized inputs each in CI (MAPAPP_HYPOTHESIS=ci);
`--hypothesis-show-statistics` shows the exit codes and checks they reached. Every validator bug
these properties have found keeps a regression test at the end of this file, with the smallest
input that showed it, so that it cannot come back unnoticed between long runs.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st

from mapapp.cli import cli
from mapapp.statistics import COLUMNS
from mapapp.validation import CHECKS

PROBLEM_KEYS = {"path", "line", "feature", "check", "message", "hint", "severity"}

# -- strategies: any JSON ------------------------------------------------------------------------
GEOJSON_WORDS = ("type", "features", "geometry", "geometries", "properties", "coordinates", "id",
                 "bbox", "crs", "layer", "sources", "FeatureCollection", "Feature", "Point",
                 "LineString", "Polygon", "MultiPolygon", "GeometryCollection", "route")
# Integers past the float range (about 1e308) too, which math.isfinite cannot take.
INTEGERS = st.integers(min_value=-(10**400), max_value=10**400)
# Lone surrogates come from "\ud800" escapes: valid JSON, but UTF-8 cannot write them.
TEXT = st.text(max_size=12) | st.sampled_from(GEOJSON_WORDS) | st.sampled_from(
    ["", " ", "\u202e", "\ufeff", "é", "\U0001f600", "a\nb", "\x00", "\u2028", "ǅ", "İ",
     "\ud800", "\udc00x\ud83d"])
JSON_LEAVES = st.none() | st.booleans() | INTEGERS | st.floats() | TEXT
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=25,
)
# Number spellings json.dumps never writes: an overflow reads as infinity, -0 and 1E+2 are odd.
RAW_NUMBERS = ("1e400", "-1e400", "1e-400", "-0", "-0.0", "1E+2", "0.1e1")
_RAW = re.compile(r'"@@raw:([^"@]+)@@"')
_SURROGATE = re.compile("[\ud800-\udfff]")


def dump(value, *, indent=None, ascii_only: bool = True) -> str:
    """JSON text as an editor might leave it: NaN and Infinity spelt out, odd number spellings.

    Lone surrogates stay \\u escapes even in non-ASCII text, which must be encodable as UTF-8."""
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only, allow_nan=True)
    text = _SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
    return _RAW.sub(lambda match: match[1], text)


def raw_numbers() -> st.SearchStrategy[str]:
    return st.sampled_from(RAW_NUMBERS).map(lambda spelling: f"@@raw:{spelling}@@")


# Arrays nested up to well past the depth the JSON parser accepts (about 1,000).
DEEP = st.integers(1, 3000).map(lambda depth: f"@@raw:{'[' * depth}{']' * depth}@@")


@st.composite
def json_texts(draw, values=JSON_VALUES) -> str:
    return dump(draw(values), indent=draw(st.sampled_from([None, 2, "\t"])),
                ascii_only=draw(st.booleans()))


# -- strategies: GeoJSON-shaped documents ---------------------------------------------------------
IDS = ("southern-route", "second-route", "musan-nanping", "dmz-zone", "country-prk", "Bad Id",
       "", "x--y")
ISO3 = ("PRK", "CHN", "KOR", "MNG", "RUS", "THA", "LAO", "VNM", "XXX", "prk", "USA")
LAYERS = ("route", "crossing", "dmz", "country", "shelter", "Route", "")
TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
         "GeometryCollection", "point", "Circle", "Feature")
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
         "MultiPolygon": 3}
URLS = ("https://www.hrw.org/report", "http://example.org/a?b=c", "javascript:alert(1)",
        "ftp://example.org/x", "https://", " https://a b", "www.example.org", "HTTPS://EXAMPLE.ORG")
PROSE = ("The southern route", "Musan – Nanping", "a safe house in Shenyang",
         "call +82 10 1234 5678", "wechat id: helper", "mail me@example.org", "our broker",
         "Church of X", "x" * 60)


def _hundredths(low: float, high: float) -> st.SearchStrategy[float]:
    return st.integers(round(low * 100), round(high * 100)).map(lambda n: n / 100)


NUMBERS = (
    _hundredths(88, 146)  # longitudes of the region, 2 decimals
    | _hundredths(5, 56)  # latitudes of the region
    | st.floats(-180, 180) | st.floats(-90, 90)  # more decimals than the safety rule allows
    | st.floats()  # out of range, NaN, Infinity
    | st.integers(-200, 200)
)
KOREA = st.tuples(_hundredths(124, 131), _hundredths(37, 43)).map(list)
# A few fixed positions, so that repeated and collinear vertices come up often.
PINS = st.sampled_from(([127.0, 38.0], [127.5, 38.5], [128.0, 39.0], [127.0, 39.0])).map(list)


@st.composite
def positions(draw) -> list:
    kind = draw(st.integers(0, 9))
    if kind <= 2:
        return draw(KOREA)
    if kind <= 4:
        return draw(PINS)
    if kind == 5:
        lon, lat = draw(KOREA)
        return [lat, lon]  # swapped
    if kind == 6:
        return [*draw(KOREA), draw(NUMBERS)]  # altitude
    if kind == 7:
        return draw(st.lists(NUMBERS, max_size=4))
    if kind == 8:
        return draw(st.lists(NUMBERS | raw_numbers(), min_size=2, max_size=2))
    return draw(st.lists(JSON_LEAVES, max_size=3))


SLIVER = ([127.0, 38.0], [127.5, 38.5], [128.0, 39.0])  # three collinear vertices


@st.composite
def rings(draw) -> list:
    if draw(st.integers(0, 5)):
        ring = draw(st.lists(positions(), max_size=6))
    else:  # a zero-area sliver, a classic slip of the mouse
        ring = [list(p) for p in draw(st.permutations(SLIVER))]
    if ring and draw(st.booleans()):
        ring.append(list(ring[0]))  # closed
    return ring


@st.composite
def coordinates(draw, kind: str):
    """Well nested for the type most of the time; otherwise of random depth."""
    if kind not in DEPTH or draw(st.integers(0, 4)) == 0:
        return draw(st.recursive(positions(), lambda inner: st.lists(inner, max_size=4),
                                 max_leaves=12) | DEEP)
    if kind in ("Polygon", "MultiPolygon"):
        polygon = st.lists(rings(), max_size=3)
        return draw(polygon if kind == "Polygon" else st.lists(polygon, max_size=3))
    strategy = positions()
    for _ in range(DEPTH[kind]):
        strategy = st.lists(strategy, max_size=5)
    return draw(strategy)


@st.composite
def geometries(draw, depth: int = 0):
    kind = draw(st.sampled_from(TYPES))
    geometry: dict = {"type": kind}
    if kind == "GeometryCollection":
        members = st.none() | (geometries(depth + 1) if depth < 2 else st.just(None))
        geometry["geometries"] = draw(st.lists(members, max_size=3))
    elif draw(st.integers(0, 9)):
        geometry["coordinates"] = draw(coordinates(kind))
    if draw(st.integers(0, 9)) == 0:
        geometry["bbox"] = draw(st.lists(NUMBERS, max_size=6))
    if draw(st.integers(0, 19)) == 0:
        geometry["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    return geometry


def _sources():
    source = st.fixed_dictionaries(
        {"title": st.sampled_from(PROSE) | TEXT, "publisher": TEXT,
         "year": st.integers(1900, 2100) | JSON_LEAVES, "url": st.sampled_from(URLS) | TEXT},
        optional={"note": TEXT},
    )
    return st.lists(source | JSON_LEAVES, max_size=3)


PROPERTY_VALUES = {
    "title": st.sampled_from(PROSE), "summary": st.sampled_from(PROSE),
    "name": st.sampled_from(PROSE), "policy": st.sampled_from(PROSE),
    "river": st.sampled_from(("Tumen", "Yalu", "land", "sea", "")),
    "countries": st.lists(st.sampled_from(ISO3), max_size=5),
    "crossings": st.lists(st.sampled_from(IDS), max_size=3),
    "period": st.fixed_dictionaries({"from": st.integers(1900, 2100) | JSON_LEAVES,
                                     "to": st.none() | st.integers(1900, 2100)}),
    "sources": _sources(),
    "modes": st.lists(st.sampled_from(("land", "sea", "air", "boat")), max_size=4),
    "kind": st.sampled_from(("zone", "mdl", "nll", "wall")),
    "schematic": st.booleans(), "disputed": st.booleans(),
    "iso3": st.sampled_from(ISO3), "role": st.sampled_from(("origin", "transit", "hero")),
    "confidence": st.sampled_from(("high", "medium", "low", "certain")),
    "phone": TEXT, "sorces": TEXT, "contact": TEXT,
}


@st.composite
def properties(draw):
    props: dict = {}
    if draw(st.integers(0, 9)):
        props["layer"] = draw(st.sampled_from(LAYERS) if draw(st.integers(0, 11))
                              else JSON_VALUES)
    for key in draw(st.lists(st.sampled_from(sorted(PROPERTY_VALUES)), max_size=10, unique=True)):
        props[key] = draw(PROPERTY_VALUES[key] | JSON_VALUES | DEEP
                          if draw(st.integers(0, 5)) == 0 else PROPERTY_VALUES[key])
    return props


@st.composite
def features(draw):
    feature: dict = {}
    if draw(st.integers(0, 9)):
        feature["type"] = draw(st.sampled_from(("Feature", "feature", "Point")) | JSON_LEAVES
                               if draw(st.integers(0, 5)) == 0 else st.just("Feature"))
    if draw(st.integers(0, 9)):
        feature["id"] = draw(st.sampled_from(IDS) | JSON_LEAVES)
    if draw(st.integers(0, 19)):
        feature["properties"] = draw(properties() | st.none() | JSON_VALUES
                                     if draw(st.integers(0, 9)) == 0 else properties())
    if draw(st.integers(0, 19)):
        feature["geometry"] = draw(st.none() | geometries() | JSON_VALUES)
    if draw(st.integers(0, 19)) == 0:
        feature["bbox"] = draw(st.lists(NUMBERS, max_size=6))
    return draw(st.permutations(list(feature.items())).map(dict))


@st.composite
def geojson_documents(draw):
    shape = draw(st.integers(0, 19))
    if shape == 0:
        return draw(geometries())
    if shape == 1:
        return draw(features())
    document: dict = {"type": "FeatureCollection" if shape != 2 else draw(TEXT)}
    if shape != 3:
        document["features"] = draw(st.lists(features() | JSON_LEAVES
                                             if shape == 4 else features(), max_size=8))
    if shape == 5:
        document["crs"] = {"type": "name"}
    return document


# -- strategies: the files beside the GeoJSON ------------------------------------------------------
# One line of a narrative: any text but the line breaks editors see. Form feeds, U+2028 and the
# other breaks of str.splitlines() stay in: they must not shift the line numbers.
LINE_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=30)
NARRATIVE_LINES = st.sampled_from((
    "---", "content_note: violence", "questions:", "  - Why?", "questions: not a list",
    "## Across the Tumen", "## ", "place: crossing musan-nanping", "place: country PRK",
    "place: Shenyang @ 41.8, 123.43", "place: Nowhere @ 123.43, 41.8", "place: X @ 41.801, 12",
    "place: crossing nowhere", "duration: a night", "dangers: arrest", "cost: US$2,000",
    "confidence: medium", "confidence: sure", "sources:",
    "- [Title](https://www.hrw.org/x), Human Rights Watch, 2002", "- [T](javascript:x), P, 2002",
    "- [T](https://a.org), P, 1800", "call +82 10 1234 5678", "", "Prose about the stage.",
)) | LINE_TEXT


@st.composite
def narratives(draw) -> str:
    ending = draw(st.sampled_from(("\n", "\r\n")))
    return ending.join(draw(st.lists(NARRATIVE_LINES, max_size=25))) + draw(
        st.sampled_from(("", ending)))


# Any cell on one line, "5²" (a digit to str.isdigit(), not to int()) among them.
CELL_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12)
CELLS = {
    "series": st.sampled_from(("arrivals", "arrivals_women", "cumulative", "hiding_in_china")),
    "period": st.integers(1990, 2030).map(str), "value": st.integers(0, 40000).map(str),
    "low": st.just(""), "high": st.just(""), "vintage": st.sampled_from(("2025-02", "2025")),
    "confidence": st.sampled_from(("high", "low")), "note": st.just("a, quoted note"),
    "source_title": st.just("Title"), "source_publisher": st.just("Publisher"),
    "source_year": st.integers(1940, 2030).map(str), "source_url": st.sampled_from(URLS),
    "source_via": st.just(""),
}


@st.composite
def statistics(draw) -> str:
    header = ",".join(COLUMNS) if draw(st.integers(0, 9)) else draw(CELL_TEXT)
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        cells = [draw(CELLS[column] | CELL_TEXT if draw(st.integers(0, 4)) == 0
                      else CELLS[column]) for column in COLUMNS]
        cells = cells[:draw(st.integers(0, len(cells)))] if draw(st.integers(0, 9)) == 0 else cells
        rows.append(",".join(f'"{cell}"' if "," in cell else cell for cell in cells))
    return "\n".join([header, *rows]) + "\n"


@st.composite
def datasets(draw) -> dict[str, bytes]:
    """A routes.geojson, sometimes narratives and statistics beside it."""
    files = {"routes.geojson": draw(json_texts(geojson_documents())).encode()}
    for route_id in draw(st.lists(st.sampled_from((*IDS[:3], "stray")), max_size=3,
                                  unique=True)):
        files[f"narratives/{route_id}.md"] = draw(narratives()).encode()
    if draw(st.booleans()):
        files["statistics.csv"] = draw(statistics()).encode()
    return files


# -- the contract ---------------------------------------------------------------------------
def invoke(*args: str) -> Result:
    """Run the CLI in-process; an exception other than SystemExit is a validator bug."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"`mapapp {' '.join(args)}` raised "
                             f"{type(result.exception).__name__}: {result.exception}"
                             ) from result.exception
    return result


def note(what: str) -> None:
    """Count outcomes for `--hypothesis-show-statistics` (regression tests run outside one)."""
    if currently_in_test_context():
        event(what)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def one_line(text: str) -> bool:
    lines = text.rstrip("\n").split("\n")
    return len(lines) == 1 and bool(lines[0].strip())


def check_validate(files: dict[str, bytes], target: str) -> tuple[int, list[dict]]:
    """Write the files, validate `target` as text and as JSON, and hold both to the contract."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        before = snapshot(root)
        text = invoke("validate", str(root / target))
        as_json = invoke("validate", "--format", "json", str(root / target))
        assert snapshot(root) == before, "validate changed, added or removed a file"
        lines_in = {str(root / name): content.count(b"\n") + 1 for name, content in files.items()}

    code = as_json.exit_code
    note(f"validate exit {code}")
    assert code in (0, 1, 2)
    assert text.exit_code == code, "text and json output disagree on the exit code"
    problems = json.loads(as_json.stdout)
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, dict) and set(problem) == PROBLEM_KEYS, problem
        assert problem["check"] in CHECKS, problem
        line = problem["line"]
        assert isinstance(line, int) and not isinstance(line, bool) and line >= 1, problem
        assert line <= lines_in.get(problem["path"], line), f"line past the end of file: {problem}"
        assert isinstance(problem["path"], str) and problem["path"], problem
        assert problem["feature"] is None or isinstance(problem["feature"], str), problem
        assert isinstance(problem["message"], str) and problem["message"].strip(), problem
        assert isinstance(problem["hint"], str) and problem["hint"].strip(), problem
    errors = [problem for problem in problems if problem["severity"] == "error"]
    if code == 0:
        assert errors == [], "exit 0 with an error"
        assert text.stdout.count("\n") == 2 * len(problems), "a warning is not two text lines"
        assert ": no problems" in text.stderr
    elif code == 1:
        assert errors, "exit 1 without an error"
        assert text.stdout.count("\n") == 2 * len(problems), "a problem is not two text lines"
        for problem in problems:
            assert f"{problem['path']}:{problem['line']}: " in text.stdout
        assert text.stderr.strip().endswith("file(s).")
        assert text.stderr.strip().startswith(f"{len(errors)} problem(s)")
    else:
        # The file that cannot be read is one problem in the JSON, one line (and a hint) of text.
        [unreadable] = problems
        assert unreadable["check"] == "structure" and text.stdout == ""
        first, *hint = text.stderr.rstrip("\n").split("\n")
        assert first.startswith(f"{unreadable['path']}") and unreadable["message"] in first
        assert hint in ([], [f"    hint: {unreadable['hint']}"]), text.stderr
    for check in sorted({problem["check"] for problem in problems}):
        note(f"check {check}")
    return code, problems


# -- validate: random JSON, random GeoJSON, random bytes ---------------------------------------
@given(json_texts())
def test_validate_holds_its_contract_on_any_json(text):
    check_validate({"routes.geojson": text.encode()}, "routes.geojson")



@given(datasets())
def test_validate_holds_its_contract_on_geojson_shaped_data(files):
    check_validate(files, "routes.geojson")



SIDE_FILES = (narratives().map(lambda text: ("narratives/southern-route.md", text))
              | statistics().map(lambda text: ("statistics.csv", text)))


@given(SIDE_FILES)
def test_validate_holds_its_contract_on_a_narrative_or_statistics_alone(side):
    """`mapapp validate FILE.md` and `FILE.csv` take their own path through the validator."""
    name, text = side
    check_validate({name: text.encode()}, name)



BYTES = st.binary(max_size=400) | st.text(max_size=200).map(str.encode) | st.sampled_from(
    [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00", b"[" * 3000, b"{" * 3000,
     b'{"type": "FeatureCollection", "features": [', b"\x00" * 10, b"NaN", b"-Infinity",
     b"[1" + b"0" * 5000 + b"]"])  # more digits than int() converts
SUFFIXES = st.sampled_from(["routes.geojson", "data.json", "narratives/x.md", "statistics.csv"])


@given(BYTES, SUFFIXES)
def test_validate_holds_its_contract_on_any_bytes(content, name):
    check_validate({name: content}, name)



# -- format --------------------------------------------------------------------------------------
def check_format(text: str) -> str | None:
    """Either a refusal (exit 2, file untouched: None) or valid JSON that a second run leaves
    alone (returned)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "routes.geojson"
        path.write_bytes(text.encode())
        before = snapshot(Path(folder))
        first = invoke("format", str(path))
        note(f"format exit {first.exit_code}")
        assert first.exit_code in (0, 2), first.stderr
        if first.exit_code == 2:
            assert snapshot(Path(folder)) == before, "a refused file was changed"
            assert one_line(first.stderr)
            return None
        assert [p.name for p in Path(folder).iterdir()] == ["routes.geojson"], "temp file left"
        written = path.read_bytes()
        json.loads(written.decode("utf-8"), parse_constant=_no_constant)  # strictly valid JSON
        assert written.endswith(b"\n")
        second = invoke("format", str(path))
        assert second.exit_code == 0 and path.read_bytes() == written, "format is not idempotent"
        assert invoke("format", "--check", str(path)).exit_code == 0
        return written.decode("utf-8")


def _no_constant(name: str):
    raise AssertionError(f"format wrote {name}, which is not JSON")


def finite(value, keep_nan: bool = False):
    """The value without NaN and Infinity (unless kept), so that `format` takes it."""
    if isinstance(value, float) and not math.isfinite(value) and not keep_nan:
        return 0.5
    if isinstance(value, list):
        return [finite(item, keep_nan) for item in value]
    if isinstance(value, dict):
        return {key: finite(item, keep_nan) for key, item in value.items()}
    return value


# Mostly JSON that format must take; some that it must refuse: NaN or Infinity (not JSON, but
# json.dumps writes them), numbers that overflow to infinity (1e400) and nesting deeper than
# the parser or the writer goes (valid JSON).
FORMAT_INPUT = st.one_of(
    json_texts(JSON_VALUES.map(finite)),
    json_texts(geojson_documents().map(finite)),
    json_texts(st.tuples(JSON_VALUES | geojson_documents(),
                         st.sampled_from((math.nan, math.inf, -math.inf))).map(
        lambda pair: [finite(pair[0], keep_nan=True), pair[1]])),
    st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * depth),
)


@given(FORMAT_INPUT)
def test_format_refuses_untouched_or_is_idempotent(text):
    check_format(text)



def test_the_contract_check_sees_each_exit_code():
    """The harness itself: a clean dataset, a faulty one and an unreadable one go through
    check_validate with the exit codes they must have, so a harness that accepts anything would
    show here."""
    valid = Path(__file__).parent / "data" / "valid"
    files = {str(path.relative_to(valid)): path.read_bytes()
             for path in valid.rglob("*") if path.is_file()}
    assert check_validate(files, "routes.geojson") == (0, [])
    broken = files["routes.geojson"].replace(b'"musan-nanping"', b'"Musan Nanping"', 1)
    code, problems = check_validate({**files, "routes.geojson": broken}, "routes.geojson")
    assert code == 1 and "reference" in {p["check"] for p in problems}
    code, [unreadable] = check_validate({"routes.geojson": b"{"}, "routes.geojson")
    assert code == 2 and "ends before the JSON is complete" in unreadable["message"]
    assert math.isinf(json.loads(dump(float("inf"))))


# -- regression tests: the validator bugs these properties found --------------------------------
def _collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _feature(properties: dict, geometry: dict | None = None, id_: str = "a") -> dict:
    return {"type": "Feature", "id": id_, "properties": properties, "geometry": geometry}


def test_a_lone_surrogate_is_quoted_escaped(tmp_path):
    """A "\\ud800" escape reads as a string UTF-8 cannot write: printing it crashed."""
    text = _collection(_feature({}, id_="\ud800"))
    assert b'"\\ud800"' in text
    code, problems = check_validate({"routes.geojson": text}, "routes.geojson")
    assert code == 1 and problems[0]["feature"] == "\ud800"
    path = tmp_path / "routes.geojson"
    path.write_bytes(text)
    assert 'feature "\\ud800": the id "\\ud800" has characters' in invoke(
        "validate", str(path)).stdout
    assert '"id": "\\ud800"' in check_format(text.decode())


def test_an_integer_past_the_float_range_is_a_position_out_of_range():
    """math.isfinite(10**400) raises OverflowError; such an integer is finite, just too large."""
    huge = "1" + "0" * 400
    text = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", '
            '"properties": {}, "geometry": {"type": "Point", "coordinates": [' + huge + ', 1]}, '
            '"bbox": [0, 0, ' + huge + ", 1]}]}")
    code, problems = check_validate({"routes.geojson": text.encode()}, "routes.geojson")
    messages = {p["message"] for p in problems if p["check"] == "structure"}
    assert code == 1 and messages == {
        f"position [{huge}, 1] is outside the range of longitude [-180, 180] and latitude "
        "[-90, 90]"}


def test_an_integer_of_more_than_4300_digits_makes_the_file_unusable(tmp_path):
    """json.loads refuses to convert it (ValueError), which read_json did not catch."""
    path = tmp_path / "routes.geojson"
    path.write_text("[1" + "0" * 5000 + "]")
    code, [unreadable] = check_validate({"routes.geojson": path.read_bytes()}, "routes.geojson")
    assert code == 2 and unreadable["message"].startswith("is not usable JSON")
    assert invoke("validate", str(path)).stderr.startswith(
        f"{path}: is not usable JSON: Exceeds the limit (4300 digits)")


@pytest.mark.parametrize(("feature", "message"), [
    (_feature({"layer": ["route"]}), '"layer" must be a text, found a JSON array'),
    (_feature({"layer": {"route": 1}}), '"layer" must be a text, found a JSON object'),
    (_feature({"layer": "dmz", "kind": ["zone"]}), None),
    (_feature({"layer": "country", "iso3": ["PRK"]}), None),
    (_feature({"layer": "route", "crossings": [["musan-nanping"]], "countries": [{}]}), None),
    (_feature({"layer": "crossing", "countries": [["PRK"], "CHN"]},
              {"type": "Point", "coordinates": [129.2, 42.24]}), None),
], ids=["layer-array", "layer-object", "kind", "iso3", "route-lists", "crossing-countries"])
def test_a_list_or_object_where_a_name_belongs_is_a_schema_problem(feature, message):
    """Looked up in a dict, a list or object raised TypeError (unhashable type)."""
    text = _collection(feature)
    code, problems = check_validate({"routes.geojson": text}, "routes.geojson")
    assert code == 1 and "schema" in {p["check"] for p in problems}
    if message:
        assert message in {p["message"] for p in problems}
    assert check_format(text.decode()) is not None


def test_a_superscript_digit_is_not_a_whole_number():
    """"5²" passes str.isdigit(), and then int() raised ValueError."""
    text = (",".join(COLUMNS) + "\narrivals,2001,5²,,,2002-06,high,,T,P,2002,https://a.org/,\n")
    code, problems = check_validate({"statistics.csv": text.encode()}, "statistics.csv")
    assert code == 1
    assert (2, 'value "5²" is not a whole number of people') in {
        (p["line"], p["message"]) for p in problems}


@pytest.mark.parametrize("breaker", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_narrative_line_is_counted_as_editors_count_it(breaker):
    """str.splitlines() also breaks at form feeds, U+2028 and others: every line after moved."""
    text = f"Intro{breaker}with a break\n\n## Stage\nplace: country PRK\n"
    name = "narratives/southern-route.md"
    code, problems = check_validate({name: text.encode()}, name)
    assert code == 1 and {p["line"] for p in problems} == {3}


@pytest.mark.parametrize("text", ["---\n---", "---\n---\n", "---\r\n---\r\n"])
def test_a_narrative_that_is_only_a_header_has_no_stages_on_its_last_line(text):
    """"no stages" was put on the line after the header, past the end of the file."""
    name = "narratives/southern-route.md"
    code, problems = check_validate({name: text.encode()}, name)
    assert code == 1
    assert [(p["line"], p["message"]) for p in problems] == [(2, "the narrative has no stages")]


@pytest.mark.parametrize(("coordinates", "role"), [([[]], "exterior ring"),
                                                   ([[[0, 0], [1, 0], [0, 1], [0, 0]], []],
                                                    "hole 1")])
def test_an_empty_polygon_ring_is_reported(coordinates, role):
    """The geometry check read the first position of a ring written as [] (IndexError)."""
    text = _collection(_feature({}, {"type": "Polygon", "coordinates": coordinates}))
    code, problems = check_validate({"routes.geojson": text}, "routes.geojson")
    assert code == 1
    assert f"the polygon's {role} has no positions" in {p["message"] for p in problems}


def test_a_line_break_in_quoted_data_stays_on_the_problem_line(tmp_path):
    """An id "a\\nb:9: fake" split its problem over lines, one of which looked like a problem."""
    text = _collection(_feature({"layer": "x\r"}, id_="a\nb:9: fake"))
    code, problems = check_validate({"routes.geojson": text}, "routes.geojson")
    assert code == 1 and len(problems) == 2  # two lines each, as check_validate has seen
    path = tmp_path / "routes.geojson"
    path.write_bytes(text)
    output = invoke("validate", str(path)).stdout
    assert 'feature "a\\nb:9: fake": has the layer "x\\r"; only' in output
    assert not re.search(r"^b:9:", output, re.MULTILINE)


def test_format_refuses_a_number_that_overflows():
    """1e400 reads as infinity, which format wrote back as Infinity: not JSON."""
    assert check_format('{"a": 1e400}') is None
    assert check_format('{"a": -1e400, "b": 1}') is None
    assert check_format('{"a": 1e-400}') == '{\n  "a": 0.0\n}\n'


def test_format_leaves_a_flat_ring_as_it_is():
    """Shapely calls a zero-area ring clockwise both ways round: format reversed it every run."""
    ring = "[[0, 0], [1, 1], [2, 2], [0, 0]]"
    written = check_format('{"type": "Polygon", "coordinates": [' + ring + "]}")
    assert json.loads(written)["coordinates"] == [json.loads(ring)]


@pytest.mark.parametrize("depth", [600, 900])
def test_format_takes_or_refuses_nesting_the_parser_takes(depth):
    """600 levels parse, but format's writer recursed past the limit (RecursionError)."""
    check_format("[" * depth + "]" * depth)
