"""The git hooks (.pre-commit-config.yaml) run the data-only check the README documents, and
each of their commands works: on valid data they pass, on a slip they fail."""

import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mapapp.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
HOOKS = {hook["id"]: hook for repo in yaml.safe_load(
    (ROOT / ".pre-commit-config.yaml").read_text())["repos"] for hook in repo["hooks"]}


def arguments(hook_id: str, data: Path) -> list[str]:
    """The hook's mapapp arguments, on other data than the project's."""
    words = shlex.split(HOOKS[hook_id]["entry"])
    assert words[0] == ".venv/bin/mapapp" and "--data" in words
    words[words.index("--data") + 1] = str(data)
    return words[1:]


def test_the_hooks_are_the_documented_check():
    readme = (ROOT / "README.md").read_text()
    assert "mapapp format --check && .venv/bin/mapapp validate --strict" in readme
    assert arguments("mapapp-format", Path("x"))[:2] == ["format", "--check"]
    assert arguments("mapapp-validate", Path("x"))[:2] == ["validate", "--strict"]


@pytest.mark.parametrize("hook_id", ["mapapp-format", "mapapp-validate"])
def test_each_data_hook_passes_valid_data_and_fails_a_slip(hook_id):
    valid = CliRunner().invoke(cli, arguments(hook_id, DATA / "valid" / "routes.geojson"))
    assert valid.exit_code == 0, valid.output
    # validate --strict: a warning fails; format: JSON that does not parse cannot be formatted.
    slip, code = ((DATA / "faults" / "slips" / "stages-out-of-order" / "routes.geojson", 1)
                  if hook_id == "mapapp-validate" else
                  (DATA / "faults" / "syntax" / "trailing-comma.geojson", 2))
    assert CliRunner().invoke(cli, arguments(hook_id, slip)).exit_code == code
