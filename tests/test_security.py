"""Security over HTTP (Flask's test client): headers on every kind of answer, caching that fits
each resource, the Markdown sanitiser, and pages built from tests/data/hostile.

The hostile dataset (see its README) is valid data whose every text is an attack: script tags,
event handlers, `javascript:` links, markup that never closes, Jinja-looking text, template-literal
breakers for folium's tooltips, and source addresses that try to leave their attribute. A page
built from it must hold exactly as many scripts, images, frames and other active elements as the
same page built from harmless data (tests/data/site has the same shape), no event-handler
attribute and no link but http(s) or the site's own, and must show each payload as text.
tests/browser/test_hostile.py loads the same pages in Chromium.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from helpers import HOSTILE_DATA, SITE_DATA, Html, route_ids
from hypothesis import given
from hypothesis import strategies as st

from mapapp.cli import cli
from mapapp.contract import Source
from mapapp.markup import markdown_html
from mapapp.web import create_app

ROUTE = route_ids(HOSTILE_DATA)[0]

# Elements that run code, load something or change how the page is read: data must add none.
ACTIVE = ("script", "img", "svg", "iframe", "frame", "object", "embed", "style", "link", "meta",
          "base", "form", "input", "button", "textarea", "select", "title", "noscript",
          "template", "math", "video", "audio", "source", "picture", "canvas", "dialog")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset",
                  "data", "background", "ping")


@pytest.fixture
def hostile(hostile_app):
    """A client of the app on tests/data/hostile."""
    return hostile_app.test_client()


def words(text: str) -> str:
    return " ".join(text.split())


# Pages built from the data.
PAGES = ["/", f"/routes/{ROUTE}", "/routes/dmz-route", "/statistics", "/about", "/glossary",
         "/routes/no-such-route", "/present", f"/present/{ROUTE}", f"/print/{ROUTE}",
         f"/embed/{ROUTE}"]


# -- headers on every kind of answer -------------------------------------------------------------
def policy_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


def assert_strict_policy(policy: str, path: str) -> None:
    """Our origin only, no inline or eval'd script, nothing framing us (but /embed/)."""
    directives = policy_directives(policy)
    for name, values in directives.items():
        for value in values:
            if name == "frame-ancestors" and path.startswith("/embed/"):
                continue  # the embed page chooses who may frame it
            allowed = {"'self'", "'none'"}
            if name == "style-src" and "/charts/" in path:
                allowed.add("'unsafe-inline'")  # matplotlib's SVG styles; it runs no script
            if name == "font-src" and "/charts/" in path:
                allowed.add("data:")  # a Korean chart's glyphs, inlined (mapapp.charts)
            assert value in allowed, (path, name, value)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts in (["'self'"], ["'none'"]), (path, policy)
    assert directives.get("object-src", directives.get("default-src")) == ["'none'"] or \
        directives.get("default-src") == ["'none'"], (path, policy)
    assert "base-uri" in directives or directives.get("default-src") == ["'none'"], path
    if path.startswith("/embed/"):
        assert directives.get("frame-ancestors") != ["'none'"], "the embed page can be framed"
    else:
        assert directives.get("frame-ancestors") == ["'none'"], path


def assert_security_headers(response, path: str) -> None:
    headers = response.headers
    assert_strict_policy(headers["Content-Security-Policy"], path)
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer",
                                          "strict-origin-when-cross-origin"), path
    if path.startswith("/embed/"):
        assert headers.get("X-Frame-Options", "").upper() != "DENY", path
    else:
        assert headers["X-Frame-Options"] == "DENY", path
    assert "Cache-Control" in headers, path


