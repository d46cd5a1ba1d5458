"""The `schema` of the files beside the GeoJSON: the narratives and the statistics.

Parses them once for the checks that follow (references, spatial truth and safety of places).
"""

from __future__ import annotations

from mapapp import statistics as statistics_format
from mapapp.loading import DataError
from mapapp.narrative import parse_narrative
from mapapp.validation.core import Inspection


def check(inspection: Inspection) -> None:
    dataset = inspection.dataset
    for route_id, source in dataset.narratives.items():
        if isinstance(source, DataError):
            inspection.report("schema", source.message, "save the narrative as UTF-8 text",
                              path=source.path, line=source.line or 1)
            continue
        narrative, issues = parse_narrative(source.text, route_id, source.path)
        inspection.narratives[route_id] = narrative
        for issue in issues:
            inspection.report(issue.check, issue.message, issue.hint, path=str(source.path),
                              line=issue.line)
    statistics = dataset.statistics
    if isinstance(statistics, DataError):
        inspection.report("schema", statistics.message, "save the statistics as UTF-8 CSV",
                          path=statistics.path, line=statistics.line or 1)
    elif statistics is not None:
        inspection.figures, issues = statistics_format.parse_statistics(statistics.text)
        for issue in issues:
            inspection.report(issue.check, issue.message, issue.hint,
                              path=str(statistics.path), line=issue.line)
