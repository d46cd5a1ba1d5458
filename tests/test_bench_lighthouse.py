"""scripts/bench's Lighthouse section when Lighthouse fails to record a load: it runs it again,
as Lighthouse's message asks, and after three failures reports the budget as not measured with
Lighthouse's reason instead of stopping the whole bench with a traceback. Lighthouse itself is
replaced by a stand-in that writes the reports a real run writes."""

import json
import sys

import pytest
from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from benchmark import lighthouse

FAILED = {"categories": {"performance": {"score": None}},
          "audits": {"metrics": {"score": None, "errorMessage": "Something went wrong with "
                                 "recording the trace over your page load. (NO_NAVSTART)"}}}
RECORDED = {"categories": {"performance": {"score": 0.97}, "seo": {"score": 1}},
            "audits": {"metrics": {"details": {"items": [{"largestContentfulPaint": 1500,
                                                          "totalBlockingTime": 60}]}},
                       "render-blocking-resources": {"score": 0.5,
                                                     "scoreDisplayMode": "numeric"}}}


def stand_in(monkeypatch, reports: list[dict]) -> list:
    """Lighthouse writing `reports` one run after another; returns the runs made."""
    runs = []

    def run(command, **kwargs):
        runs.append(command)
        path = next(arg.split("=", 1)[1] for arg in command if arg.startswith("--output-path="))
        with open(path, "w") as report:
            json.dump(reports[len(runs) - 1], report)

    monkeypatch.setattr(lighthouse.subprocess, "run", run)
    return runs


def test_a_load_lighthouse_failed_to_record_is_run_again(monkeypatch, tmp_path):
    runs = stand_in(monkeypatch, [FAILED, RECORDED])
    figures = lighthouse.run("cli.js", "http://127.0.0.1:1/", tmp_path / "report.json")
    assert len(runs) == 2
    assert figures["scores"] == {"performance": 97, "seo": 100}
    assert (figures["lcp_ms"], figures["tbt_ms"]) == (1500, 60)
    assert figures["below_0.9"] == ["render-blocking-resources"]


def test_three_failures_give_lighthouses_reason(monkeypatch, tmp_path):
    runs = stand_in(monkeypatch, [FAILED] * 3)
    with pytest.raises(RuntimeError, match=r"could not measure http://127.0.0.1:1/ in 3 runs: "
                                           r".*\(NO_NAVSTART\)"):
        lighthouse.run("cli.js", "http://127.0.0.1:1/", tmp_path / "report.json")
    assert len(runs) == 3


def test_a_page_not_measured_is_a_verdict_not_a_traceback(monkeypatch, tmp_path):
    stand_in(monkeypatch, [FAILED] * 3 + [RECORDED])
    monkeypatch.setattr(lighthouse, "npm_package", lambda version: tmp_path)
    monkeypatch.setattr(lighthouse, "SCRATCH", tmp_path)
    monkeypatch.setattr(lighthouse, "say", lambda message: None)
    section = lighthouse.measure("http://127.0.0.1:1")
    verdicts = {verdict.budget: verdict for verdict in section.verdicts}
    assert verdicts["Lighthouse performance, /"].word == "NOT MEASURED"
    assert "NO_NAVSTART" in verdicts["Lighthouse performance, /"].line()
    assert verdicts["Lighthouse performance, route page"].value == 97
    assert [row[0] for row in section.rows] == ["route page"]