def asset_urls(client) -> dict[str, str]:
    """One address of each kind the site serves, found in its own pages."""
    index = Html(client.get("/").get_data(as_text=True))
    statistics = Html(client.get("/statistics").get_data(as_text=True))
    scripts = [a["src"] for t, a in index.tags if t == "script" and "src" in a]
    styles = [a["href"] for t, a in index.tags if t == "link" and a.get("rel") == "stylesheet"]
    return {
        "map script": next(u for u in scripts if u.startswith("/map/")),
        "chart": next(a["src"] for t, a in statistics.tags if t == "img"),
        "site script": next(u for u in scripts if u.startswith("/static/")),
        "site style": next(u for u in styles if u.startswith("/static/")),
        "favicon": next(a["href"] for t, a in index.tags if a.get("rel") == "icon"),
        "leaflet script": next(u for u in scripts if u.startswith("/vendor/")),
        "leaflet style": next(u for u in styles if u.startswith("/vendor/")),
        "leaflet image": "/vendor/leaflet/images/layers.png",
    }


KINDS = ["/", f"/routes/{ROUTE}", "/statistics", "/about", "/api/routes.json",
         "/api/layers/routes.geojson", "/healthz", "/api/openapi.yaml", "/nowhere",
         "/routes/nowhere", "/api/layers/nowhere.geojson", "/static/nowhere.css",
         f"/embed/{ROUTE}", f"/print/{ROUTE}", "/present"]


@pytest.mark.parametrize("path", KINDS)
def test_every_page_and_api_answer_carries_the_security_headers(client, path):
    assert_security_headers(client.get(path), path)


@pytest.mark.parametrize("kind", ["map script", "chart", "site script", "site style", "favicon",
                                  "leaflet script", "leaflet style", "leaflet image"])
def test_every_asset_carries_the_security_headers(client, kind):
    url = asset_urls(client)[kind]
    with client.get(url) as response:
        assert response.status_code == 200, url
        assert_security_headers(response, url)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "HEAD"])
def test_other_methods_carry_the_headers_too(client, method):
    response = client.open("/", method=method)
    assert response.status_code < 500
    assert_security_headers(response, "/")


def test_a_not_modified_answer_carries_the_headers(client):
    url = asset_urls(client)["site style"]
    with client.get(url) as first:
        tag = first.headers["ETag"]
    with client.get(url, headers={"If-None-Match": tag}) as again:
        assert again.status_code == 304
        assert_security_headers(again, url)


def test_a_server_error_is_a_friendly_page_with_the_headers():
    app = create_app({"MAPAPP_DATA": str(SITE_DATA)})

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "a bug" not in response.get_data(as_text=True), "no internals shown"
    assert_security_headers(response, "/boom")


def test_the_policy_checker_rejects_weak_policies():
    """The checks above can fail: each of these weakens the policy in one way."""
    for weak in ("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; "
                 "base-uri 'none'; frame-ancestors 'none'",
                 "default-src 'self'; script-src 'self' https://cdn.example; object-src 'none'; "
                 "base-uri 'none'; frame-ancestors 'none'",
                 "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'",
                 "default-src *; script-src 'self'; object-src 'none'; base-uri 'none'; "
                 "frame-ancestors 'none'"):
        with pytest.raises(AssertionError):
            assert_strict_policy(weak, "/")


# -- caching -------------------------------------------------------------------------------------
def max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match[1]) if match else 0


@pytest.mark.parametrize("path", ["/", f"/routes/{ROUTE}", "/statistics", "/about", "/nowhere",
                                  "/api/routes.json", "/api/layers/dmz.geojson", "/healthz"])
def test_pages_and_data_are_revalidated_never_kept(client, path):
    cache_control = client.get(path).headers["Cache-Control"]
    assert "no-cache" in cache_control or "no-store" in cache_control, (path, cache_control)
    assert "immutable" not in cache_control and max_age(cache_control) == 0, path
    assert client.post(path).headers["Cache-Control"] in ("no-cache", "no-store")


@pytest.mark.parametrize("kind", ["map script", "chart"])
def test_assets_named_by_their_content_are_kept_a_year(client, kind):
    url = asset_urls(client)[kind]
    cache_control = client.get(url).headers["Cache-Control"]
    assert "immutable" in cache_control and max_age(cache_control) >= 365 * 24 * 3600, url


@pytest.mark.parametrize("kind", ["site script", "site style", "favicon", "leaflet script",
                                  "leaflet style", "leaflet image"])
