"""The shipped data tells the truth: figures as the reference facts give them, geometry a peer
validator accepts, a public http(s) source for everything, and the safety precision.

`mapapp validate` checks the data against our own reading of the rules; these tests check it
against things the validator does not know (the research notes in ../shared/facts/FACTS.md, the
independent PyPI `geojson-validator`) or state the rules again without its code, so that a bug in
the validator cannot hide a fault in the data.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from babel.messages.pofile import read_po
from shapely.geometry import Point

from mapapp.basemap import load_basemap
from mapapp.loading import load_dataset
from mapapp.validation import inspect
from mapapp.web import create_app

ROOT = Path(__file__).resolve().parents[1]
# The data under test: the project's, or another copy (`pytest --data PATH` or $MAPAPP_DATA).
ROUTES = Path(os.environ.get("MAPAPP_DATA") or ROOT / "data" / "routes.geojson").resolve()
DATA = ROUTES.parent
STATISTICS = DATA / "statistics.csv"
FACTS = Path(__file__).resolve().parents[2] / "shared" / "facts" / "FACTS.md"
needs_facts = pytest.mark.skipif(
    not FACTS.is_file(), reason=f"the reference facts are not here ({FACTS}): outside the "
    "project's CI")


# -- the reference facts -------------------------------------------------------------------------
def _section(text: str, number: int) -> str:
    match = re.search(rf"^## {number}\. .*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"FACTS.md has no section {number}"
    return match[0]


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@cache
def facts_arrivals() -> dict[int, str]:
    """Section 3's table: year -> its "latest seen" cell, as written (bold marks removed)."""
    table = _section(FACTS.read_text(encoding="utf-8"), 3)
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        year = re.fullmatch(r"(\d{4})(?: \([^)]*\))?", cells[0])  # "2009 (peak)", not "1990–1994"
        if year and len(cells) >= 2:
            rows[int(year[1])] = cells[1].replace("**", "")
    return rows


def _rows() -> list[dict[str, str]]:
    with STATISTICS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _statistics() -> dict[tuple[str, int | str], int | None]:
    """(series, year) -> value for the counts; a span's period stays text ("1990-1994")."""
    rows = [row for row in _rows() if row["series"] != "hiding_in_china"]
    figures = {(row["series"], row["period"] if "-" in row["period"] else int(row["period"])):
               int(row["value"]) if row["value"] else None for row in rows}
    assert len(figures) == len(rows), "duplicates"
    return figures


@needs_facts
def test_the_facts_table_covers_every_year_from_2001_to_2025():
    arrivals = facts_arrivals()
    assert set(range(2001, 2026)) <= set(arrivals), "FACTS.md section 3 lost a year"
    assert arrivals[1999] == arrivals[2000] == "not found"


@needs_facts
def test_arrivals_are_the_latest_figures_seen():
    latest = {year: _number(re.match(r"[\d,]+", cell)[0])
              for year, cell in facts_arrivals().items() if 2001 <= year <= 2025}
    shipped = {year: value for (series, year), value in _statistics().items()
               if series == "arrivals"}
    assert shipped == latest


@needs_facts
def test_women_among_arrivals_are_the_figures_given():
    """Section 3 gives women for some years only, as "845 F" or "164 women"."""
    given = {}
    for year, cell in facts_arrivals().items():
        match = re.search(r"([\d,]+) (?:F|women)\b", cell)
        if match:
            given[year] = _number(match[1])
    assert given == {2019: 845, 2021: 23, 2023: 164, 2024: 210, 2025: 198}  # the parse itself
    shipped = {year: value for (series, year), value in _statistics().items()
               if series == "arrivals_women"}
    assert shipped == given


