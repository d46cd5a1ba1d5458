"""The HTTP interface against its description, docs/openapi.yaml, with schemathesis.

Schemathesis reads the description the app serves (/api/openapi.yaml), generates requests for
every operation, valid ones and invalid ones (ids outside the pattern, unknown layers), sends
them to the app in-process (WSGI) and checks every answer: no server error, a documented status,
content type, headers and body schema, 405 for undocumented methods. Our own check adds the
security headers. Bounded: a few dozen examples per operation, seconds in all.
"""

from __future__ import annotations

import re

import schemathesis
import yaml
from helpers import SITE_DATA
from hypothesis import HealthCheck, settings

from mapapp import paths
from mapapp.web import create_app

# Built at import: schemathesis needs the description to make one test per operation, and its
# lazy loader (schemathesis.pytest.from_fixture) does not run under pytest 9 yet.
APP = create_app({"MAPAPP_DATA": str(SITE_DATA)})
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.yaml", APP)
SCHEMA.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE,
                                       schemathesis.GenerationMode.NEGATIVE],
                                max_examples=40, deterministic=True)
# The WSGI client does not decode gzip: ask for the plain body (the same bytes, uncompressed).
PLAIN = {"Accept-Encoding": "identity"}


def security_headers(ctx, response, case) -> None:
    """Every answer carries the site's policy and nosniff."""
    policy = response.headers.get("content-security-policy", [""])[0]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, case.path
    assert response.headers.get("x-content-type-options") == ["nosniff"], case.path


@SCHEMA.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_app_answers_as_its_description_says(case):
    case.call_and_validate(headers=PLAIN, additional_checks=[security_headers])


def test_the_description_served_is_docs_openapi_yaml():
    response = APP.test_client().get("/api/openapi.yaml")
    assert response.mimetype == "application/yaml"
    assert response.get_data() == paths.openapi_path().read_bytes()
    assert paths.openapi_path() == paths.PACKAGE_DIR.parent / "docs" / "openapi.yaml"


def test_every_api_address_is_described():
    """An API route added without its description fails here."""
    described = set(yaml.safe_load(paths.openapi_path().read_text())["paths"])
    for rule in APP.url_map.iter_rules():
        if (rule.defaults or {}).get("lang", "en") != "en":
            continue  # a page's twin in another language: the same page, at /ko (info)
        if rule.endpoint.startswith("api.") or rule.endpoint in (
                "pages.index", "pages.route", "pages.statistics", "pages.about",
                "pages.glossary", "pages.year", "pages.years_index", "pages.timeline"):
            template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            assert template in described, f"{rule.rule} is not in docs/openapi.yaml"
