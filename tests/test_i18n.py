"""The site in Korean (mapapp.web.i18n) over HTTP: every page's twin under /ko, its language,
the links between twins, Korean interface text, the English fallback marked as English, the
API with ?lang=ko, the error pages, and no redirect by Accept-Language.

Data: tests/data/site, which has no Korean catalogue (every text of the data falls back to
English), and a copy of it with a few translations (`korean_site`).
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po
from flask import url_for
from helpers import SITE_DATA, Html, get
from markupsafe import Markup

from mapapp.catalogue import updated_catalogue
from mapapp.loading import load_dataset
from mapapp.parsing import parse
from mapapp.translation import english_texts
from mapapp.web import create_app
from mapapp.web.i18n import latin_marked
from mapapp.web.rendering import SiteBlueprint
from mapapp.web.site import current_state

# Latin words a Korean page may show outside an element marked lang="en": names of things
# that have no Korean name, key names and abbreviations readers see in Korean texts too.
ALLOWED_LATIN = {"Natural", "Earth", "GeoNames", "Leaflet", "folium", "world-atlas", "CC", "BY",
                 "BSD", "MIT", "Ctrl", "Mac", "Space", "US", "Letter", "A4", "QR", "English",
                 "DMZ", "NLL", "JSA", "MDL", "UNHCR", "km", "localhost", "USB", "PSALT", "NK",
                 "Poedit", "Weblate", "gettext", "PO"}
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’-]+\b(?![\w.])")  # not a version's hex digits
ADDRESS = re.compile(r"\b[\w-]+(?:\.[\w-]+)+\b")
TRANSLATED_TITLE = "남쪽 경로: 중국과 라오스를 거쳐 태국으로"
SECOND_PARAGRAPH = "A second paragraph that nobody has translated yet."
PUBLIC = "https://school.example/map"


class Unmarked(HTMLParser):
    """A page's text and reader-facing attributes that are not inside an element marked
    lang="en" (nor code, keys, scripts), as a reader of the Korean page meets them."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"})
    # Not prose: code, scripts, the embed code, and the page's and SVG images' names (title,
    # desc), which can carry no lang mark: checked as attributes are.
    QUIET = frozenset({"script", "style", "code", "kbd", "pre", "template", "textarea"})
    NAMES = frozenset({"title", "desc"})
    ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # tag, and whether its text is left out
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        outside = bool(self.open and self.open[-1][1])
        if not outside and attrs.get("lang") != "en":
            self.attributes += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]
        if tag not in self.VOID:
            self.open.append((tag, outside or attrs.get("lang") == "en" or tag in self.QUIET))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.open and self.open[-1][0] in self.NAMES:
            self.attributes.append(data)
        elif not (self.open and self.open[-1][1]):
            self.text.append(data)


def english_words(text: str) -> set[str]:
    text = ADDRESS.sub(" ", text)  # a site's name (globalr2p.org) is not English
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED_LATIN}


def page_addresses(app, language: str) -> list[str]:
    """Every page the site has in `language`, as the export lists them (every route, stage
    list, year, presentation...), without the scripts and images."""
    with app.test_request_context("/"):
        state = current_state()
        addresses = [url_for(endpoint, **values)
                     for blueprint in app.blueprints.values()
                     if isinstance(blueprint, SiteBlueprint) and blueprint.localized
                     for endpoint, values in blueprint.export_addresses(state)
                     if values["lang"] == language]
    return [address for address in addresses if not re.search(r"\.(js|svg)$", address)]


def with_steps(client, address: str) -> list[str]:
    """The address and, for a presentation, the address of every slide after the first."""
    found = [address]
    while True:
        following = Html(get(client, found[-1])[1]).find("a", rel="next")
        if not following:
            return found
        found.append(address.split("?")[0] + following[0]["href"])


@pytest.fixture(scope="module")
def korean_pages(app):
    client = app.test_client()
    return [step for address in page_addresses(app, "ko") for step in with_steps(client, address)]