def _facts_section_3_row(first_cell: str) -> list[str]:
    table = _section(FACTS.read_text(encoding="utf-8"), 3)
    line = next(line for line in table.splitlines() if line.startswith(f"| {first_cell} |"))
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@needs_facts
def test_cumulative_totals_are_those_reported():
    """W2 for 2024 and 2025, and section 3's "up to 1998 (cumulative)" row for 1998."""
    facts = FACTS.read_text(encoding="utf-8")
    row = next(line for line in facts.splitlines() if line.startswith("| W2 |"))
    reported = {int(year): _number(total)
                for total, year in re.findall(r"\*\*([\d,]+)\*\* at the end of (\d{4})", row)}
    assert reported == {2024: 34_314, 2025: 34_538}
    before = _facts_section_3_row("up to 1998 (cumulative)")
    reported[1998] = _number(re.match(r"[\d,]+", before[1])[0])
    assert reported[1998] == 947
    shipped = {year: value for (series, year), value in _statistics().items()
               if series == "cumulative"}
    assert shipped == reported


@needs_facts
def test_arrivals_before_2001_are_the_spans_the_sources_give():
    """Section 3 gives 86 for 1990-1994 and no count for 1999 or 2000: nothing is made up for
    them (not the 312 for 2000 that no source in FACTS gives)."""
    span = _facts_section_3_row("1990–1994")
    assert re.match(r"(\d+) in total", span[1])[1] == "86"
    shipped = {period: value for (series, period), value in _statistics().items()
               if series == "arrivals_span"}
    assert shipped == {"1990-1994": 86}
    assert facts_arrivals()[2000] == "not found"
    years = {period for series, period in _statistics() if series == "arrivals"}
    assert min(years) == 2001
    assert not any(row["value"] == "312" for row in _rows())


@pytest.mark.parametrize("language, why", [
    ("", "No source we found gives a separate count for 1999 or for 2000"),
    ("/ko", "1999년과 2000년의 인원을 따로 밝힌 출처는 찾지 못해")])
def test_the_statistics_page_says_why_1999_and_2000_have_no_row(language, why):
    """FACTS section 3 has no count for either year: the visitor reads why there is a gap
    between the 1990-1994 total and 2001, with the source of what is known, in both editions."""
    client = create_app({"MAPAPP_DATA": str(ROUTES), "TESTING": True}).test_client()
    response = client.get(f"{language}/statistics")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    note = re.search(r'<p class="span-note">(.*?)</p>', page, re.S)
    assert note and why in note[1] and "International Crisis Group" in note[1]


@needs_facts
def test_up_to_100_000_is_an_upper_bound_not_a_point():
    """ICG 2006: "likely to be something up to 100,000" (FACTS N4)."""
    facts = FACTS.read_text(encoding="utf-8")
    assert "up to 100,000" in next(line for line in facts.splitlines() if line.startswith("| N4 |"))
    (row,) = [row for row in _rows() if row["series"] == "hiding_in_china"
              and row["period"] == "2006"]
    assert (row["value"], row["low"], row["high"]) == ("", "", "100000")


def test_cumulative_totals_grow_by_the_year_s_arrivals():
    """Independent of FACTS.md: the two totals and the 2025 arrivals must agree."""
    figures = _statistics()
    grown = figures[("cumulative", 2025)] - figures[("cumulative", 2024)]
    assert grown == figures[("arrivals", 2025)]


def test_women_never_outnumber_all_arrivals_of_their_year():
    figures = _statistics()
    for (series, year), value in figures.items():
        if series == "arrivals_women":
            assert 0 < value <= figures[("arrivals", year)], year


# -- a peer validator ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def peer():
    geojson_validator = pytest.importorskip("geojson_validator")
    geojson_validator.configure_logging(enabled=False)
    yield geojson_validator
    geojson_validator.configure_logging(enabled=True, level="INFO")


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return json.loads(ROUTES.read_text(encoding="utf-8"))["features"]


def test_peer_validator_finds_the_structure_valid(peer):
    assert peer.validate_structure(str(ROUTES), check_crs=True) == {}


