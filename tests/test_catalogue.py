"""The shipped Korean catalogue (data/translations/ko.po) as a file: what `mapapp translations
update` writes on a copy of the shipped data is a PO file that GNU gettext accepts and that
reads back the same however often the command runs, and the shipped Korean is complete.

The gettext checks need GNU gettext's `msgfmt` (Debian's gettext package); the rest do not.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import denormalize, read_po, write_po
from click.testing import CliRunner
from helpers import ROOT

from mapapp.catalogue import Text, Update, updated_catalogue
from mapapp.cli import cli

SHIPPED = ROOT / "data" / "translations" / "ko.po"
MSGFMT = shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed")


def msgfmt(catalogue: Path) -> subprocess.CompletedProcess:
    """GNU gettext's own check of a PO file, format strings included."""
    return subprocess.run([MSGFMT, "--check", "--check-format", "-o", "/dev/null", str(catalogue)],
                          capture_output=True, text=True)


def update(data: Path) -> str:
    result = CliRunner().invoke(cli, ["translations", "update", "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stderr


def entries(catalogue: Path) -> dict:
    with catalogue.open("rb") as handle:
        return {(m.context, m.id): m for m in read_po(handle) if m.id}


def previous_msgid(text: str, context: str) -> str:
    """The old English of the entry `context`, read from its `#|` lines as PO strings: the
    first `#| msgid "…"`, then one `#| "…"` per line, nothing else."""
    lines = text[:text.index(f'msgctxt "{context}"')].splitlines()
    start = max(number for number, line in enumerate(lines) if line.startswith("#| msgid "))
    marked = [line.removeprefix("#| ") for line in lines[start:]]
    assert all(line.startswith('"') and line.endswith('"') for line in marked[1:]), marked
    return denormalize("\n".join([marked[0].removeprefix("msgid "), *marked[1:]]))


@pytest.fixture
def shipped(tmp_path) -> Path:
    """A copy of the shipped data, its catalogue up to date with its English."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    data = tmp_path / "data" / "routes.geojson"
    update(data)
    return data


def test_a_changed_paragraph_is_fuzzy_beside_its_old_english_update_after_update(shipped):
    catalogue = shipped.parent / "translations" / "ko.po"
    before = entries(catalogue)
    fuzzy = sum(1 for message in before.values() if message.fuzzy)
    message = next(m for m in before.values() if m.string and not m.fuzzy and len(m.id) > 300
                   and m.locations[0][0].endswith(".md"))
    english = ROOT / message.locations[0][0]
    copy = shipped.parent / english.relative_to(ROOT / "data")
    text = copy.read_text(encoding="utf-8")
    assert text.count(message.id) == 1
    copy.write_text(text.replace(message.id, message.id + " A sentence added since."),
                    encoding="utf-8")

    first = update(shipped)
    written = catalogue.read_text(encoding="utf-8")
    assert f"{fuzzy + 1} outdated (fuzzy)" in first and "(100%)" not in first
    second = update(shipped)
    assert "already up to date" in second and f"{fuzzy + 1} outdated (fuzzy)" in second
    assert catalogue.read_text(encoding="utf-8") == written, "the same file, run after run"

    after = entries(catalogue)
    changed = after[(message.context, message.id + " A sentence added since.")]
    assert changed.fuzzy and changed.string == message.string
    assert sum(1 for m in after.values() if m.fuzzy) == fuzzy + 1
    assert previous_msgid(written, message.context) == message.id
    assert "# |" not in written and "python-format" not in written


@needs_gettext
def test_gettext_accepts_the_catalogue_with_an_outdated_paragraph(shipped):
    catalogue = shipped.parent / "translations" / "ko.po"
    message = next(m for m in entries(catalogue).values() if m.string and len(m.id) > 300
                   and m.locations[0][0].endswith(".md") and '"' not in m.id)
    english = shipped.parent.parent / message.locations[0][0]
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace(message.id, "Changed. " + message.id), encoding="utf-8")
    update(shipped)
    update(shipped)
    result = msgfmt(catalogue)
    assert result.returncode == 0, result.stderr
    attributes = subprocess.run([shutil.which("msgattrib"), "--only-fuzzy", "--no-wrap",
                                 str(catalogue)], capture_output=True, text=True, check=True)
    assert f'#| msgid "{message.id}"' in attributes.stdout, "gettext reads the old English"


@needs_gettext
def test_gettext_accepts_the_shipped_catalogue():
    result = msgfmt(SHIPPED)
    assert result.returncode == 0, result.stderr


def test_no_content_text_is_marked_as_a_format_string():
    assert "python-format" not in SHIPPED.read_text(encoding="utf-8"), \
        'content is not a format string: "12% of them" is no directive'


def test_the_share_translated_is_rounded_down():
    assert Update("", 0, 2, 0, 477, 479).share == "99%"
    assert Update("", 0, 0, 0, 479, 479).share == "100%"
    assert Update("", 0, 0, 0, 0, 0).share == "–"


def test_the_shipped_korean_is_complete():
    result = CliRunner().invoke(cli, ["validate", "--strict", str(ROOT / "data")])
    assert result.exit_code == 0, result.stderr
    narratives = len(list((ROOT / "data" / "narratives").glob("*.md")))
    assert result.stderr.strip() == (f"Checked {ROOT / 'data' / 'routes.geojson'} and "
                                     f"{narratives} narratives: no problems.")


def test_the_old_english_as_babel_wrote_it_is_read_back_and_written_as_gettext_reads_it():
    """A catalogue written before: Babel's write_po put the old English on wrapped `#|` lines
    that are not PO strings; the next update repairs them instead of keeping them as comments."""
    old = "People cross where the river is shallow, usually at night and often with the help " \
          "of someone paid on the other side, then hide in the villages near the border."
    new = old.replace("usually at night", "mostly at night")
    catalog = Catalog(locale="ko")
    catalog.add(new, "사람들은 강이 얕은 곳을 건넌다.", context="route:r:stage-1:body",
                flags=["fuzzy"], previous_id=old)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    babel_wrote = buffer.getvalue().decode("utf-8")
    assert '#| msgid "" "' in babel_wrote, "the shape GNU gettext rejects"

    texts = [Text("route:r:stage-1:body", new, (("data/narratives/r.md", 9),))]
    repaired = updated_catalogue(texts, babel_wrote, "ko")
    assert previous_msgid(repaired.text, "route:r:stage-1:body") == old
    assert "# |" not in repaired.text and repaired.outdated == 1
    assert updated_catalogue(texts, repaired.text, "ko").text == repaired.text
