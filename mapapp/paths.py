"""Where the templates, static files and shipped data live.

In a checkout (and an editable install) they are the top-level `templates/` and `data/` folders
beside the package; a plain `pip install .` copies them into the package as `mapapp/templates`
and `mapapp/data` (see `package_dir` in setup.cfg). Looking inside the package first makes an
installed copy independent of the current directory.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def templates_dir() -> Path:
    return _bundled("templates")


def template_files() -> list[Path]:
    """Every template, those in subfolders (templates/slides) too: what `mapapp serve --debug`
    restarts on."""
    return sorted(templates_dir().rglob("*.html"))


def data_dir() -> Path:
    return _bundled("data")


def static_dir() -> Path:
    return PACKAGE_DIR / "static"


def openapi_path() -> Path:
    """docs/openapi.yaml, which the site also serves (shipped as `mapapp/docs`)."""
    return _bundled("docs") / "openapi.yaml"