def test_peer_validator_finds_every_geometry_valid(peer, features):
    """Nothing invalid or even "problematic"; it skips exactly the features whose geometry is
    null by design: the countries (the shape comes from the base map) and the events that
    belong to no one place."""
    result = peer.validate_geometries(str(ROUTES))
    assert result["invalid"] == {}
    assert result["problematic"] == {}
    countries = [i for i, f in enumerate(features) if f["properties"]["layer"] == "country"]
    assert countries and all(features[i]["geometry"] is None for i in countries)
    placeless = [i for i, f in enumerate(features) if f["geometry"] is None]
    assert {features[i]["properties"]["layer"] for i in placeless} == {"country", "event"}
    assert result["skipped_validation"] == placeless
    drawn = Counter(f["geometry"]["type"] for f in features if f["geometry"] is not None)
    assert result["count_geometry_types"] == dict(drawn)


# -- sources ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def inspection():
    result = inspect(load_dataset(ROUTES))
    assert [p for p in result.problems if p.is_error] == [], "mapapp validate must pass first"
    return result


def _is_web_address(url) -> bool:
    if not isinstance(url, str) or url != url.strip():
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def test_every_feature_cites_a_web_source(features):
    for feature in features:
        sources = feature["properties"].get("sources")
        assert sources, f'{feature["id"]} cites no source'
        for source in sources:
            assert _is_web_address(source["url"]), (feature["id"], source["url"])
            assert source["title"].strip() and source["publisher"].strip(), feature["id"]


def test_every_narrative_stage_cites_a_web_source(inspection, features):
    routes = {f["id"] for f in features if f["properties"]["layer"] == "route"}
    assert set(inspection.narratives) == routes
    for route_id, narrative in inspection.narratives.items():
        assert narrative.stages, f"{route_id} has no stage"
        for stage in narrative.stages:
            assert stage.sources, f"{route_id}: stage {stage.title!r} cites no source"
            for source in stage.sources:
                assert _is_web_address(source.url), (route_id, stage.title, source.url)


def test_every_figure_cites_a_web_source(inspection):
    with STATISTICS.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    assert len(inspection.figures) == len(rows) - 1, "a row of statistics.csv was not parsed"
    for figure in inspection.figures:
        assert _is_web_address(figure.source.url), (figure.series, figure.period)
        assert figure.source.title.strip() and figure.source.publisher.strip()


# -- safety precision and geography --------------------------------------------------------------
def test_coordinates_carry_at_most_two_decimals_as_written():
    """Read as written (decimals, not floats), so that 127.100000001 cannot round its way in."""
    data = json.loads(ROUTES.read_text(encoding="utf-8"), parse_float=Decimal)
    numbers = []

    def collect(value):
        if isinstance(value, list):
            for item in value:
                collect(item)
        else:
            numbers.append(value)

    for feature in data["features"]:
        if feature["geometry"] is not None:
            collect(feature["geometry"]["coordinates"])
    assert len(numbers) > 100
    too_precise = [n for n in numbers if isinstance(n, Decimal) and n.as_tuple().exponent < -2]
    assert too_precise == []


def test_narrative_places_carry_at_most_two_decimals(inspection):
    for narrative in inspection.narratives.values():
        for stage in narrative.stages:
            if stage.place and stage.place.kind == "point":
                assert stage.place.decimals <= 2, (narrative.route_id, stage.title)


def test_every_route_and_each_of_its_branches_starts_in_north_korea(features):
    """A MultiLineString part that does not continue the previous one begins another way of
    making the journey (docs/data-format.md), so it too starts in North Korea."""
    countries = load_basemap()
    north_korea = countries.loc[countries.iso3 == "PRK", "geometry"].item()
    routes = [f for f in features if f["properties"]["layer"] == "route"]
    assert len(routes) >= 8
    for route in routes:
        geometry = route["geometry"]
        parts = ([geometry["coordinates"]] if geometry["type"] == "LineString"
                 else geometry["coordinates"])
        previous_end = None
        for part in parts:
            if part[0] != previous_end:
                assert north_korea.covers(Point(part[0])), (route["id"], part[0])
            previous_end = part[-1]


# -- original publications, not copies --------------------------------------------------------
# Written out here rather than read from mapapp.contract, so that a host dropped from the
# validator's list cannot let a copy back in: the hosts issue 10 and its audit found serving as
# `url` (refworld.org says of its copies "This is not a UNHCR publication").
COPY_HOSTS = ("blogspot.com", "worldsecuritynetwork.com", "refugee.ru", "oneindia.com",
              "devdiscourse.com", "nkeconwatch.com", "econlib.org", "daijiworld.com",
              "refworld.org", "everycrsreport.com")


