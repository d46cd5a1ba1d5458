"""The parts of scripts/bench, one module per kind of figure, and the budgets they are held to.

    budgets     DESIGN section 5's budgets, and the verdict on a measured value
    pages       first view in headless Chromium (weight, requests, time until the map is ready),
                beside folium's own page of the same map (baseline.py)
    load        wrk under 64 connections on loopback (also scripts/loadtest), beside a minimal
                Flask app on the same server and nginx serving the export
    validation  `mapapp validate` on the shipped data and on synthetic data of 10,000 and
                100,000 features
    export      `mapapp export`
    lighthouse  Lighthouse's mobile preset
    report      the table printed, or the JSON

Servers are started and awaited with the tests' own helpers (tests/helpers.py), so the bench,
the load test and the tests start `mapapp serve` the same way and use the same Chromium flags.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = Path("/tmp/mapapp-bench")  # npm packages, reports and work folders, kept between runs
ROUTE = "southern-route"  # the route page measured

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))