@pytest.fixture(scope="module")
def korean_site(tmp_path_factory) -> Path:
    """tests/data/site with a second paragraph in the first stage of the southern route, and a
    Korean catalogue translating that route's title and the stage's first paragraph only."""
    target = tmp_path_factory.mktemp("korean") / "site"
    shutil.copytree(SITE_DATA.parent, target)
    story = target / "narratives" / "southern-route.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "on the other side.\n", "on the other side.\n\n" + SECOND_PARAGRAPH + "\n", 1),
        encoding="utf-8")
    data = target / "routes.geojson"
    update = updated_catalogue(english_texts(parse(load_dataset(data))), None, "ko")
    catalogue = read_po(iter(update.text.splitlines(keepends=True)), locale="ko")
    for message in catalogue:
        if message.context == "route:southern-route:title":
            message.string = TRANSLATED_TITLE
        elif (message.context == "route:southern-route:stage-1:body"
              and message.id != SECOND_PARAGRAPH):
            message.string = "첫 문단의 번역이다."
    (target / "translations").mkdir()
    with (target / "translations" / "ko.po").open("wb") as handle:
        write_po(handle, catalogue)
    return data


# -- addresses ---------------------------------------------------------------------------------
def test_every_english_page_has_its_korean_twin_at_the_same_path(app, client):
    english = page_addresses(app, "en")
    korean = page_addresses(app, "ko")
    assert len(english) > 10 and korean == ["/ko" + address for address in english]
    for address in english:
        assert get(client, address)[0].status_code == 200


def test_korean_pages_say_so_and_link_to_their_twins(client, korean_pages):
    for address in korean_pages:
        html = get(client, address)[1]
        tags = Html(html)
        assert tags.find("html")[0]["lang"] == "ko", address
        english = address.removeprefix("/ko")
        assert not tags.find("link", rel="alternate"), "hreflang needs the public address"
        [twin] = [a for a in tags.find("a", hreflang="en") if "language-switch" in a["class"]]
        assert twin["href"] == english and twin["lang"] == "en", address
        english_html = get(client, english)[1]
        [back] = [a for a in Html(english_html).find("a", hreflang="ko")
                  if "language-switch" in a.get("class", "")]
        assert back["href"] == address, english


def test_with_a_public_address_each_page_names_its_editions_for_search_engines(korean_pages):
    client = create_app({"MAPAPP_DATA": str(SITE_DATA), "TESTING": True,
                         "MAPAPP_PUBLIC_URL": PUBLIC}).test_client()
    for address in korean_pages:
        tags = Html(get(client, address)[1])
        alternates = {link["hreflang"]: link["href"] for link in tags.find("link", rel="alternate")}
        path, english = address.split("?")[0], address.removeprefix("/ko").split("?")[0]
        assert alternates == {"ko": PUBLIC + path + _step(address),
                              "en": PUBLIC + english + _step(address)}, address


def _step(address: str) -> str:
    step = re.search(r"\?step=\d+", address)
    return step[0] if step else ""


@pytest.mark.parametrize("query", ["routes=dmz-route,southern-route&step=3",
                                   "routes=dmz-route&context=1&step=2"])
def test_the_twin_of_a_chosen_deck_is_the_same_deck_at_the_same_slide(query):
    client = create_app({"MAPAPP_DATA": str(SITE_DATA), "TESTING": True,
                         "MAPAPP_PUBLIC_URL": PUBLIC}).test_client()
    for own, other, language in (("/ko/present", "/present", "en"),
                                 ("/present", "/ko/present", "ko")):
        tags = Html(get(client, f"{own}?{query}")[1])
        [twin] = [a for a in tags.find("a", hreflang=language)
                  if "language-switch" in a.get("class", "")]
        [alternate] = [link["href"] for link in tags.find("link", rel="alternate")
                       if link["hreflang"] == language]
        for address in (twin["href"], alternate.removeprefix(PUBLIC)):
            path, _, twin_query = address.partition("?")
            assert path == other and parse_qs(twin_query) == parse_qs(query), (own, address)


def test_a_korean_page_links_within_the_korean_edition(client, korean_pages):
    for address in korean_pages:
        tags = Html(get(client, address)[1])
        for link in tags.find("a"):
            href = link.get("href", "")
            if href.startswith("/") and link.get("hreflang") != "en":
                assert href.startswith(("/ko/", "/static/", "/api/")), (address, href)


# -- Korean throughout -------------------------------------------------------------------------
def test_no_interface_text_is_left_in_english(client, korean_pages, site_atlas):
    """Outside what is marked English, only Korean; in attributes and titles, where nothing can
    be marked, English only where the data's own text is still English."""
    data_texts = sorted({text.source for text in english_texts(parse(load_dataset(SITE_DATA)))}
                        | {country.name for country in site_atlas.countries}, key=len,
                        reverse=True)
    for address in korean_pages:
        page = Unmarked(get(client, address)[1])
        assert not english_words(" ".join(page.text)), address
        for value in page.attributes:
            for text in data_texts:
                value = value.replace(text, "")
            assert not english_words(value), (address, value)


