"""The budgets of DESIGN section 5 (and issue 14), and the verdict on a measured value.

A budget is measured, or says why it was not (a page that does not exist yet, a tool that could
not be installed): a budget not measured is not met.
"""

from __future__ import annotations

from dataclasses import dataclass

READY_MS = 400  # map ready on loopback, median
READY_VS_FOLIUM = 0.8  # the same, as a ratio to folium's own page of the same map
FIRST_VIEW_KB = {"en": 200, "ko": 450}  # compressed; Korean with its font
LEAVING_THE_SITE = 0  # requests to anywhere but the site
LIGHTHOUSE = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
P99_MS = 100  # under 64 connections on loopback, and no error
VALIDATE_S = {"shipped": 1, "10,000 features": 5, "100,000 features": 50}
GROWTH_EXPONENT = 1.2  # validation time ~ features^k from 10,000 to 100,000; 1 is linear
EXPORT_S = 15  # both languages


@dataclass(frozen=True)
class Verdict:
    budget: str
    limit: float
    unit: str
    value: float | None = None  # None: not measured
    at_most: bool = True
    why_not: str = ""  # why it was not measured

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    @property
    def word(self) -> str:
        if self.value is None:
            return "NOT MEASURED"
        return "ok" if self.met else "MISSED"

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        budget = f"budget {sign} {self.limit:g}{self.unit}"
        if self.value is None:
            return f"{self.budget}: {self.why_not} ({budget})"
        return f"{self.budget}: {self.value:g}{self.unit} ({budget})"

    def as_json(self) -> dict:
        return {"budget": self.budget, "value": self.value, "limit": self.limit,
                "unit": self.unit.strip(), "at_most": self.at_most, "verdict": self.word,
                **({"why_not": self.why_not} if self.value is None else {})}
