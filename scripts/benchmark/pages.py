"""First view in headless Chromium: what a visitor's browser fetches and how soon the map is
ready, for the English and Korean map pages and a route page, beside folium's own page of the
same map (baseline.py).

Each load is cold (a fresh browser context has an empty cache); pages take turns, so that a
noisy minute hits all of them alike; medians are kept. Ready: the first frame painted after the
page's own signal. The site's pages: static/js/app.js sets `js-ready` on <html> once the map has
drawn every layer and the story (or the welcome text) is shown. folium's page: its inline script
draws every layer while the document is parsed, so its signal is the end of parsing. A poll runs
once per frame on both, so both are timed the same way.
"""

from __future__ import annotations

import re
import statistics
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from helpers import CHROMIUM, CHROMIUM_ARGS, static_server, wait_until
from playwright.sync_api import sync_playwright

from benchmark import ROUTE, budgets
from benchmark.baseline import folium_page
from benchmark.report import Section
from benchmark.tools import say

VIEWPORT = {"width": 1280, "height": 800}
KB = 1000
# name: (address, language)
PAGES = {"/": ("/", "en"), "route page": (f"/routes/{ROUTE}", "en"),
         "/ko/": ("/ko/", "ko"), "ko route page": (f"/ko/routes/{ROUTE}", "ko")}
FOLIUM = "folium's page"
READY_SIGNALS = {
    "site": "document.documentElement.classList.contains('js-ready')",
    "folium": "document.readyState !== 'loading'",
}
READY_SCRIPT = """(() => {
  const signalled = () => %s;
  const poll = () => {
    if (signalled()) {
      setTimeout(() => { window.__benchReady = performance.now(); }, 0);
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
})();"""


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def load_once(browser, url: str, signal: str) -> dict:
    """One cold load of `url`: until it is ready, then until the network has been quiet for
    half a second (what the first view fetches, all of it)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(READY_SCRIPT % READY_SIGNALS[signal])
        requests, finished, pending = [], [], set()
        page.on("request", lambda request: requests.append(request) or pending.add(request.url))
        page.on("requestfinished", lambda request: finished.append(request)
                or pending.discard(request.url))
        page.on("requestfailed", lambda request: pending.discard(request.url))
        response = page.goto(url)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url} answered {response and response.status}")
        page.wait_for_function("window.__benchReady !== undefined", timeout=30_000)
        ready = page.evaluate("window.__benchReady")
        quiet = {"since": time.monotonic()}

        def network_quiet() -> bool:
            page.wait_for_timeout(50)  # lets Playwright deliver the page's events
            if pending:
                quiet["since"] = time.monotonic()
            return time.monotonic() - quiet["since"] >= 0.5

        wait_until(network_quiet, timeout=10, interval=0, what=f"{url}: the network quiet")
        compressed = sum(request.sizes()["responseBodySize"] for request in finished)
        raw = sum(len(answer.body()) for request in finished if (answer := request.response()))
        leaving = [r.url for r in requests if urlsplit(r.url).hostname not in ("127.0.0.1", None)]
        return {"ready_ms": ready, "requests": len(requests), "leaving": leaving,
                "compressed_kb": compressed / KB, "raw_kb": raw / KB,
                "paths": sorted(urlsplit(r.url).path for r in requests)}
    finally:
        context.close()


def encoding(url: str) -> str | None:
    """The Content-Encoding the server answers a browser with (or the error status)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers.get("Content-Encoding")
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"


def settle(site_url: str, paths: list[str]) -> None:
    """Wait until the server has made the brotli forms of the pages and of what they name: it
    makes them in the background the first time a browser asks (gzip meanwhile), and that work
    must not land in the loads being timed. Done when the encodings served have not changed for
    2 s (some bodies stay gzip for good)."""
    assets = set(paths)
    for path in paths:
        with urllib.request.urlopen(site_url + path, timeout=30) as response:
            assets.update(re.findall(r'(?:src|href)="(/(?:static|vendor|map)/[^"]+)"',
                                     response.read().decode()))
    seen = {"encodings": None, "since": time.monotonic()}

    def unchanged_for_2_s() -> bool:
        encodings = {path: encoding(site_url + path) for path in sorted(assets)}
        if encodings != seen["encodings"]:
            seen.update(encodings=encodings, since=time.monotonic())
        return time.monotonic() - seen["since"] >= 2

    wait_until(unchanged_for_2_s, timeout=60, interval=0.25, what="compression to settle")


