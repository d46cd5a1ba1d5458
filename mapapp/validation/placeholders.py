"""Placeholders left to fill in: `mapapp new` writes "TODO: …" wherever a maintainer must write
something, and this check makes sure none of them ships.

A line that still holds a placeholder is reported once, as what to fill in: whatever else an
earlier check found on that line (a source line not in its form yet) follows from it.
"""

from __future__ import annotations

from mapapp.loading import TextFile
from mapapp.validation.core import Inspection

CHECK = "schema"
MARK = "TODO"
SOURCE_HINT = "write the source as `- [Title](https://original-address), Publisher, Year`"


def check(inspection: Inspection) -> None:
    found = len(inspection.problems)
    features = inspection.features if _may_hold_mark(inspection.document.text) else ()
    for feature in features:
        for member, text in _texts(feature.properties, ("properties",)):
            name = "".join(f"[{key}]" if isinstance(key, int) else f".{key}"
                           for key in member[1:]).lstrip(".")
            hint = ("write the address of the original publication" if member[-1] == "url"
                    else _fill_in(text))
            inspection.report(CHECK, f'"{name}" still holds a placeholder: "{text}"', hint,
                              feature, member)
    for source in inspection.dataset.narratives.values():
        if not isinstance(source, TextFile) or MARK not in source.text:
            continue
        for number, line in enumerate(source.text.splitlines(), start=1):
            if MARK in line:
                hint = (SOURCE_HINT if line.lstrip().startswith(("- [", "* ["))
                        else _fill_in(line))
                inspection.report(CHECK, f'the line still holds a placeholder: "{line.strip()}"',
                                  hint, path=str(source.path), line=number)
    placeholders = {(p.path, p.line) for p in inspection.problems[found:]}
    if placeholders:
        inspection.problems[:found] = [p for p in inspection.problems[:found]
                                       if (p.path, p.line) not in placeholders]


def _may_hold_mark(json_text: str) -> bool:
    """Whether any text of the GeoJSON may hold the mark: only where the file has it, or writes
    a letter as an escape (\\u0054 is T; no other escape of JSON makes a letter)."""
    return MARK in json_text or "\\u00" in json_text


def _texts(value, member: tuple) -> list[tuple[tuple, str]]:
    """The texts holding the placeholder mark, with their members, anywhere in `value` (walked
    without recursion: hand-written data may nest deeper than Python's stack)."""
    found, stack = [], [(member, value)]
    while stack:
        member, value = stack.pop()
        if isinstance(value, str) and MARK in value:
            found.append((member, value))
        elif isinstance(value, dict):
            stack += [((*member, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*member, index), item) for index, item in enumerate(value)]
    return found[::-1]


def _fill_in(text: str) -> str:
    what = text.partition(f"{MARK}:")[2].strip() if f"{MARK}:" in text else ""
    return f"fill in {what}" if what else "replace the placeholder with the real text"
