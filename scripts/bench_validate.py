#!/usr/bin/env python3
"""Time `mapapp validate` as maintainers run it, on the shipped data and on synthetic datasets.

Why: the validator runs in a pre-commit hook and in CI, so it must stay fast as the data grows
(DESIGN section 5: the shipped data in under 2 s, 10,000 features in under 5 s). Each figure is the
median wall time of N real processes (`python -m mapapp validate PATH`), start-up included.

Synthetic datasets are the shipped features replicated under new unique ids: the crossing ids a
route uses and the `place: crossing ...` lines of its narrative are rewritten to the copy's ids,
each route copy gets a copy of its narrative, and the statistics sit beside the GeoJSON. Country
features stay single (one per country is the rule). Every dataset must validate clean before it
is timed; if one does not, the script prints why and exits 1.

Only the standard library is used here; the timed processes use the project's .venv when it
exists. Exit status: 0 when every target is met, 1 when one is missed or a dataset is not clean.
Usage: scripts/bench_validate.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
TARGETS = {"shipped": 2.0, "10,000 features": 5.0}  # seconds
FIXED_FEATURES = 10_000
_CROSSING_PLACE = re.compile(r"^(place:\s*crossing\s+)(\S+)\s*$", re.M)


def python() -> str:
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python(), "-m", "mapapp", "validate", str(path)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=False)


def synthetic(folder: Path, count: int) -> Path:
    """Write a clean dataset of exactly `count` features (at least the countries) to `folder`."""
    document = json.loads((DATA / "routes.geojson").read_text(encoding="utf-8"))
    countries = [f for f in document["features"] if f["properties"]["layer"] == "country"]
    # Crossings before routes, so that a copy cut short never names a crossing it lacks.
    order = {"crossing": 0, "dmz": 1, "route": 2}
    others = sorted((f for f in document["features"] if f["properties"]["layer"] != "country"),
                    key=lambda f: order[f["properties"]["layer"]])
    if count < len(countries):
        raise ValueError(f"a dataset needs at least the {len(countries)} country features")
    narratives = {path.stem: path.read_text(encoding="utf-8")
                  for path in (DATA / "narratives").glob("*.md")}
    (folder / "narratives").mkdir(parents=True)
    features = list(countries)
    for index in range(count - len(countries)):
        copy = index // len(others) + 1
        feature = json.loads(json.dumps(others[index % len(others)]))
        original = feature["id"]
        feature["id"] = f"{original}-x{copy}"
        properties = feature["properties"]
        if properties["layer"] == "route":
            properties["crossings"] = [f"{c}-x{copy}" for c in properties["crossings"]]
            story = _CROSSING_PLACE.sub(lambda m, n=copy: f"{m[1]}{m[2]}-x{n}",
                                        narratives[original])
            (folder / "narratives" / f"{feature['id']}.md").write_text(story, encoding="utf-8")
        features.append(feature)
    path = folder / "routes.geojson"
    path.write_text(json.dumps({**document, "features": features}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copy(DATA / "statistics.csv", folder / "statistics.csv")
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
        problems = (result.stdout or result.stderr).splitlines()
        print(f"error: the {name} dataset does not validate clean (exit {result.returncode}), so "
              "its time would not be representative:", file=sys.stderr)
        print("\n".join(problems[:20]), file=sys.stderr)
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Targets: shipped data < 2 s, 10,000 features < 5 s (wall time, start-up "
               "included).")
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs per dataset; the median "
                        "is reported (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    shipped = json.loads((DATA / "routes.geojson").read_text(encoding="utf-8"))
    base = len(shipped["features"])
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as scratch:
        empty = Path(scratch) / "empty" / "routes.geojson"
        empty.parent.mkdir()
        empty.write_text('{"type": "FeatureCollection", "features": []}\n')
        datasets = [("start-up (empty)", empty, 0), ("shipped", DATA / "routes.geojson", base)]
        for label, count in ((f"{k}x shipped", base * k) for k in (1, 10, 100)):
            datasets.append((label, synthetic(Path(scratch) / label.replace(" ", "-"), count),
                             count))
        datasets.append(("10,000 features",
                         synthetic(Path(scratch) / "fixed", FIXED_FEATURES), FIXED_FEATURES))
        for name, path, count in datasets:
            ensure_clean(name, path)
            times = time_runs(path, args.runs)
            results.append({"dataset": name, "features": count,
                            "bytes": path.stat().st_size, "runs": args.runs,
                            "median_s": statistics.median(times), "min_s": min(times),
                            "max_s": max(times), "target_s": TARGETS.get(name)})
    startup = results[0]["median_s"]
    for row in results:
        count = row["features"]
        row["s_per_1000"] = row["median_s"] / count * 1000 if count else None
        row["net_s_per_1000"] = (row["median_s"] - startup) / count * 1000 if count else None
        row["meets_target"] = None if row["target_s"] is None else row["median_s"] < row["target_s"]

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)
    sys.exit(0 if all(row["meets_target"] is not False for row in results) else 1)


def print_table(results: list[dict]) -> None:
    print(f"{'dataset':<18} {'features':>8} {'size':>9} {'median s':>9} {'min s':>7} "
          f"{'s/1000 f':>9} {'net s/1000 f':>13}  target")
    for row in results:
        per = f"{row['s_per_1000']:.3f}" if row["s_per_1000"] is not None else "-"
        net = f"{row['net_s_per_1000']:.3f}" if row["net_s_per_1000"] is not None else "-"
        target = ("" if row["target_s"] is None else
                  f"< {row['target_s']:g} s {'ok' if row['meets_target'] else 'MISSED'}")
        print(f"{row['dataset']:<18} {row['features']:>8} {row['bytes'] / 1e6:>7.2f}MB "
              f"{row['median_s']:>9.2f} {row['min_s']:>7.2f} {per:>9} {net:>13}  {target}")
    print(f"median of {results[0]['runs']} runs each; net = minus the start-up time "
          "(validating an empty FeatureCollection)")


if __name__ == "__main__":
    main()
