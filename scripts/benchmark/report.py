"""What the bench prints: a table per section, then every budget with its verdict; or the same
as JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from benchmark.budgets import Verdict


@dataclass
class Section:
    """The figures of one part of the bench: a table for people, the figures for machines, the
    budgets they were held to, and what was left out and why."""

    name: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    figures: object = None
    verdicts: list[Verdict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


def table(columns: list[str], rows: list[list]) -> list[str]:
    """Columns aligned: the first to the left, the others to the right."""
    cells = [columns, *([cell(value) for value in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return ["  ".join(text.ljust(width) if i == 0 else text.rjust(width)
                      for i, (text, width) in enumerate(zip(row, widths, strict=True)))
            for row in cells]


def text(sections: list[Section]) -> str:
    lines = []
    for section in sections:
        lines += ["", section.title]
        if section.rows:
            lines += ["  " + line for line in table(section.columns, section.rows)]
        lines += [f"  note: {note}" for note in section.notes]
    verdicts = [verdict for section in sections for verdict in section.verdicts]
    if verdicts:
        width = max(len(verdict.word) for verdict in verdicts)
        lines += ["", "Budgets (DESIGN section 5)"]
        lines += [f"  {verdict.word:<{width}}  {verdict.line()}" for verdict in verdicts]
    return "\n".join(lines)


def as_json(settings: dict, sections: list[Section]) -> str:
    return json.dumps({
        "settings": settings,
        "figures": {section.name: section.figures for section in sections},
        "budgets": [verdict.as_json() for section in sections for verdict in section.verdicts],
        "notes": [f"{section.name}: {note}" for section in sections for note in section.notes],
    }, indent=2, ensure_ascii=False)
