"""The site under load: wrk with 64 connections on loopback against `/`, a route page and a
GeoJSON layer, on `mapapp serve` (held to the budget: p99 and no error), beside two yardsticks
on the same machine: the framework's floor (floor.py) and nginx serving the static export.

Each server and address is checked for a 200 and warmed up for a second, then run in rounds,
servers taking turns so that a neighbour's burst hits them alike; the median round (by p99) is
kept, and the errors of every round count. scripts/loadtest uses run_wrk and TARGETS too.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import subprocess
import sys
import urllib.request
from contextlib import nullcontext
from pathlib import Path

from helpers import ServerProcess, free_port

from benchmark import ROUTE, budgets
from benchmark.report import Section
from benchmark.tools import apt_install, say

TARGETS = ("/", f"/routes/{ROUTE}", "/api/layers/routes.geojson")
CONNECTIONS = 64
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(url: str, seconds: int, connections: int = CONNECTIONS, threads: int = 2) -> dict:
    """One wrk run, gzip accepted as browsers do: requests/s, p50 and p99, errors."""
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", "Accept-Encoding: gzip", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "p50_ms": milliseconds(latency.get("50", "0us")),  # absent when nothing was answered
        "p99_ms": milliseconds(latency.get("99", "0us")),
        "errors": (sum(map(int, errors.groups())) if errors else 0)
        + (int(non_2xx[1]) if non_2xx else 0),
    }


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body as wrk receives them (gzip accepted, nothing decoded)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


NGINX_CONF = """worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/geo+json geojson; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    gzip_static on;  # the .gz files written beside each compressible file
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri.html $uri/index.html =404; }}
    }}
}}
"""
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".geojson", ".svg", ".txt", ".xml")


def nginx_on(export: Path, workdir: Path, nginx: str) -> ServerProcess:
    """nginx serving the export as a deployment would: a .gz beside every compressible file."""
    for path in export.rglob("*"):
        if path.is_file() and path.suffix in COMPRESSIBLE:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9))
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(run=workdir, port=port, root=export))
    return ServerProcess([nginx, "-c", str(conf), "-p", str(workdir), "-g", "daemon off;"], port)


def measure(site_url: str, export: Path, workdir: Path, rounds: int, seconds: int) -> Section:
    section = Section("load", f"Under load: wrk, {CONNECTIONS} connections on 127.0.0.1, gzip, "
                      f"median of {rounds} round(s) of {seconds} s per address",
                      ["server", "address", "req/s", "p50 ms", "p99 ms", "errors"])
    if not apt_install("wrk", "wrk", section.notes):
        section.verdicts = [budgets.Verdict(f"p99 under {CONNECTIONS} connections, {path}",
                                            budgets.P99_MS, " ms", why_not="wrk is missing")
                            for path in TARGETS]
        return section
    sizes = {path: len(fetch(site_url + path)[1]) for path in TARGETS}
    port = free_port()
    with ServerProcess([sys.executable, str(Path(__file__).with_name("floor.py")), str(port),
                        json.dumps(sizes)], port) as floor:
        servers = {"mapapp serve": site_url, "Flask floor": floor.url}
        nginx = apt_install("nginx", "nginx", section.notes)
        with (nginx_on(export, workdir, nginx) if nginx else nullcontext()) as static:
            if static:
                servers["nginx export"] = static.url
            say(f"wrk: {rounds} round(s) of {seconds} s per address and server…")
            results = _rounds(servers, rounds, seconds)
    for server, runs in results.items():
        for path, run in runs.items():
            section.rows.append([server, path, run["requests_per_second"], run["p50_ms"],
                                 run["p99_ms"], run["errors"]])
    section.figures = results
    for path, run in results["mapapp serve"].items():
        section.verdicts += [
            budgets.Verdict(f"p99 under {CONNECTIONS} connections, {path}", budgets.P99_MS,
                            " ms", round(run["p99_ms"], 1)),
            budgets.Verdict(f"errors under {CONNECTIONS} connections, {path}", 0, "",
                            run["errors"]),
        ]
    return section


def _rounds(servers: dict[str, str], rounds: int, seconds: int) -> dict:
    for name, base in servers.items():
        for path in TARGETS:
            status, _ = fetch(base + path)
            if status != 200:
                raise RuntimeError(f"{name} answered {status} for {path}")
            run_wrk(base + path, seconds=1)  # warm-up
    runs = {name: {path: [] for path in TARGETS} for name in servers}
    for _ in range(rounds):
        for name, base in servers.items():
            for path in TARGETS:
                runs[name][path].append(run_wrk(base + path, seconds))
    return {name: {path: _median_round(each) for path, each in paths.items()}
            for name, paths in runs.items()}


def _median_round(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda run: run["p99_ms"])[len(runs) // 2]
    return {**middle, "errors": sum(run["errors"] for run in runs), "rounds": len(runs),
            "p99_ms_rounds": [run["p99_ms"] for run in runs],
            "requests_per_second_median": statistics.median(
                run["requests_per_second"] for run in runs)}