def _on_copy_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == copy or host.endswith("." + copy) for copy in COPY_HOSTS)


def _shipped_sources(inspection, features):
    for feature in features:
        for source in feature["properties"]["sources"]:
            yield feature["id"], source["url"], source.get("via")
    for route_id, narrative in inspection.narratives.items():
        for stage in narrative.stages:
            for source in stage.sources:
                yield f"{route_id}: {stage.title}", source.url, source.via
    for figure in inspection.figures:
        yield f"{figure.series} {figure.period}", figure.source.url, figure.source.via
    parsed = inspection.parsed
    assert parsed.context and parsed.glossary and parsed.further_reading
    for section in parsed.context.sections:
        for source in section.sources:
            yield f"context: {section.title}", source.url, source.via
    for term in parsed.glossary.terms:
        for source in term.sources:
            yield f"glossary: {term.id}", source.url, source.via
    for url in re.findall(r"\]\((https?://[^)\s]+)\)", parsed.further_reading.body):
        yield "further reading", url, None


def test_no_source_url_is_a_copy(inspection, features):
    copies = [(where, url) for where, url, _ in _shipped_sources(inspection, features)
              if _on_copy_host(url)]
    assert copies == []


def test_a_copy_is_only_ever_named_beside_an_original(inspection, features):
    sources = list(_shipped_sources(inspection, features))
    vias = [(where, url, via) for where, url, via in sources if via]
    assert vias, "the Demick book is read in a copy: its via must be there"
    for where, url, via in vias:
        assert _is_web_address(via) and via != url, where


def test_books_are_cited_as_books_not_as_blogs_about_them(inspection, features):
    demick = [(url, via) for where, url, via in _shipped_sources(inspection, features)
              if "escape_to_mongo" in url or "escape_to_mongo" in (via or "")]
    assert demick and all(url == "https://www.publishersweekly.com/9780385523905"
                          for url, _ in demick)


# -- corrections of issue 10: the wrong wording cannot come back -------------------------------
NARRATIVES = DATA / "narratives"


def _feature(features, feature_id) -> dict:
    return next(f for f in features if f["id"] == feature_id)


def _stages(inspection, route_id) -> dict:
    return {stage.title: stage for stage in inspection.narratives[route_id].stages}


def _all_text() -> str:
    """Every word the visitor reads: the features' texts, every narrative file, the context
    chapter and the glossary."""
    paths = [ROUTES, *sorted(NARRATIVES.glob("*.md")), DATA / "context.md", DATA / "glossary.md"]
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def _prose(feature) -> str:
    """A feature's own texts (summary, policy…), without its sources' titles."""
    return json.dumps({key: value for key, value in feature["properties"].items()
                       if key != "sources"})


def _cites(stage_or_sources, url_part: str) -> bool:
    sources = getattr(stage_or_sources, "sources", stage_or_sources)
    return any(url_part in (s.url if hasattr(s, "url") else s["url"]) for s in sources)


def test_south_korea_is_not_said_to_accept_everyone(features):
    """It sent two fishermen back through Panmunjom on 7 November 2019 (FACTS X1)."""
    assert "accepts everyone" not in _all_text()
    korea = _feature(features, "country-kor")["properties"]
    assert "November 2019" in korea["policy"] and "two fishermen" in korea["policy"]
    assert _cites(korea["sources"], "AEN20191107009500325")


def test_the_2019_return_is_told_on_the_sea_route(inspection):
    stage = _stages(inspection, "sea-route")["Questioning and a new start"]
    assert "7 November 2019" in stage.body and "Panmunjom" in stage.body
    assert _cites(stage, "AEN20191107009500325")


