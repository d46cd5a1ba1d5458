"""scripts/bench's command line: which sections run, in which order, and the exit status."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from helpers import serve_mapapp

from benchmark import SCRATCH, export, lighthouse, load, pages, report, validation
from benchmark.tools import say

SECTIONS = ("pages", "lighthouse", "load", "validate", "export")  # as printed


def parse(arguments: list[str] | None, description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit status: 0 every budget measured and met, 1 one missed or not measured,\n"
               "2 the bench could not run. The budgets and how to read the figures:\n"
               "docs/performance.md.")
    parser.add_argument("--only", default=",".join(SECTIONS), metavar="SECTIONS",
                        help=f"comma-separated, among {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer loads, rounds and runs: a rough picture in a few minutes")
    parser.add_argument("--loads", type=int, help="cold loads per page (default 7, quick 3)")
    parser.add_argument("--rounds", type=int, help="wrk rounds per address (default 3, quick 1)")
    parser.add_argument("--duration", type=int, help="seconds per wrk round (default 5, quick 3)")
    parser.add_argument("--runs", type=int, help="`mapapp validate` runs per dataset "
                        "(default 3, quick 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(arguments)
    args.sections = [s.strip() for s in args.only.split(",") if s.strip()]
    if unknown := set(args.sections) - set(SECTIONS):
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    for name, full, quick in (("loads", 7, 3), ("rounds", 3, 1), ("duration", 5, 3),
                              ("runs", 3, 1)):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
        elif getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def main(arguments: list[str] | None = None, description: str = "") -> int:
    args = parse(arguments, description)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=SCRATCH))
    workdir.chmod(0o755)  # nginx's workers read the export from here
    try:
        sections = run(args, workdir)
    except (RuntimeError, validation.NotClean) as error:
        say(f"cannot go on: {error}")
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    settings = {name: getattr(args, name) for name in ("loads", "rounds", "duration", "runs")}
    print(report.as_json(settings, sections) if args.json else report.text(sections))
    verdicts = [verdict for section in sections for verdict in section.verdicts]
    return 0 if all(verdict.met for verdict in verdicts) else 1


def run(args: argparse.Namespace, workdir: Path) -> list[report.Section]:
    done: dict[str, report.Section] = {}
    wanted = set(args.sections)
    if "export" in wanted or "load" in wanted:  # nginx serves the export under load
        say("timing `mapapp export`…")
        done["export"] = export.measure(workdir / "export")
    if "validate" in wanted:
        done["validate"] = validation.measure(workdir / "validate", args.runs)
    if wanted & {"pages", "lighthouse", "load"}:
        say("starting `mapapp serve` on the shipped data…")
        with serve_mapapp() as site:
            if "pages" in wanted:
                done["pages"] = pages.measure(site.url, workdir, args.loads)
            if "lighthouse" in wanted:
                done["lighthouse"] = lighthouse.measure(site.url)
            if "load" in wanted:
                done["load"] = load.measure(site.url, workdir / "export", workdir, args.rounds,
                                            args.duration)
    return [done[name] for name in SECTIONS if name in wanted]
