"""`mapapp serve` as a command and as a process (mapapp.web.server: gunicorn), and `flask --app
mapapp run` finding the app. `--debug` and reloading are tests/test_reload.py.

Data: tests/data/site; broken data is written to tmp_path.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from flask.cli import ScriptInfo
from helpers import SITE_DATA, free_port, mapapp, serve_mapapp, wait_until

from mapapp.cli import cli
from mapapp.web.server import WORKERS


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [\n')
    return path


@pytest.fixture
def invalid(site_copy) -> Path:
    data = json.loads(site_copy.read_text())
    data["features"][0]["properties"]["countries"] = ["XXX"]
    data["features"][1]["properties"].pop("title")
    site_copy.write_text(json.dumps(data, indent=2))
    return site_copy


def test_serve_refuses_unreadable_data_in_one_line(runner, broken):
    result = runner.invoke(cli, ["serve", "--data", str(broken)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "broken.geojson" in lines[0] and "not valid JSON" in lines[0]


def test_serve_refuses_invalid_data_naming_the_problems(runner, invalid):
    result = runner.invoke(cli, ["serve", "--data", str(invalid)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and re.search(r"\d+ problems; the first: .*routes\.geojson:\d+",
                                         lines[0])


@pytest.mark.parametrize("arguments", [["--port", "0"], ["--port", "http"], ["--nonsense"],
                                       ["extra"]])
def test_serve_rejects_bad_arguments(runner, arguments):
    assert runner.invoke(cli, ["serve", *arguments]).exit_code == 2


@pytest.mark.parametrize("fixture", ["broken", "invalid"])
def test_serve_process_exits_2_with_one_line_and_no_traceback(request, fixture):
    done = subprocess.run(mapapp("serve", "--port", str(free_port()), "--data",
                                 str(request.getfixturevalue(fixture))),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("mapapp: cannot serve ")


# Ctrl+C takes the same way out of gunicorn as SIGTERM: checked with --slow.
@pytest.mark.parametrize("how", [signal.SIGTERM, pytest.param(signal.SIGINT,
                                                               marks=pytest.mark.slow)])
def test_serve_process_serves_from_several_processes_and_stops_cleanly(site_atlas, how):
    with serve_mapapp("--data", str(SITE_DATA)) as server:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as response:
            assert json.load(response)["version"] == site_atlas.version
        workers = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
        wait_until(lambda: len(workers.read_text().split()) == WORKERS, timeout=30,
                   what=f"{WORKERS} worker processes")
        assert server.stop(how) == 0, server.output()
        output = server.output()
    assert f"Serving on {server.url}" in output and output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output


def test_serve_refuses_a_port_in_use_in_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(mapapp("serve", "--port", str(port), "--data", str(SITE_DATA)),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"mapapp: cannot listen on 127.0.0.1:{port}: "
                                   "Address already in use")


def test_flask_cli_finds_the_app_factory(monkeypatch, site_atlas):
    monkeypatch.setenv("MAPAPP_DATA", str(SITE_DATA))
    app = ScriptInfo(app_import_path="mapapp").load_app()
    assert app.test_client().get("/healthz").json["version"] == site_atlas.version


def test_serve_says_where_it_cannot_run_instead_of_a_traceback():
    """gunicorn needs a POSIX system: on Windows (no fcntl, simulated here) the command says what
    to use instead."""
    script = ("import sys; sys.modules['fcntl'] = None; from mapapp.cli import main; "
              f"sys.argv = ['mapapp', 'serve', '--data', {str(SITE_DATA)!r}]; main()")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("mapapp: cannot serve here (") and "WSL" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