def test_files_at_a_fixed_address_are_revalidated_cheaply(client, kind):
    """A file's plain address does not change with its content, so it must not be kept forever;
    a validator (ETag, Last-Modified) makes the revalidation a 304. When the page names it with a
    version (`?v=<digest>`), that address is kept a year."""
    url = asset_urls(client)[kind]
    path, _, query = url.partition("?")
    with client.get(path) as response:
        assert response.status_code == 200, path
        cache_control = response.headers.get("Cache-Control", "")
        assert "immutable" not in cache_control and max_age(cache_control) < 7 * 24 * 3600, path
        assert response.headers.get("ETag") or response.headers.get("Last-Modified"), path
    if "v=" in query:
        with client.get(url) as response:
            cache_control = response.headers["Cache-Control"]
            assert "immutable" in cache_control and max_age(cache_control) >= 365 * 24 * 3600
        with client.get(path + "?v=0000") as response:
            assert "immutable" not in response.headers.get("Cache-Control", ""), "a stale version"


# -- the sanitiser -------------------------------------------------------------------------------
ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "br",
                "code", "abbr", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "abbr": {"title"}}


def assert_safe_fragment(html: str) -> None:
    page = Html(html)
    for tag, attributes in page.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attributes) <= ALLOWED_ATTRIBUTES.get(tag, set()), (tag, attributes)
        if tag == "a":
            assert attributes.get("rel") == "noopener noreferrer", html
            href = attributes.get("href")
            if href is not None:
                assert re.match(r"https?://[^\s/\\]|/(?![/\\])|#", href, re.I), href


FRAGMENTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
             "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java&#x09;script:a)",
             "[x](vbscript:a)", "[x](data:text/html,<script>alert(1)</script>)", "[x](//evil.example)",
             "[x](/\\evil.example)", "<javascript:alert(1)>", "<https://example.org/\"><b>>",
             "[x](https://example.org/ \"t\" onmouseover=\"a\")", "![i](https://evil.example/p.png)",
             "<a href=\"https://example.org\" onclick=\"a()\">x</a>", "<!-- open", "<style>*{}</style>",
             "<iframe src=//evil.example>", "{{ 7*7 }}", "{% raw %}", "`code <b>`", "**bold**",
             "*em*", "# h1", "### h3", "> quote", "- item", "1. item", "---", "```\n<b>\n```",
             "[ok](https://example.org/a?b=c&d=e)", "[rel](/routes/x)", "[frag](#stage)",
             "<a href='javascript:alert(1)'>x</a>", "&lt;script&gt;", "\\", "`", "${x}", "\n\n",
             "<form action=https://evil.example><input></form>", "<base href=//evil.example>",
             "[x](https://example.org\"onmouseover=alert(1))", "<math><mi>x</mi></math>"]


@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=12))
def test_rendered_markdown_holds_only_the_allowed_tags_attributes_and_links(parts):
    assert_safe_fragment(markdown_html(" ".join(parts)))
    assert_safe_fragment(markdown_html("\n".join(parts)))


@pytest.mark.parametrize("markdown, shown", [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("{{ 7*7 }}", "{{ 7*7 }}"),
    ("<!-- never closed", "<!-- never closed"),
])
def test_raw_html_and_refused_links_stay_readable_text(markdown, shown):
    assert Html(markdown_html(markdown)).text == shown


def test_links_keep_http_and_the_sites_own_addresses_only():
    html = markdown_html("[a](https://example.org/x) [b](/about) [c](#top) [d](//evil.example) "
                           "[e](ftp://example.org) [f](mailto:someone) [g](HTTP://EXAMPLE.ORG)")
    hrefs = [a.get("href") for t, a in Html(html).tags if t == "a"]
    assert hrefs == ["https://example.org/x", "/about", "#top", None, None, None,
                     "HTTP://EXAMPLE.ORG"]