@pytest.mark.parametrize("address", ["/ko/", "/ko/about", "/ko/teach", "/ko/glossary"])
def test_english_left_in_the_shipped_korean_is_marked_as_english(address):
    """The shipped translation keeps English titles, names and words in its Korean (further
    reading, the UN inquiry's report, "The Washington Post는", ‘refoulement’): marked."""
    client = create_app({"MAPAPP_DATA": str(ROOT / "data" / "routes.geojson"),
                         "TESTING": True}).test_client()
    page = Unmarked(get(client, address)[1])
    assert not english_words(" ".join(page.text)), address


def test_a_translation_marks_its_english_runs_and_leaves_abbreviations_and_code():
    html = Markup("<p>2007년 The Washington Post는 DMZ와 “Spiegel &amp; Grau <i>Press</i>”, "
                  "<code>?step=5</code> 4,300km</p>")
    with create_app({"MAPAPP_DATA": str(SITE_DATA)}).test_request_context("/ko/"):
        assert latin_marked(html) == Markup(
            '<p>2007년 <span lang="en">The Washington Post</span>는 DMZ와 '
            '“<span lang="en">Spiegel &amp; Grau</span> <i><span lang="en">Press</span></i>”, '
            "<code>?step=5</code> 4,300km</p>")


def test_the_interface_is_korean(client):
    tags = Html(get(client, "/ko/")[1])
    assert "본문으로 건너뛰기" in tags.text
    assert [a.get("aria-current") for a in tags.find("a") if a.get("href") == "/ko/"]
    messages = json.loads(next(block for attrs, block in zip(tags.find("script"), tags.scripts,
                                                              strict=True)
                               if attrs.get("id") == "ui-messages"))
    assert messages["allRoutes"] == "모든 경로." and messages["zoomIn"] == "확대"


def test_untranslated_text_is_shown_in_english_marked_as_english(client, site_atlas):
    route = site_atlas.routes[0]
    html = get(client, f"/ko/routes/{route.id}")[1]
    assert f'<span lang="en">{route.title}</span>' in html
    body = route.narrative.stages[0].body.split("\n\n")[0]
    assert re.search(r'<div lang="en"><p>' + re.escape(body[:30]), html)
    source = route.sources[0]
    assert f'<cite><span lang="en">{source.title}</span></cite>' in html


def test_translated_text_replaces_the_english_and_the_rest_stays_marked(korean_site):
    client = create_app({"MAPAPP_DATA": str(korean_site), "TESTING": True}).test_client()
    html = get(client, "/ko/routes/southern-route")[1]
    tags = Html(html)
    assert tags.find("h2", id="story-southern-route-title")
    assert f">{TRANSLATED_TITLE}</h2>" in html, "translated: not marked English"
    assert "첫 문단의 번역이다." in tags.text
    assert f'<div lang="en"><p>{SECOND_PARAGRAPH}</p>' in html, "the rest stays marked"
    assert '<div lang="en"><p>첫' not in html
    english = get(client, "/routes/southern-route")[1]
    assert TRANSLATED_TITLE not in english and 'lang="en"><' not in english


def test_the_english_front_page_offers_the_korean_edition_without_redirecting(client):
    plain = client.get("/")
    korean = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert korean.status_code == 200 and korean.data == plain.data
    assert "Accept-Language" not in korean.headers.get("Vary", "")
    [offer] = Html(plain.get_data(as_text=True)).find("aside", class_="edition-offer")
    assert offer["lang"] == "ko" and "hidden" in offer
    assert '<a href="/ko/" hreflang="ko"' in plain.get_data(as_text=True)
    assert not Html(get(client, "/about")[1]).find("aside", class_="edition-offer")


# -- errors and the API ------------------------------------------------------------------------
@pytest.mark.parametrize(("address", "message"), [
    ("/ko/nowhere", "이 주소에는 아무것도 없습니다."),
    ("/ko/routes/nowhere", "“nowhere”이라는 경로는 없습니다."),
    ("/ko/years/abc", "“abc”의 지도는 없습니다. 지도가 다루는 연도는 2003–"),
])
def test_error_pages_speak_the_language_of_their_address(client, address, message):
    _, html = get(client, address, 404)
    tags = Html(html)
    assert tags.find("html")[0]["lang"] == "ko"
    assert "페이지를 찾을 수 없습니다" in tags.text and message in tags.text
    assert [a for a in tags.find("a") if a.get("href") == "/ko/"], "a way back, in Korean"
    assert "Page not found" in get(client, address.removeprefix("/ko"), 404)[1]


