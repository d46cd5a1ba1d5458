"""`mapapp format` killed mid-write leaves the old file or the new one, never a partial one."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _messy_file(path: Path, count: int) -> bytes:
    """A large, valid but non-canonical file, so that writing it takes a moment."""
    base = json.loads((ROOT / "tests" / "data" / "valid" / "routes.geojson").read_text())
    crossing = base["features"][1]
    features = [{**crossing, "id": f"c-{i}", "geometry": {"coordinates": [129.21, 42.24],
                                                         "type": "Point"}}
                for i in range(count)]
    path.write_text(json.dumps({"features": features, "type": "FeatureCollection"}))
    return path.read_bytes()


def _format(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mapapp", "format", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_kill_during_the_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "routes.geojson"
    old = _messy_file(target, 20_000)
    caught_mid_write = False
    for _attempt in range(5):
        target.write_bytes(old)
        process = _format(target)
        while process.poll() is None:
            partial = [p for p in tmp_path.glob(".routes.geojson.*.tmp") if p.stat().st_size]
            if partial:  # the new version is being written: kill it now
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=60)
                caught_mid_write = target.read_bytes() == old
                assert target.read_bytes() == old, "the data file changed before the rename"
                break
            time.sleep(0.0005)
        for leftover in tmp_path.glob(".routes.geojson.*.tmp"):
            leftover.unlink()
        if caught_mid_write:
            break
    assert caught_mid_write, "the write was never caught in progress"


def test_a_kill_at_any_moment_leaves_old_or_new_and_a_finished_run_the_new(tmp_path):
    target = tmp_path / "routes.geojson"
    old = _messy_file(target, 20_000)
    finished = _format(target)
    assert finished.wait(timeout=300) == 0
    new = target.read_bytes()
    assert new != old
    for delay in (0.2, 0.6, 1.0, 1.5, 2.0):
        target.write_bytes(old)
        process = _format(target)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert target.read_bytes() in (old, new), f"partial file after a kill at {delay} s"
