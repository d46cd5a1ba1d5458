"""What every check shares: the Problem record and the Inspection that checks report into."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from mapapp.loading import Dataset, JsonDocument, Pointer
from mapapp.narrative import Narrative
from mapapp.parsing import Feature, Parsed
from mapapp.statistics import Figure

_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r"})


def _one_line(text: str) -> str:
    """A text quoted from the data may hold line breaks; one problem stays on one line."""
    return text.translate(_BREAKS)


CHECKS = ("structure", "geometry", "schema", "reference", "spatial", "safety", "translation")


@dataclass(frozen=True)
class Problem:
    """One thing a maintainer must fix: where, in which feature, what is wrong, what to do."""

    path: str
    line: int
    feature: str | None  # as the text names it: 'feature "id"', or 'feature #3' without an id
    check: str
    message: str
    hint: str
    # "error": the data is unusable (exit 1; the site refuses it); "warning" (text not yet
    # translated): told, and changes nothing unless `mapapp validate --strict`.
    severity: str = "error"
    feature_id: str | None = None  # what tools get as "feature": the feature's own id

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_text(self) -> str:
        where = f"{self.path}:{self.line}: " + ("" if self.is_error else "warning: ")
        subject = f"{self.feature}: " if self.feature else ""
        return _one_line(f"{where}{subject}{self.message}") + "\n    hint: " + _one_line(self.hint)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "feature": self.feature_id,
            "check": self.check,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


@dataclass
class Inspection:
    """The state of one validation run: the parsed data it looks at, and the problems so far.

    Checks run in order; `broken` holds the features whose structure or geometry is unusable,
    so that later checks skip them instead of reporting the same fault again in other words.
    """

    parsed: Parsed
    problems: list[Problem] = field(default_factory=list)
    broken: set[int] = field(default_factory=set)  # feature indices

    @property
    def dataset(self) -> Dataset:
        return self.parsed.dataset

    @property
    def document(self) -> JsonDocument:
        return self.parsed.document

    @property
    def features(self) -> tuple[Feature, ...]:
        return self.parsed.features

    @property
    def narratives(self) -> Mapping[str, Narrative]:
        return self.parsed.narratives

    @property
    def figures(self) -> tuple[Figure, ...]:
        return self.parsed.figures

    def report(
        self,
        check: str,
        message: str,
        hint: str,
        feature: Feature | None = None,
        member: Pointer = (),
        *,
        path: str | None = None,
        line: int | None = None,
        severity: str = "error",
    ) -> None:
        """Record a problem at a feature's member, or at an explicit path and line."""
        if line is None:
            base = feature.pointer if feature else ()
            line = self.document.line((*base, *member))
        self.problems.append(
            Problem(
                path=str(path or self.document.path),
                line=line,
                feature=feature.label if feature else None,
                check=check,
                message=message,
                hint=hint,
                severity=severity,
                feature_id=None if feature is None or feature.id is None else str(feature.id),
            )
        )

    def features_in(self, *layers: str) -> Iterator[Feature]:
        """Features of the given layers whose structure and geometry are usable."""
        for feature in self.parsed.features:
            if feature.index not in self.broken and feature.layer in layers:
                yield feature

    def shapes(self) -> dict[int, BaseGeometry]:
        """The shapes of the usable features, by feature index."""
        return {feature.index: feature.shape for feature in self.parsed.features
                if feature.shape is not None and feature.index not in self.broken}

    def by_id(self) -> dict[str, Feature]:
        return {feature.id: feature for feature in self.parsed.features if feature.id is not None}
