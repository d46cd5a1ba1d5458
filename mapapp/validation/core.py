"""What every check shares: the Problem record and the Inspection that checks report into."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mapapp.loading import Dataset, JsonDocument, Pointer

_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r"})


def _one_line(text: str) -> str:
    """A text quoted from the data may hold line breaks; one problem stays on one line."""
    return text.translate(_BREAKS)


CHECKS = ("structure", "geometry", "schema", "reference", "spatial", "safety")


@dataclass(frozen=True)
class Problem:
    """One thing a maintainer must fix: where, in which feature, what is wrong, what to do."""

    path: str
    line: int
    feature: str | None
    check: str
    message: str
    hint: str

    def as_text(self) -> str:
        where = f"{self.path}:{self.line}: "
        subject = f"{self.feature}: " if self.feature else ""
        return _one_line(f"{where}{subject}{self.message}") + "\n    hint: " + _one_line(self.hint)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "feature": self.feature,
            "check": self.check,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class FeatureRef:
    """An entry of the features array, whatever its type, with a name for messages."""

    index: int
    value: Any
    pointer: Pointer

    @property
    def id(self) -> str | None:
        if isinstance(self.value, dict) and isinstance(self.value.get("id"), str):
            return self.value["id"]
        return None

    @property
    def label(self) -> str:
        return f'feature "{self.id}"' if self.id is not None else f"feature #{self.index + 1}"

    @cached_property  # every check asks, many times; the data does not change while checked
    def properties(self) -> dict:
        props = self.value.get("properties") if isinstance(self.value, dict) else None
        return props if isinstance(props, dict) else {}

    @cached_property
    def layer(self) -> str | None:
        layer = self.properties.get("layer")
        return layer if isinstance(layer, str) else None


@dataclass
class Inspection:
    """The state of one validation run: the dataset, the features, and the problems so far.

    Checks run in order; `broken` holds the features whose structure is unusable, so that later
    checks skip them instead of reporting the same fault again in other words.
    """

    dataset: Dataset
    features: list[FeatureRef]
    problems: list[Problem] = field(default_factory=list)
    broken: set[int] = field(default_factory=set)
    shapes: dict[int, Any] = field(default_factory=dict)  # feature index -> shapely geometry
    narratives: dict[str, Any] = field(default_factory=dict)  # route id -> parsed Narrative
    figures: list[Any] = field(default_factory=list)  # parsed statistics rows

    @property
    def document(self) -> JsonDocument:
        return self.dataset.geojson

    def report(
        self,
        check: str,
        message: str,
        hint: str,
        feature: FeatureRef | None = None,
        member: Pointer = (),
        *,
        path: str | None = None,
        line: int | None = None,
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
            )
        )

    def features_in(self, *layers: str) -> Iterator[FeatureRef]:
        """Features of the given layers whose structure is usable."""
        for ref in self.features:
            if ref.index not in self.broken and ref.layer in layers:
                yield ref

    def by_id(self) -> dict[str, FeatureRef]:
        return {ref.id: ref for ref in self.features if ref.id is not None}