def test_boat_crossings_of_the_nll_are_not_miscounted(inspection, features):
    """A boat crossed the NLL to Samcheok in June 2019, so May 2023 was not "the first in six
    years"; what holds is the first family since 2017, and October 2023 the first across the
    East Sea NLL since November 2019 (FACTS X2-X4)."""
    text = _all_text()
    for wrong in ("in six years", "first by the east coast in four years"):
        assert wrong not in text
    stages = _stages(inspection, "sea-route")
    yeonpyeong = stages["In the Yellow Sea towards Yeonpyeong"]
    assert "first family" in yeonpyeong.body and "since 2017" in yeonpyeong.body
    sokcho = stages["Across the NLL off the east coast"]
    assert "East Sea since November 2019" in sokcho.body
    assert _cites(sokcho, "anews.com.tr")


def test_the_talks_stopped_for_ten_months_after_the_vietnam_airlift(inspection):
    """Stopped in August 2004, resumed in May 2005 (FACTS X5)."""
    assert "more than a year" not in _all_text()
    stage = _stages(inspection, "vietnam-cambodia-route")["Into Vietnam"]
    assert "ten months" in stage.body and "May 2005" in stage.body
    assert _cites(stage, "wikinews.org")


def test_laos_handed_the_nine_of_2013_to_north_korean_officials(inspection, features):
    """Laos gave them to North Korean officials, who flew them to Pyongyang through China (Los
    Angeles Times 2013; the Lao statement reported by Radio Free Asia): not "back to China, which
    returned them". The event, the country and the southern route tell it alike, in Korean too."""
    assert "which returned them" not in _all_text()
    event = _feature(features, "laos-returns-nine-2013")["properties"]
    laos = _feature(features, "country-lao")["properties"]
    stage = next(stage for stage in inspection.narratives["southern-route"].stages
                 if "May 2013" in stage.body)
    for text, sources in ((event["summary"], event["sources"]), (laos["policy"], laos["sources"]),
                          (stage.body, stage.sources)):
        assert "North Korean officials" in text and "Pyongyang through China" in text
        assert _cites(sources, "latimes.com/world/la-xpm-2013-jun-02")
    korean = _korean("event:laos-returns-nine-2013:summary")
    assert "북한 관리" in korean and "평양" in korean and "중국에 넘겼" not in korean


def test_details_no_cited_source_gives_are_gone_in_korean_too(inspection):
    """The October 2023 boat carried "a family of four" (FACTS X2), no ages given; those allowed
    abroad include loggers sent to the Russian Far East (FACTS R12), not "most" of them."""
    sokcho = _stages(inspection, "sea-route")["Across the NLL off the east coast"]
    assert "a family of four crossed" in sokcho.body
    assert "60대" not in _korean("route:sea-route:stage-2:body")
    leave = _sections(CONTEXT)["No freedom to leave"]
    assert "loggers" in leave and "402318.html" in leave
    assert "대부분" not in _korean("context:section-3:body")


def test_giving_oneself_up_in_laos_is_told_as_the_aid_organisation_s_account(inspection):
    """Only the commissioning article of PSALT NK (FACTS section 0, weight M) says people
    surrender to the authorities in Laos as well as Thailand: the stage says who says so, cites
    it, and is not `high`."""
    told = [stage for stage in inspection.narratives["southern-route"].stages
            if "give themselves up to the authorities in Laos" in stage.body]
    assert len(told) == 1
    (stage,) = told
    assert "A refugee-aid organisation writes" in stage.body
    assert _cites(stage, "psaltnk.org") and stage.confidence != "high"


def _korean(context: str) -> str:
    """The Korean of the content catalogue's entries under one context (a text, or the
    paragraphs of a body), each translated and not marked fuzzy."""
    with (DATA / "translations" / "ko.po").open("rb") as handle:
        messages = [m for m in read_po(handle) if m.context == context]
    assert messages and all(m.string and not m.fuzzy for m in messages), context
    return "\n".join(m.string for m in messages)


@pytest.mark.parametrize("unsourced", [
    "facial", "25 minutes", "most heavily guarded border in the world", "most guarded border",
    "most heavily guarded border in Korea", "almost all had spent", "almost all the others",
    "Friendship Bridge", "none of the 25", "20 a month", "2,000 baht",
    # not in the reports cited for the October 2023 boat, nor in FACTS X2 (a family of four)
    "woman in her sixties", "two young adults",
    # no source says most of those allowed abroad are workers sent by the state
    "most who do are workers"])