def measure(site_url: str, workdir: Path, loads: int) -> Section:
    section = Section("pages", f"First view, headless Chromium {VIEWPORT['width']}×"
                      f"{VIEWPORT['height']}, cold cache, the median of {loads} load(s) "
                      "(kB = 1,000 bytes of bodies)",
                      ["page", "compressed kB", "raw kB", "requests", "leaving", "ready ms",
                       "min–max", "ready / folium"])
    missing = {name: status(site_url + path) for name, (path, _) in PAGES.items()}
    missing = {name: code for name, code in missing.items() if code != 200}
    targets = {name: (site_url + path, "site") for name, (path, _) in PAGES.items()
               if name not in missing}
    with static_server(folium_page(workdir / "folium").parent) as folium_url:
        targets[FOLIUM] = (folium_url + "/index.html", "folium")
        runs = {name: [] for name in targets}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for url, signal in targets.values():  # warm the servers, the disk, Chromium
                    load_once(browser, url, signal)
                settle(site_url, [PAGES[name][0] for name in targets if name in PAGES])
                say(f"loading pages in Chromium, {loads} cold loads each…")
                for _ in range(loads):
                    for name, (url, signal) in targets.items():
                        runs[name].append(load_once(browser, url, signal))
            finally:
                browser.close()
    figures = {name: summary(each) for name, each in runs.items()}
    folium_ready = figures[FOLIUM]["ready_ms"]
    for name, page in figures.items():
        section.rows.append([name, page["compressed_kb"], page["raw_kb"], page["requests"],
                             len(page["leaving"]), page["ready_ms"],
                             f"{page['ready_ms_min']:.0f}–{page['ready_ms_max']:.0f}",
                             round(page["ready_ms"] / folium_ready, 2)])
    section.figures = figures
    section.verdicts = verdicts(figures, missing)
    return section


def summary(loads: list[dict]) -> dict:
    ready = [load["ready_ms"] for load in loads]
    return {"loads": len(loads), "ready_ms": statistics.median(ready),
            "ready_ms_min": min(ready), "ready_ms_max": max(ready),
            "requests": max(load["requests"] for load in loads),
            "leaving": sorted({url for load in loads for url in load["leaving"]}),
            "compressed_kb": statistics.median(load["compressed_kb"] for load in loads),
            "raw_kb": statistics.median(load["raw_kb"] for load in loads),
            "resources": loads[0]["paths"]}


def verdicts(figures: dict, missing: dict[str, int]) -> list[budgets.Verdict]:
    found = []
    for name, (path, language) in PAGES.items():
        page, why = figures.get(name), ""
        if page is None:
            values = dict.fromkeys(("ready", "ratio", "kb", "leaving"))
            why = f"{path} answers {missing[name]}"
        else:
            values = {"ready": round(page["ready_ms"]),
                      "ratio": round(page["ready_ms"] / figures[FOLIUM]["ready_ms"], 2),
                      "kb": round(page["compressed_kb"], 1), "leaving": len(page["leaving"])}
        found += [
            budgets.Verdict(f"map ready, {name} (median)", budgets.READY_MS, " ms",
                            values["ready"], why_not=why),
            budgets.Verdict(f"map ready, {name}, vs folium's page", budgets.READY_VS_FOLIUM, "×",
                            values["ratio"], why_not=why),
            budgets.Verdict(f"first view, {name}, compressed ({language})",
                            budgets.FIRST_VIEW_KB[language], " kB", values["kb"], why_not=why),
            budgets.Verdict(f"first view, {name}: requests leaving the site",
                            budgets.LEAVING_THE_SITE, "", values["leaving"], why_not=why),
        ]
    return found
