"""The package finds its templates and data in a checkout and after a plain `pip install .`."""

import os
import subprocess
import sys
from pathlib import Path

from mapapp import loading, paths

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("from mapapp import loading, paths; print(paths.templates_dir()); "
         "print(loading.default_data_path()); print(paths.static_dir())")
# The shipped data, not a $MAPAPP_DATA the run may have been given.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "MAPAPP_DATA"}


def test_a_checkout_uses_the_top_level_folders(monkeypatch):
    monkeypatch.delenv("MAPAPP_DATA", raising=False)
    assert paths.templates_dir() == ROOT / "templates"
    assert loading.default_data_path() == ROOT / "data" / "routes.geojson"


def test_a_plain_install_carries_templates_data_and_static_files(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                           cwd=tmp_path, env={**ENVIRONMENT, "PYTHONPATH": str(target)})
    templates, data, static = (Path(line) for line in probe.stdout.split())
    assert templates == target / "mapapp" / "templates"
    assert data == target / "mapapp" / "data" / "routes.geojson"
    assert {p.name for p in templates.glob("*.html")} >= {"base.html"}
    assert data.is_file() and (data.parent / "statistics.csv").is_file()
    assert len(list((data.parent / "narratives").glob("*.md"))) >= 1
    assert (data.parent / "basemap" / "countries.geojson").is_file()
    assert any(static.rglob("*.js")) and any(static.rglob("*.css"))
    assert (static / "fonts" / "map-gothic-ko-regular.woff2").is_file(), "the Korean font"
    assert (target / "mapapp" / "translations" / "ko" / "LC_MESSAGES" / "messages.mo").is_file()
    assert (data.parent / "translations" / "ko.po").is_file(), "the Korean content"
    assert (target / "mapapp" / "docs" / "openapi.yaml").is_file(), "served at /api/openapi.yaml"
    # Run from elsewhere, with only the installed copy importable: it validates its own data.
    validate = subprocess.run([sys.executable, "-m", "mapapp", "validate"], capture_output=True,
                              text=True, cwd=tmp_path, env={**ENVIRONMENT, "PYTHONPATH": str(target)})
    assert validate.returncode == 0, validate.stdout + validate.stderr