def test_claims_without_a_source_stay_out(unsourced):
    assert unsourced not in _all_text()


def test_the_dmz_soldier_survived_and_was_pulled_to_safety(inspection):
    """Hit five times, pulled to safety by two soldiers who crawled to him, survived (FACTS X7, H,
    as AP's account of the footage tells it). How soon they reached him is rated L there (one
    article's "minutes later", no source with the minutes), so this `high` stage says no time."""
    stage = _stages(inspection, "dmz-route")["The dash at Panmunjom"]
    assert "survived" in stage.body and "five times" in stage.body
    assert "crawled to him and pulled him to safety" in stage.body
    assert _cites(stage, "dramatic-video-shows-north-korean-soldier-s-dash-to-freedom")
    assert stage.confidence == "high"
    assert not re.search(r"\bminutes?\b", stage.body)


def test_shoot_orders_are_told_only_beside_their_sources(inspection, features):
    """The 2020 order as the US commander stated it (AFP) and HRW 2024 reported it (FACTS X8)."""
    told = [(stage.title, stage.sources) for narrative in inspection.narratives.values()
            for stage in narrative.stages if re.search(r"\bshoot", stage.body)]
    told += [(f["id"], f["properties"]["sources"]) for f in features
             if re.search(r"\bshoot", _prose(f))]
    assert told
    for where, sources in told:
        if _cites(sources, "latimes.com/archives/blogs/world-now/story/2012-01-05"):
            continue  # the orders reported on the Yalu in January 2012 (FACTS X8, LA Times)
        assert _cites(sources, "mb.com.ph") and _cites(sources, "hrw.org/report/2024"), where


def test_hanawon_s_length_is_three_months_with_its_source(inspection, features):
    """About three months (12 weeks) (FACTS X9), and never without the source that says so."""
    stages = [stage for narrative in inspection.narratives.values() for stage in narrative.stages
              if "three months (12 weeks)" in stage.body]
    places = [f for f in features if "three months" in _prose(f)]
    assert stages and places
    for sources in [stage.sources for stage in stages] + [f["properties"]["sources"]
                                                          for f in places]:
        assert _cites(sources, "wikipedia.org/wiki/Hanawon")


def test_periods_match_the_stories_they_tell(features):
    """The Vietnam route is told from the 2004 airlift to the 2011 cables, and no longer says
    "until 2004"; the DMZ has been crossed since the 1953 armistice, not since one crossing in
    2007."""
    vietnam = _feature(features, "vietnam-cambodia-route")["properties"]["period"]
    assert vietnam == {"from": 2004, "to": 2011}
    assert "Until 2004" not in (NARRATIVES / "vietnam-cambodia-route.md").read_text("utf-8")
    assert _feature(features, "dmz-route")["properties"]["period"]["from"] == 1953


def test_manpo_ji_an_is_gone_with_every_reference_to_it(features):
    """places.csv marks both towns "geography only" and no source names the crossing."""
    assert "manpo-jian" not in {f["id"] for f in features}
    text = _all_text()
    assert "Manpo" not in text and "Ji'an" not in text


def test_every_figure_of_the_russia_route_stands_beside_its_source(inspection):
    """Checked against the originals: the Moscow Times 2010 and 2014, Kyodo 2009, UPI 2016."""
    figures = {"32,600": "402318.html", "at least 10,000": "a41375", "1,700": "oananews.org",
               "twelve": "oananews.org", "30 days": "upi.com", "2 February 2016": "a51715",
               "about 10,000": "402318.html"}
    stages = inspection.narratives["russia-route"].stages
    for figure, source in figures.items():
        holding = [stage for stage in stages if figure in stage.body]
        assert holding, figure
        assert all(_cites(stage, source) for stage in holding), figure