def test_the_api_answers_in_korean_with_lang_ko(korean_site):
    client = create_app({"MAPAPP_DATA": str(korean_site), "TESTING": True}).test_client()
    english = json.loads(get(client, "/api/routes.json")[1])
    korean = json.loads(get(client, "/api/routes.json?lang=ko")[1])
    assert [r["id"] for r in korean] == [r["id"] for r in english]
    assert korean[0]["title"] == TRANSLATED_TITLE != english[0]["title"]
    assert korean[1]["title"] == english[1]["title"], "untranslated: the English"
    assert korean[0]["url"] == "/ko/routes/southern-route"
    assert english[0]["url"] == "/routes/southern-route"
    layer = json.loads(get(client, "/api/layers/routes.geojson?lang=ko")[1])
    assert layer["features"][0]["properties"]["title"] == TRANSLATED_TITLE
    _, html = get(client, "/api/routes.json?lang=xx", 404)
    assert "“xx”" in html


def test_the_map_of_a_korean_page_has_korean_names(client):
    def script(address: str) -> str:
        tags = Html(get(client, address)[1])
        [source] = [a["src"] for a in tags.find("script") if "/map/" in a.get("src", "")]
        return get(client, source)[1]

    korean, english = script("/ko/"), script("/")
    assert "중국" in korean and "두만강" in korean and "평양" in korean
    assert "중국" not in english and "Pyongyang" in english


# -- the interface catalogue -------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "mapapp" / "translations" / "ko" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_every_interface_text_of_the_code_has_its_korean():
    """What `pybabel extract -F babel.cfg` finds in the code and templates is translated in
    mapapp/translations/ko (no fuzzy mark), placeholders kept."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {message if isinstance(message, str) else message[0]
             for _, _, message, _, _ in extract_from_dir(
                 ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS,
                                                          "lazy_gettext": None})}
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="ko")
    korean = {}
    for message in catalogue:
        if message.id and not message.fuzzy:
            string = message.string if isinstance(message.string, str) else message.string[0]
            korean[message.id if isinstance(message.id, str) else message.id[0]] = string
            assert set(PLACEHOLDER.findall(str(message.id))) <= set(PLACEHOLDER.findall(string)), \
                message.id
    missing = sorted(text for text in found if not korean.get(text))
    assert not missing, ("not yet in Korean; extract, update and translate as "
                         f"docs/translating.md says: {missing[:5]}")
    assert not list(catalogue.check()), "python-format placeholders as the English has them"


def test_the_compiled_catalogue_is_its_po_file():
    """The .mo ships with the package (no build step at install): it must be the .po, compiled
    (`pybabel compile -d mapapp/translations`)."""
    with (CATALOGUE / "messages.po").open("rb") as handle:
        source = read_po(handle, locale="ko")
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    def entries(catalogue) -> dict:
        return {(_tuple(m.id), m.context): _tuple(m.string) for m in catalogue
                if m.id and not m.fuzzy}

    assert entries(compiled) == entries(source)


def _tuple(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize(("address", "heading"), [("/about", "How to contribute translations"),
                                                  ("/ko/about", "번역을 보태는 방법")])
def test_the_about_page_says_how_to_contribute_translations(client, address, heading):
    html = get(client, address)[1]
    section = html[html.index('<section id="translate"'):]
    section = section[:section.index("</section>")]
    assert f'<h2 id="translate-heading">{heading}</h2>' in section
    for named in ("data/translations/ko.po", "mapapp translations update", "docs/translating.md"):
        assert f"<code>{named}</code>" in section, (address, named)
    assert Html(html).find("a", href="#translate"), "listed under 'On this page'"


def test_dates_and_numbers_are_written_the_korean_way(client):
    korean = Html(get(client, "/ko/timeline")[1]).text
    english = Html(get(client, "/timeline")[1]).text
    assert "2005년 11월" in korean and "November 2005" in english
    assert "11월 2005" not in korean
    statistics = Html(get(client, "/ko/statistics")[1]).text
    assert re.search(r"\d,\d{3}", statistics), "thousands grouped as Korean writes them too"
