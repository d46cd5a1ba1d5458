"""Every check of docs/data-format.md over a dataset, all problems in one run.

Checks run in a fixed order; each reports into one Inspection and later checks skip what earlier
ones found unusable, so a maintainer sees each fault once, in the words of the check it breaks.
"""

from __future__ import annotations

from pathlib import Path

from mapapp.loading import (
    Dataset,
    cycle_collection_paused,
    load_dataset,
    read_text,
    what_to_check,
)
from mapapp.parsing import Parsed, parse, parse_alone
from mapapp.validation import (
    agreement,
    chronology,
    documents,
    geometry,
    placeholders,
    references,
    safety,
    schema,
    spatial,
    structure,
    translation,
)
from mapapp.validation.core import CHECKS, Inspection, Problem

__all__ = ["CHECKS", "Inspection", "Problem", "check", "inspect", "validate", "validate_file",
           "validate_path"]

STEPS = (structure, geometry, schema, documents, references, chronology, spatial, agreement,
         safety, translation, placeholders)


def check(parsed: Parsed) -> Inspection:
    """Run every check over parsed data; the Inspection keeps the problems, in file order."""
    inspection = Inspection(parsed)
    # A file that is not a FeatureCollection is checked as GeoJSON and told to become one;
    # checking references or truth of a fragment would only bury that one message.
    with cycle_collection_paused():
        for step in STEPS if parsed.is_collection else STEPS[:3]:
            step.check(inspection)
    path = str(parsed.document.path)
    inspection.problems.sort(key=lambda p: (p.path != path, p.path, p.line))
    return inspection


def inspect(dataset: Dataset) -> Inspection:
    """Parse and check a dataset."""
    return check(parse(dataset))


def validate(dataset: Dataset) -> list[Problem]:
    return inspect(dataset).problems


def validate_path(path: Path | str | None = None) -> list[Problem]:
    """Load and check; raises loading.DataError when the GeoJSON itself cannot be read."""
    with cycle_collection_paused():  # once for the whole run: each resumption walks every object
        return validate(load_dataset(path))


def validate_file(path: Path | str) -> list[Problem]:
    """Check one path as the CLI takes it: a GeoJSON file (with what lies beside it), a folder
    holding routes.geojson, a single narrative, the context chapter, the glossary or the further
    reading (.md), or the statistics (.csv). A file alone is checked for its own form: whether
    its glossary links and places resolve needs the whole dataset. A content catalogue (.po) is
    checked against the data it translates, the folder above its own: its `translation`
    problems only; the teachers' guide with the data beside it, whose stories its
    question_aims count: its own problems only (loading.what_to_check says which)."""
    kind, checked = what_to_check(path)
    if kind == "data":
        return validate_path(checked)
    if kind == "translation":
        return [problem for problem in validate_path(checked) if problem.check == "translation"]
    if kind == "guide":
        guide = Path(path).resolve()
        return [problem for problem in validate_path(checked)
                if Path(problem.path).resolve() == guide]
    issues = parse_alone(kind, read_text(checked))
    return [Problem(str(checked), issue.line, None, issue.check, issue.message, issue.hint)
            for issue in sorted(issues, key=lambda issue: issue.line)]