def test_the_embassy_route_s_dated_events_cite_their_reports(inspection):
    """Spanish embassy, 14-18 March 2002 (FACTS X10); Shenyang, 8-23 May 2002 (X11)."""
    stages = _stages(inspection, "embassy-route")
    beijing = stages["Into the Spanish embassy in Beijing"]
    assert "14 March 2002, 25 North Koreans" in beijing.body and "Manila" in beijing.body
    assert _cites(beijing, "news.bbc.co.uk")
    shenyang = stages["At the consulates in Shenyang"]
    assert "8 May 2002" in shenyang.body and "23 May 2002" in shenyang.body
    assert _cites(shenyang, "japantimes.co.jp/2003/05/10")
    high = [stage for stage in stages.values() if stage.confidence == "high"]
    assert all(_cites(stage, "news.bbc.co.uk") or _cites(stage, "japantimes.co.jp")
               or _cites(stage, "hrw.org") for stage in high)


# Phrases whose only support is an L row of FACTS: a stage that tells them is not `high`.
LOW_EVIDENCE = ("US$85,000", "Jo Hye Kyung", "building with a cross", "financial collateral")


def test_a_stage_resting_on_weak_evidence_is_not_high(inspection):
    for narrative in inspection.narratives.values():
        for stage in narrative.stages:
            if any(phrase in stage.body for phrase in LOW_EVIDENCE):
                assert stage.confidence != "high", (narrative.route_id, stage.title)


# -- the commission's other half: context chapter, glossary, further reading (issue 10) --------
CONTEXT = DATA / "context.md"
GLOSSARY = DATA / "glossary.md"
FURTHER_READING = DATA / "further-reading.md"
TERM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # lowercase letters and digits, hyphens between
GLOSSARY_TERMS = ("mdl", "nll", "dmz", "jsa", "unhcr", "hanawon", "broker", "defector",
                  "forced-return", "armistice", "ministry-of-unification", "kpa")
_SOURCE = re.compile(r"^- \[[^\]]+\]\((?P<url>https?://[^)\s]+)\), .+?, (?P<year>\d{4})"
                     r"(?:, via (?P<via>https?://\S+))?$")


def _sections(path: Path) -> dict[str, str]:
    """`## Title` -> the text under it, for a Markdown data file."""
    parts = re.split(r"(?m)^## (.+)$", path.read_text(encoding="utf-8"))
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _section_sources(text: str) -> list[re.Match]:
    _, marker, tail = text.partition("\nsources:\n")
    assert marker, "a section ends with `sources:` and its source lines"
    lines = [line for line in tail.splitlines() if line.strip()]
    matches = [_SOURCE.match(line) for line in lines]
    assert lines and all(matches), lines
    return matches