def test_a_source_that_is_not_http_is_shown_without_a_link(app):
    """The validator refuses such sources; the template refuses them again."""
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("_sources.html").module.source_list
        html = str(macro([Source("Evil", "Press", 2020, "javascript:alert(1)"),
                          Source("Fine", "Press", 2020, "https://example.org/")]))
    hrefs = [a["href"] for t, a in Html(html).tags if t == "a"]
    assert hrefs == ["https://example.org/"] and "Evil" in html


# -- pages from the hostile dataset --------------------------------------------------------------
def payload_texts(atlas) -> list[str]:
    """Data texts every map page shows whole, as plain text."""
    texts = [route.title for route in atlas.routes]
    texts += [crossing.name for crossing in atlas.crossings
              if any(crossing.id in route.crossings for route in atlas.routes)]
    texts += [country.policy for country in atlas.described_countries]
    texts += [feature.name for feature in atlas.dmz]
    return texts


@pytest.mark.parametrize("url", PAGES)
def test_hostile_data_adds_no_active_element_and_no_handler(hostile, client, url):
    response = hostile.get(url)
    assert response.mimetype == "text/html"
    harmless = Html(client.get(url).get_data(as_text=True))
    hostile = Html(response.get_data(as_text=True))
    for tag in ACTIVE:
        assert hostile.count(tag) == harmless.count(tag), (url, tag)
    for tag, attributes in hostile.tags:
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (url, tag, attributes)
        for name in URL_ATTRIBUTES:
            value = attributes.get(name)
            if value is None:
                continue
            scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value)).scheme.lower()
            assert scheme in ("", "http", "https"), (url, tag, name, value)
            if tag == "script" or (tag == "link" and name == "href"
                                   and attributes.get("rel") != "expect"):  # an anchor
                assert value.startswith("/") and not value.startswith("//"), (url, value)


@pytest.mark.parametrize("url", PAGES)
def test_json_in_hostile_pages_cannot_end_its_script_block(hostile, url):
    html = hostile.get(url).get_data(as_text=True)
    page = Html(html)
    declared = sum(1 for tag, a in page.tags
                   if tag == "script" and a.get("type") == "application/json")
    assert len(page.json_blocks) == declared
    for block in page.json_blocks:
        json.loads(block)
        assert "</" not in block and "<!--" not in block, block[:200]


def test_hostile_texts_read_as_text_on_the_map_page(hostile, hostile_atlas):
    text = Html(hostile.get("/").get_data(as_text=True)).text
    for payload in payload_texts(hostile_atlas):
        assert words(payload) in text, payload
    assert "{{ 7*7 }}" in text and "49 route" not in text, "Jinja-looking text is not evaluated"


def test_hostile_narrative_reads_as_text_on_its_route_page(hostile, hostile_atlas):
    route = hostile_atlas.route(ROUTE)
    text = Html(hostile.get(f"/routes/{ROUTE}").get_data(as_text=True)).text
    for value in (route.summary, route.narrative.content_note, *route.narrative.questions,
                  *(stage.title for stage in route.narrative.stages),
                  *(stage.dangers for stage in route.narrative.stages),
                  *(source.title for stage in route.narrative.stages for source in stage.sources),
                  *(source.title for source in route.sources)):
        assert words(value) in text, value
    for line in ("Intro <script>window.__pwned=42</script>", "<img src=x onerror=window.__pwned=43>",
                 "[click me](javascript:window.__pwned=44)", "<div><b>unclosed <i>italics",
                 "<!-- a comment that never closes", "Body <svg onload=window.__pwned=50>"):
        assert line in text, line


def test_hostile_sources_link_only_to_their_escaped_http_address(hostile, hostile_atlas):
    page = Html(hostile.get(f"/routes/{ROUTE}").get_data(as_text=True))
    expected = {source.url for source in hostile_atlas.route(ROUTE).sources}
    hrefs = {a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("http")}
    assert expected <= hrefs, "the address survives whole, inside its attribute"
    assert all(a.get("rel") == "noopener noreferrer" for t, a in page.tags
               if t == "a" and a.get("href", "").startswith("http"))


