"""The `schema` of the files beside the GeoJSON: the narratives, the context chapter, the
glossary and the statistics.

Their parsers (mapapp.narrative, mapapp.statistics) record each fault with its line as they
read; this check reports those, and the files that could not be read at all.
"""

from __future__ import annotations

from mapapp.loading import DataError
from mapapp.validation.core import Inspection


def check(inspection: Inspection) -> None:
    dataset = inspection.dataset
    unreadable = [(source, "save the narrative as UTF-8 text")
                  for source in dataset.narratives.values() if isinstance(source, DataError)]
    if isinstance(dataset.statistics, DataError):
        unreadable.append((dataset.statistics, "save the statistics as UTF-8 CSV"))
    unreadable += [(source, "save it as UTF-8 Markdown text")
                   for source in (dataset.context, dataset.glossary, dataset.further_reading,
                                  dataset.teach)
                   if isinstance(source, DataError)]
    for error, hint in unreadable:
        inspection.report("schema", error.message, hint, path=error.path, line=error.line or 1)
    for found in inspection.parsed.issues:
        issue = found.issue
        inspection.report(issue.check, issue.message, issue.hint, path=str(found.path),
                          line=issue.line)
