"""The teachers' guide (data/teach.md): Markdown data like the stories, read with its faults.

A header between `---` lines gives the guide's `title`, the `aims` a lesson may have (an id and
what it is) and `question_aims`: for the context chapter (`context`) and each route, the aims of
its discussion questions, one entry per question in their order (an aim id, or a list of them).
The body is the guide itself, one `##` section per topic, each rendered by mapapp.markup; where
it states a fact it links the original publication, as the stories do. The page gathers every
route's questions from the narratives and shows beside each the aims it serves, so a question
added to a story without its aims here is reported, with the line to add.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from mapapp import contract
from mapapp.contract import Issue

HEADER_KEYS = ("title", "aims", "question_aims")
CONTEXT_KEY = "context"  # question_aims of the context chapter
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Section:
    id: str  # from its title, for the guide's table of contents
    title: str
    body: str  # Markdown


@dataclass(frozen=True)
class Guide:
    path: Path
    title: str
    intro: str  # Markdown
    sections: tuple[Section, ...]
    aims: tuple[tuple[str, str], ...]  # (id, what it is), in the guide's order
    question_aims: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # key -> per question

    def aim(self, aim_id: str) -> str:
        return dict(self.aims).get(aim_id, aim_id)

    def aims_of(self, key: str) -> tuple[tuple[str, ...], ...]:
        """The aims of each question of the context chapter or a route ("" for none)."""
        return dict(self.question_aims).get(key, ())


def parse_guide(text: str, path: Path, questions: Mapping[str, int | None]
                ) -> tuple[Guide, list[Issue]]:
    """Read the guide; `questions`: how many questions the context chapter (`context`) and each
    route (by id) have, which `question_aims` must match (None where a header that cannot be
    read hides them: its own fault is reported, and the count is not checked)."""
    issues: list[Issue] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    known = len(issues)
    header, start = _header(lines, issues)
    title = header.get("title")
    if not (isinstance(title, str) and title.strip()):
        if len(issues) == known:  # else the header's own fault says it
            issues.append(Issue(1, 'the guide has no "title:" line',
                                "add `title: …` to its header"))
        title = ""
    aims = _aims(header.get("aims"), _line_of(lines, "aims"), issues)
    question_aims = _question_aims(header.get("question_aims"), lines, dict(aims), questions,
                                   issues)
    for offset, line in enumerate(lines[start:], start=start + 1):
        for url in _LINK.findall(line):
            if mirror := contract.mirror_host(url):
                issues.append(Issue(offset, f"the link {url!r} is a copy on {mirror} "
                                    f"({contract.MIRROR_HOSTS[mirror]}), not the original",
                                    "link the original publication instead (see "
                                    "docs/data-format.md, sources)"))
    intro, sections = _sections(lines[start:])
    return Guide(path, title.strip(), intro, sections, aims, question_aims), issues


def _header(lines: list[str], issues: list[Issue]) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        issues.append(Issue(1, "the guide has no header",
                            "start it with a `---` line, `title: …`, its aims and another `---`"))
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        issues.append(Issue(1, "the header starting with --- is never closed",
                            "end the header with a line holding only ---"))
        return {}, 0
    try:
        header = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        issues.append(Issue(mark.line + 2 if mark else 1, "the header is not valid YAML: "
                            f"{getattr(error, 'problem', None) or error}",
                            "write `key: value` lines; quote texts that contain a colon"))
        return {}, end + 1
    if not isinstance(header, dict):
        issues.append(Issue(2, "the header must hold `key: value` lines",
                            f"use {', '.join(HEADER_KEYS)}"))
        return {}, end + 1
    for key in header:
        if key not in HEADER_KEYS:
            issues.append(Issue(_line_of(lines, str(key)), f'the header has an unknown key '
                                f'"{key}"', f"the known keys are {', '.join(HEADER_KEYS)}"))
    return header, end + 1


def _line_of(lines: list[str], key: str, after: int = 0) -> int:
    """The line where `key:` is written (at any indentation), after line `after`; else 1."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((i + 1 for i in range(after, len(lines)) if pattern.match(lines[i])), after or 1)


def _aims(value, line: int, issues: list[Issue]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and contract.ID_PATTERN.match(k) and isinstance(v, str) and v.strip()
            for k, v in value.items()):
        issues.append(Issue(line, "aims must be `id: what the aim is` lines",
                            "write each aim as `  geography: Reading the map …` (ids in lowercase "
                            "letters, digits and hyphens)"))
        return ()
    return tuple((key, text.strip()) for key, text in value.items())


def _question_aims(value, lines: list[str], aims: dict, questions: Mapping[str, int | None],
                   issues: list[Issue]) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    start = _line_of(lines, "question_aims")
    if value is None and not aims:  # a header that could not be read: its fault says so
        return ()
    if value is None:
        value = {}
    if not isinstance(value, dict):
        issues.append(Issue(start, "question_aims must map a route's id to a list",
                            "write `  southern-route: [geography, rights]`, one aim per question"))
        return ()
    found = []
    for key, entries in value.items():
        line = _line_of(lines, str(key), start)
        if key not in questions:
            known = ", ".join(sorted(questions))
            issues.append(Issue(line, f'question_aims names "{key}", which is neither a route '
                                "nor the context chapter", f"use one of {known}"))
            continue
        entries = entries if isinstance(entries, list) else [entries]
        per_question = tuple(tuple(entry) if isinstance(entry, list) else (entry,)
                             for entry in entries)
        for aim in {aim for entry in per_question for aim in entry}:
            if aim not in aims:
                issues.append(Issue(line, f'question_aims of "{key}" names the aim "{aim}", '
                                    "which `aims` does not list",
                                    f"use one of {', '.join(aims) or '(no aims yet)'}"))
        if questions[key] is not None and len(per_question) != questions[key]:
            issues.append(Issue(line, f'question_aims of "{key}" gives {len(per_question)} '
                                f"aims for {questions[key]} questions",
                                "give one aim (or a list of aims) per question, in the order "
                                "of the questions in its story's header"))
        found.append((key, per_question))
    for key, count in questions.items():
        if count and key not in value:
            issues.append(Issue(start, f'question_aims has no entry for "{key}", which has '
                                f"{count} questions", f"add `  {key}: [...]` with one aim per "
                                "question"))
    return tuple(found)


def _sections(body: list[str]) -> tuple[str, tuple[Section, ...]]:
    """The introduction and the `##` sections of the body."""
    headings = [i for i, line in enumerate(body) if line.startswith("## ")]
    intro = "\n".join(body[:headings[0] if headings else len(body)]).strip()
    sections = []
    for i, end in zip(headings, [*headings[1:], len(body)], strict=False):
        title = body[i][3:].strip()
        sections.append(Section(_SLUG.sub("-", title.lower()).strip("-"), title,
                                "\n".join(body[i + 1:end]).strip()))
    return intro, tuple(sections)
