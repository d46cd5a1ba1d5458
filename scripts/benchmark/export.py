"""`mapapp export` of the whole site (every page of both languages, every layer and asset) into
a fresh folder: wall time, files, size. The folder is kept for nginx in the load section."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmark import budgets
from benchmark.report import Section


def measure(folder: Path) -> Section:
    section = Section("export", "`mapapp export` into a fresh folder",
                      ["export", "seconds", "files", "kB"])
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mapapp", "export", str(folder)],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"mapapp export failed: {(done.stderr or done.stdout).strip()[-300:]}")
    files = [path for path in folder.rglob("*") if path.is_file()]
    kb = sum(path.stat().st_size for path in files) / 1000
    section.rows = [["both languages", seconds, len(files), kb]]
    section.figures = {"seconds": seconds, "files": len(files), "kb": kb}
    section.verdicts = [budgets.Verdict("export, both languages", budgets.EXPORT_S, " s",
                                        round(seconds, 1))]
    return section
