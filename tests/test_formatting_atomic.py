"""`mapapp format` killed mid-write leaves the old file or the new one, never a partial one.

The kills land at moments the test sees happen (the temporary file growing, the file replaced),
not after a fixed time, so they hit the same step of the write on a fast or a busy machine.
"""

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TESTS


def messy_file(path: Path, count: int = 20_000) -> bytes:
    """A large, valid but non-canonical file, so that writing it takes a moment."""
    base = json.loads((TESTS / "data" / "valid" / "routes.geojson").read_text())
    crossing = base["features"][1]
    features = [{**crossing, "id": f"c-{i}", "geometry": {"coordinates": [129.21, 42.24],
                                                         "type": "Point"}}
                for i in range(count)]
    path.write_text(json.dumps({"features": features, "type": "FeatureCollection"}))
    return path.read_bytes()


def start_format(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mapapp", "format", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def temporaries(target: Path) -> list[Path]:
    return list(target.parent.glob(f".{target.name}.*.tmp"))


def kill_when(process: subprocess.Popen, moment: Callable[[], bool]) -> bool:
    """SIGKILL the process as soon as `moment()` holds; False if it finished first."""
    while process.poll() is None:
        if moment():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            return True
        time.sleep(0.0005)
    return False


def test_a_kill_during_the_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "routes.geojson"
    old = messy_file(target)

    def writing() -> bool:  # the new version is on its way into the temporary file
        return any(path.stat().st_size for path in temporaries(target))

    for _attempt in range(5):
        target.write_bytes(old)
        caught = kill_when(start_format(target), writing)
        for leftover in temporaries(target):
            leftover.unlink()
        if caught:
            assert target.read_bytes() == old, "the data file changed before the rename"
            return
    pytest.fail("the write was never caught in progress")


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[bytes, bytes]:
    """The messy file and what a finished `mapapp format` makes of it."""
    target = tmp_path_factory.mktemp("format") / "routes.geojson"
    old = messy_file(target)
    assert start_format(target).wait(timeout=300) == 0
    assert target.read_bytes() != old
    return old, target.read_bytes()


@pytest.mark.parametrize("moment", ["at once", "when the temporary file appears",
                                    "when the file has been replaced"])
def test_a_kill_at_any_moment_leaves_the_old_file_or_the_new(tmp_path, versions, moment):
    old, new = versions
    target = tmp_path / "routes.geojson"
    target.write_bytes(old)
    first = target.stat().st_ino
    moments = {"at once": lambda: True,
               "when the temporary file appears": lambda: bool(temporaries(target)),
               "when the file has been replaced": lambda: target.stat().st_ino != first}
    if kill_when(start_format(target), moments[moment]):
        assert target.read_bytes() in (old, new), f"a partial file after a kill {moment}"
    else:  # it finished first
        assert target.read_bytes() == new
