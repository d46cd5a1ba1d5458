#!/usr/bin/env python3
"""Regenerate mapapp/static/favicon.ico from mapapp/static/favicon.svg.

Why: pages name the SVG icon, but browsers, crawlers and Lighthouse also ask for /favicon.ico,
and a 404 there is a console error on every first visit. Chromium draws the SVG at 16, 32 and
48 pixels; the three PNGs go into one ICO file (the PNG-in-ICO form every browser reads).

Needs Playwright and Debian's Chromium (scripts/test installs both):
    .venv/bin/python scripts/build_favicon.py
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parents[1] / "mapapp" / "static"
SIZES = (16, 32, 48)
CHROMIUM = os.environ.get("MAPAPP_CHROMIUM", "/usr/bin/chromium")


def render(svg: str) -> list[tuple[int, bytes]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            images = []
            for size in SIZES:
                page = browser.new_page(viewport={"width": size, "height": size})
                page.set_content("<style>html, body {margin: 0; background: transparent}"
                                 f"svg {{display: block; width: {size}px; height: {size}px}}"
                                 f"</style>{svg}")
                images.append((size, page.screenshot(omit_background=True)))
            return images
        finally:
            browser.close()


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per image (width, height, colours, reserved, planes, bits per
    pixel, size, offset), then the PNGs."""
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png),
                               offset + len(data))
        data += png
    return struct.pack("<HHH", 0, 1, len(images)) + entries + data


def main() -> None:
    target = STATIC / "favicon.ico"
    target.write_bytes(ico(render((STATIC / "favicon.svg").read_text(encoding="utf-8"))))
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {', '.join(map(str, SIZES))} px)")


if __name__ == "__main__":
    main()
