"""Lighthouse's mobile preset (simulated slow 4G, 4× CPU slowdown) on the map page and a route
page, with Debian's Chromium: the four category scores, LCP and TBT, and the audits scoring
under 0.9. Lighthouse comes from npm into the scratch folder; its reports stay there."""

from __future__ import annotations

import json
import os
import subprocess

from helpers import CHROMIUM, CHROMIUM_ARGS

from benchmark import ROUTE, SCRATCH, budgets
from benchmark.report import Section
from benchmark.tools import npm_package, say

VERSION = "lighthouse@12.8.2"  # 13.x needs Node 22; Debian 12 ships Node 18/20
PAGES = {"/": "/", "route page": f"/routes/{ROUTE}"}


ATTEMPTS = 3  # Lighthouse sometimes fails to record a load ("NO_NAVSTART"): it says run again


def run(cli, url: str, report) -> dict:
    """One Lighthouse run's scores, LCP and TBT; a run that recorded nothing is run again, and
    after ATTEMPTS a RuntimeError says Lighthouse's own reason."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    reason = "it wrote no report"
    for _ in range(ATTEMPTS):
        report.unlink(missing_ok=True)
        subprocess.run(["node", str(cli), url, "--quiet", "--output=json",
                        f"--output-path={report}", f"--chrome-flags={flags}",
                        "--only-categories=performance,accessibility,best-practices,seo"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        if not report.exists():
            continue
        data = json.loads(report.read_text())
        metrics = data["audits"]["metrics"]
        if "details" in metrics:
            return figures(data, metrics["details"]["items"][0], report)
        reason = ((data.get("runtimeError") or {}).get("message") or metrics.get("errorMessage")
                  or "its report has no metrics")
    raise RuntimeError(f"Lighthouse could not measure {url} in {ATTEMPTS} runs: {reason}")


def figures(data: dict, metrics: dict, report) -> dict:
    """What the bench keeps of one report."""
    return {"scores": {key: round(category["score"] * 100)
                       for key, category in data["categories"].items()
                       if category["score"] is not None},
            "below_0.9": sorted(audit_id for audit_id, audit in data["audits"].items()
                                if audit.get("score") is not None and audit["score"] < 0.9
                                and audit.get("scoreDisplayMode") in ("binary", "numeric")),
            "lcp_ms": metrics.get("largestContentfulPaint"),
            "tbt_ms": metrics.get("totalBlockingTime"), "report": str(report)}


def measure(site_url: str) -> Section:
    section = Section("lighthouse", "Lighthouse, mobile preset (simulated slow 4G, 4× CPU "
                      "slowdown)", ["page", *budgets.LIGHTHOUSE, "LCP ms", "TBT ms"])
    package = npm_package(VERSION)
    if package is None:
        section.verdicts = [verdict for name in PAGES
                            for verdict in verdicts(name, why=f"npm could not install {VERSION}")]
        return section
    results = {}
    for name, path in PAGES.items():
        say(f"Lighthouse on {path}…")
        slug = name.replace(" ", "-").strip("/") or "index"
        try:
            results[name] = run(package / "cli" / "index.js", site_url + path,
                                SCRATCH / f"lighthouse-{slug}.json")
        except RuntimeError as error:
            section.notes.append(str(error))
            section.verdicts += verdicts(name, why=str(error))
    for name, result in results.items():
        scores = result["scores"]
        section.rows.append([name, *(scores.get(c) for c in budgets.LIGHTHOUSE),
                             result["lcp_ms"], result["tbt_ms"]])
        if result["below_0.9"]:
            section.notes.append(f"{name}, audits below 0.9: {', '.join(result['below_0.9'])}")
        section.verdicts += verdicts(name, scores)
    section.figures = results
    return section


def verdicts(name: str, scores: dict | None = None, why: str = "") -> list[budgets.Verdict]:
    """A page's four category verdicts: its scores, or not measured and why."""
    return [budgets.Verdict(f"Lighthouse {category}, {name}", minimum, "",
                            None if scores is None else scores.get(category, 0), at_most=False,
                            why_not=why)
            for category, minimum in budgets.LIGHTHOUSE.items()]