def _header(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_the_context_chapter_has_its_sections_each_with_original_sources():
    header = _header(CONTEXT)
    assert header["title"] == "Why people leave, and why most cannot"
    assert header["content_note"] and len(header["questions"]) >= 3
    sections = _sections(CONTEXT)
    assert list(sections) == ["The famine of the 1990s", "Hunger today", "No freedom to leave",
                              "Leaving is treated as treachery",
                              "The United Nations inquiry of 2014", "Why most never try"]
    for title, text in sections.items():
        for source in _section_sources(text):
            assert not _on_copy_host(source["url"]), title
        assert not re.search(r"(?m)^(place|duration|dangers):", text), title


@needs_facts
def test_the_context_chapter_s_figures_are_those_of_the_facts():
    """K8 (famine deaths), section 0 (10.5 of 24.9 million undernourished), K5 (the UN report
    of 7 February 2014), W2 (34,538 by the end of 2025)."""
    facts = FACTS.read_text(encoding="utf-8")
    sections = _sections(CONTEXT)
    for figure in ("240,000", "3.5 million", "500,000", "600,000"):
        assert figure in next(line for line in facts.splitlines() if line.startswith("| K8 |"))
        assert figure in sections["The famine of the 1990s"]
    assert "10.5 million of 24.9 million" in facts
    assert "10.5 million" in sections["Hunger today"] and "24.9 million" in sections["Hunger today"]
    assert "7 Feb 2014" in next(line for line in facts.splitlines() if line.startswith("| K5 |"))
    assert "7 February 2014" in sections["The United Nations inquiry of 2014"]
    assert "34,538" in CONTEXT.read_text(encoding="utf-8")


def test_the_context_chapter_says_which_claims_rest_on_one_source():
    """K6: the "financial collateral" is confirmed nowhere else; the list of reasons to stay
    rests partly on one explainer."""
    sections = _sections(CONTEXT)
    leave = sections["No freedom to leave"]
    assert "financial collateral" in leave and "no other source" in leave
    assert "low confidence" in leave
    assert "low confidence" in sections["Why most never try"]


def test_glossary_has_every_term_with_its_sources():
    sections = _sections(GLOSSARY)
    assert set(GLOSSARY_TERMS) <= set(sections)
    for term_id, text in sections.items():
        assert TERM_ID.match(term_id), term_id
        assert re.match(r"\nterm: \S", text), f"{term_id}: the first line is `term: …`"
        for source in _section_sources(text):
            assert not _on_copy_host(source["url"]), term_id


def test_every_glossary_link_in_the_stories_resolves():
    terms = set(_sections(GLOSSARY))
    linked = []
    for path in [*sorted(NARRATIVES.glob("*.md")), CONTEXT, GLOSSARY]:
        linked += [(path.name, term) for term in
                   re.findall(r"\]\(glossary:([^)\s]*)\)", path.read_text(encoding="utf-8"))]
    assert len({term for _, term in linked}) >= 8
    assert [(name, term) for name, term in linked if term not in terms] == []


def _glossary_links(path: Path) -> set[str]:
    return set(re.findall(r"\]\(glossary:([^)\s]*)\)", path.read_text(encoding="utf-8")))


def test_every_glossary_entry_is_linked_from_a_story():
    """The glossary explains the stories' words: an entry no story links to is one a reader
    never reaches from the text (as "defector, refugee, escapee" was, though three stories say
    "refugees")."""
    linked = set().union(*(_glossary_links(path)
                           for path in [*sorted(NARRATIVES.glob("*.md")), CONTEXT]))
    assert set(_sections(GLOSSARY)) - linked == set()
    for path in (NARRATIVES / "southern-route.md", NARRATIVES / "sea-route.md", CONTEXT):
        assert "[refugees](glossary:defector)" in path.read_text(encoding="utf-8"), path.name


def test_further_reading_names_the_organisations_and_reports_with_addresses():
    text = FURTHER_READING.read_text(encoding="utf-8")
    assert "(https://www.libertyinnorthkorea.org/)" in text and "North Korean Refugee Aid" in text
    urls = re.findall(r"\]\((https?://[^)\s]+)\)", text)
    assert len(urls) >= 10 and not any(_on_copy_host(url) for url in urls)
    assert "undocs.org/A/HRC/25/63" in text


def test_the_commission_s_themes_are_told_in_the_stories(inspection):
    """K1 churches (never a place), K2 surrender in Thailand, K7 Jo Hye Kyung at low confidence,
    K11 discrimination, K12/E33 the returns of 2023, China's stated position beside its critics,
    X13 the questions about Yeonmi Park's account."""
    south = _stages(inspection, "southern-route")
    hiding = south["Hiding in north-east China"]
    assert "building with a cross" in hiding.body and "not a place" in hiding.body
    assert "Jo Hye Kyung" in hiding.body and "low confidence" in hiding.body
    assert hiding.confidence == "low"
    for told in ("29 August", "18 September", "more than 500", "9 October", "so-called defectors"):
        assert told in hiding.body, told
    assert _cites(hiding, "rfa.org/english/news/korea") and _cites(hiding, "voanews.com")
    assert "tortured" in hiding.body and "sexual violence" in hiding.body
    assert "torture" in inspection.narratives["southern-route"].content_note
    assert "sent back" in south["Into northern Laos"].body
    seoul = south["Flight to Seoul"]
    assert "45.4 per cent" in seoul.body and _cites(seoul, "dailynk.com")
    park = _stages(inspection, "northern-route")["Across the upper Yalu"]
    assert "questioned" in park.body and _cites(park, "the-strange-tale-of-yeonmi-park")
