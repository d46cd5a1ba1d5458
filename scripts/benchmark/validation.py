"""`mapapp validate` as maintainers run it (a process, start-up included, wall time), on the
shipped data and on synthetic data of 10,000 and 100,000 features, and how its time grows.

Synthetic data is the shipped features copied under new ids until there are as many as asked:
the ids a feature names (a route's crossings, an event's routes) and the `place: crossing …`
lines of a story are rewritten to the copy's ids, each route copy gets a copy of its story, and
the data's other files (statistics, context chapter, glossary) sit beside it; countries stay
single (one feature per country is the rule). Every dataset must validate clean before it is
timed, or its time would mean nothing.

Python runs with its bytecode cache, as a maintainer's does (and as an installed package's
compiled files are): an environment that turns the cache off (PYTHONDONTWRITEBYTECODE) would
time the compiling of the package's modules on every run, not `mapapp validate`.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmark import budgets
from benchmark.report import Section
from benchmark.tools import say
from mapapp import loading

SIZES = {"10,000 features": 10_000, "100,000 features": 100_000}
_CROSSING_PLACE = re.compile(r"^(place:\s*crossing\s+)(\S+)\s*$", re.M)
# Within a copy, what is referred to comes first: a copy cut short names nothing it lacks.
_LAYER_ORDER = {"crossing": 0, "route": 1}
_REFERENCES = ("crossings", "routes")  # properties that name other features by id


class NotClean(Exception):
    """A dataset that does not validate clean: timing it would mean nothing."""


def validate(path: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run([sys.executable, "-m", "mapapp", "validate", str(path)],
                          capture_output=True, text=True, check=False, env=environment)


def synthetic(folder: Path, count: int, data: Path) -> Path:
    """A clean dataset of exactly `count` features (at least the countries) in `folder`, made
    from the data at `data`; the path of its GeoJSON."""
    document = json.loads(data.read_text(encoding="utf-8"))
    countries = [f for f in document["features"] if f["properties"]["layer"] == "country"]
    others = sorted((f for f in document["features"] if f["properties"]["layer"] != "country"),
                    key=lambda f: _LAYER_ORDER.get(f["properties"]["layer"], 2))
    if count < len(countries):
        raise ValueError(f"a dataset needs at least the {len(countries)} country features")
    stories = data.parent / loading.NARRATIVES
    (folder / loading.NARRATIVES).mkdir(parents=True)
    features = list(countries)
    for index in range(count - len(countries)):
        copy = index // len(others) + 1
        feature = json.loads(json.dumps(others[index % len(others)]))
        original, feature["id"] = feature["id"], f"{feature['id']}-x{copy}"
        properties = feature["properties"]
        for key in _REFERENCES:
            if isinstance(properties.get(key), list):
                properties[key] = [f"{ref}-x{copy}" for ref in properties[key]]
        if properties["layer"] == "route":
            story = (stories / f"{original}.md").read_text(encoding="utf-8")
            story = _CROSSING_PLACE.sub(lambda m, n=copy: f"{m[1]}{m[2]}-x{n}", story)
            (folder / loading.NARRATIVES / f"{feature['id']}.md").write_text(story,
                                                                           encoding="utf-8")
        features.append(feature)
    path = folder / loading.ROUTES
    path.write_text(json.dumps({**document, "features": features}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    for name in (loading.STATISTICS, loading.CONTEXT, loading.GLOSSARY):
        if (data.parent / name).exists():
            shutil.copy(data.parent / name, folder / name)
    return path


def time_runs(path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        validate(path)
        times.append(time.perf_counter() - start)
    return times


def ensure_clean(name: str, path: Path) -> None:
    result = validate(path)
    if result.returncode != 0:
        problems = (result.stdout or result.stderr).strip().splitlines()
        raise NotClean(f"the {name} dataset does not validate clean (exit {result.returncode}): "
                       + " | ".join(problems[:5]))


def growth_exponent(small: dict, large: dict, startup: float) -> float:
    """k in time ~ features^k between two datasets, start-up taken off; 1 is linear."""
    net_small = max(small["median_s"] - startup, 1e-3)
    net_large = max(large["median_s"] - startup, 1e-3)
    return round(math.log(net_large / net_small) / math.log(large["features"]
                                                            / small["features"]), 2)


def measure(workdir: Path, runs: int) -> Section:
    section = Section("validate", f"`mapapp validate`, wall time with start-up, median of {runs} "
                      "run(s) (one for 100,000 features)",
                      ["dataset", "features", "MB", "median s", "net ms / 1,000 features"])
    shipped = loading.default_data_path()
    empty = workdir / "empty" / loading.ROUTES
    empty.parent.mkdir(parents=True)
    empty.write_text('{"type": "FeatureCollection", "features": []}\n')
    count = len(json.loads(shipped.read_text(encoding="utf-8"))["features"])
    datasets = {"start-up (empty)": (empty, 0), "shipped": (shipped, count)}
    for name, size in SIZES.items():
        say(f"writing the {name} dataset…")
        datasets[name] = (synthetic(workdir / f"x{size}", size, shipped), size)
    rows = {}
    for name, (path, features) in datasets.items():
        ensure_clean(name, path)
        say(f"timing `mapapp validate` on {name}…")
        times = time_runs(path, 1 if features >= 100_000 else runs)
        rows[name] = {"features": features, "mb": path.stat().st_size / 1e6,
                      "median_s": statistics.median(times), "min_s": min(times)}
    startup = rows["start-up (empty)"]["median_s"]
    for name, row in rows.items():
        net = (row["median_s"] - startup) / row["features"] * 1e6 if row["features"] else None
        section.rows.append([name, row["features"], row["mb"], row["median_s"], net])
    exponent = growth_exponent(rows["10,000 features"], rows["100,000 features"], startup)
    section.figures = {**rows, "growth exponent": exponent}
    section.verdicts = [
        *(budgets.Verdict(f"validate, {name}", limit, " s", round(rows[name]["median_s"], 2))
          for name, limit in budgets.VALIDATE_S.items()),
        budgets.Verdict("validate, growth from 10,000 to 100,000 features (1 is linear)",
                        budgets.GROWTH_EXPONENT, "", exponent),
    ]
    return section