@pytest.mark.parametrize("url", ["/statistics", "/about"])
def test_hostile_sources_and_notes_read_as_text_elsewhere(hostile, hostile_atlas, url):
    text = Html(hostile.get(url).get_data(as_text=True)).text
    figures = hostile_atlas.figures
    assert figures[0].source.title in text and figures[0].source.publisher in text
    if url == "/statistics":
        assert words(figures[-1].note) in text


def test_hostile_map_script_carries_only_escaped_text(hostile):
    page = Html(hostile.get("/").get_data(as_text=True))
    url = next(a["src"] for t, a in page.tags if t == "script" and a.get("src", "")
               .startswith("/map/"))
    script = hostile.get(url).get_data(as_text=True)
    for raw in ("<img", "<svg", "<script", "</script", "<b ", "${window", "${alert", "</div><"):
        assert raw not in script, raw
    assert "&lt;img src=x onerror=window.__pwned=10&gt;" in script, "crossing tooltip"
    assert "&#96;&#36;&#123;window.__pwned=9&#125;&#96; &#92;&#96;" in script, "template literal"
    assert "Sinuiju &#123;&#123; 7*7 &#125;&#125;" in script and "Sinuiju 49" not in script


def test_map_text_is_never_run_as_a_template(site_copy):
    """branca renders folium's script twice, the second time as a Jinja template: `{{ … }}` in
    a tooltip ran on the server (any Python, through Jinja's globals) until mapbuilder escaped
    the braces. The canaries below would print "pwned" and "42" if it ran."""
    data = json.loads(site_copy.read_text())
    for feature in data["features"]:
        if feature["id"] == "jsa":
            feature["properties"]["name"] = 'JSA {{ "pwn" ~ "ed" }}'
        if feature["id"] == "dmz-route":
            feature["properties"]["title"] = "Title {{ 6*7 }} {% if true %}yes{% endif %}"
        if feature["id"] == "mdl":
            feature["properties"]["name"] = "Line {{ 6*7 }}"
    site_copy.write_text(json.dumps(data, indent=2))
    client = create_app({"MAPAPP_DATA": str(site_copy), "TESTING": True}).test_client()
    page = Html(client.get("/").get_data(as_text=True))
    url = next(a["src"] for t, a in page.tags if t == "script" and a.get("src", "")
               .startswith("/map/"))
    script = client.get(url, headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    assert "pwned" not in script and "Title 42" not in script and "Line 42" not in script
    assert "JSA &#123;&#123; &quot;pwn&quot; ~ &quot;ed&quot; &#125;&#125;" in script
    assert "&#123;% if true %&#125;yes&#123;% endif %&#125;" in script


def test_hostile_api_gives_the_texts_as_data_with_http_sources_only(hostile, hostile_atlas):
    response = hostile.get("/api/routes.json")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    routes = response.json
    assert [r["title"] for r in routes] == [r.title for r in hostile_atlas.routes], (
        "data, unchanged")
    urls = [s["url"] for r in routes for s in r["sources"]]
    for layer in ("routes", "crossings", "countries", "dmz"):
        collection = hostile.get(f"/api/layers/{layer}.geojson").json
        urls += [s["url"] for f in collection["features"] for s in f["properties"]["sources"]]
    assert urls and all(re.match(r"https?://[^\s/]", url) for url in urls)


# -- reflected input -----------------------------------------------------------------------------
def test_error_pages_repeat_visitor_input_short_and_printable(client):
    response = client.get("/routes/" + "a" * 100_000)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert len(html) < 20_000 and "a" * 61 not in html and "a" * 60 + "…" in html
    html = client.get("/api/layers/%01%1b%7f<i>x.geojson").get_data(as_text=True)
    assert "\x01" not in html and "\x1b" not in html and "&lt;i&gt;x" in html


def test_hostile_fixture_is_valid_data(runner, hostile_atlas, site_atlas):
    """The server refuses invalid data, so the payloads must pass `mapapp validate`."""
    result = runner.invoke(cli, ["validate", str(HOSTILE_DATA.parent)])
    assert result.exit_code == 0, result.output
    assert len(hostile_atlas.routes) == len(site_atlas.routes)
    assert HOSTILE_DATA.with_name("README.md").is_file()
