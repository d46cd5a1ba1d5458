#!/usr/bin/env python3
"""Build the Korean edition's web font: Nanum Gothic, regular and bold, cut down to exactly the
characters the Korean edition uses, as WOFF2 files the site serves (mapapp/static/fonts/).

Why: a classroom computer may have no Korean font and no internet, and a whole Korean font is
megabytes. The subset holds every Hangul character (and CJK punctuation) of the Korean interface
catalogue, the content catalogue (data/translations/ko.po), the base map's Korean names and the
dates Babel writes in Korean, and Nanum Gothic's own Latin letters, digits and punctuation
(LATIN), so that a Korean page draws its figures and Latin words in the same font as its Hangul
and asks the system for no font at all (each system font a page draws costs its first layout a
call to the browser's font service: docs/performance.md). static/css/ko.css declares it for the
Korean edition; static/css/site.css declares it again for Hangul only, for the Korean an English
page quotes. English pages show a few Korean words (the link to the Korean edition, the notice
offering it): they get a third file of just those characters, 2 KB ("Map Gothic Names").

Nanum Gothic is under the SIL Open Font License 1.1 with "NanumGothic" a Reserved Font Name, so
the cut-down font is renamed ("Map Gothic"), keeps its copyright and licence in its name table,
and ships with the licence (mapapp/static/fonts/OFL.txt).

Run it again whenever Korean text changes (tests/test_font.py fails until you do):

    scripts/build_font.py             # rebuild the three WOFF2 files
    scripts/build_font.py --check     # change nothing; exit 1 naming the missing characters
    scripts/build_font.py --fonts DIR # where NanumGothic.ttf and NanumGothicBold.ttf are
                                      # (default: Debian's fonts-nanum, /usr/share/fonts/...)
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTFont

from mapapp import paths
from mapapp.loading import basemap_files, default_data_path, input_files, translation_file
from mapapp.web import create_app

LANGUAGE = "ko"
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/nanum")
OUTPUT = paths.static_dir() / "fonts"


@dataclass(frozen=True)
class Font:
    """One WOFF2 file the site serves: which source font, under which name, for which text."""

    source: str  # a file of fonts-nanum
    family: str  # not "Nanum…": the licence reserves those names for the original fonts
    text: Callable[[], set[str]]  # what it must draw (--check names what it lacks)
    latin: bool = False  # also the source's characters of LATIN, where it has them

    def file(self, name: str) -> Path:
        return OUTPUT / f"map-gothic-{LANGUAGE}-{name}.woff2"


# Hangul, and the CJK punctuation and full-width forms Korean text uses: what a computer without
# Korean fonts cannot draw, and the unicode-range of every face of the font (site.css, ko.css).
KOREAN = ((0x1100, 0x11FF), (0x3000, 0x318F), (0xAC00, 0xD7A3), (0xFF00, 0xFFEF))
# The Latin the Korean edition's text face carries besides: ASCII, Latin-1 and the punctuation
# and arrows the texts use. Its unicode-range in static/css/ko.css names LATIN, then KOREAN.
LATIN = ((0x0020, 0x007E), (0x00A0, 0x00FF), (0x2010, 0x2027), (0x2190, 0x2193))


def latin() -> set[str]:
    return {chr(code) for first, last in LATIN for code in range(first, last + 1)}


def korean(char: str) -> bool:
    return any(first <= ord(char) <= last for first, last in KOREAN)


def characters() -> set[str]:
    """Every character a Korean page can show, from where the Korean text is kept."""
    texts = [Locale.parse(LANGUAGE).get_display_name(LANGUAGE)]
    catalogues = [paths.PACKAGE_DIR / "translations" / LANGUAGE / "LC_MESSAGES" / "messages.po",
                  translation_file(default_data_path(), LANGUAGE)]
    for catalogue in catalogues:
        if catalogue.exists():
            with catalogue.open("rb") as handle:
                for message in read_po(handle):
                    strings = message.string if isinstance(message.string, tuple) else (
                        message.string,)
                    texts += [text for text in strings if text]
    for path in basemap_files(default_data_path()).values():
        if path.exists():  # the countries are listed even before they are built
            features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
            texts += [feature["properties"].get("name_ko") or "" for feature in features]
    # What the data writes in Korean itself: the titles of Korean sources, shown as published.
    texts += [path.read_text(encoding="utf-8") for path in input_files(default_data_path())
              if path.suffix in (".md", ".geojson", ".csv") and path.exists()]
    # Dates as Babel writes them in Korean (the timeline's "2005년 11월").
    texts += [format_skeleton("yMMMMd", datetime.date(2000, month, 1), locale=LANGUAGE)
              for month in range(1, 13)]
    return {char for text in texts for char in text if korean(char)}


def english_page_characters() -> set[str]:
    """The Korean an English page shows (the link to the Korean edition, the notice offering
    it): a few characters, in a font small enough for every English page."""
    html = create_app({"TESTING": True}).test_client().get("/").get_data(as_text=True)
    return {char for char in html if korean(char)}


FONTS = {"regular": Font("NanumGothic.ttf", "Map Gothic", lambda: characters(), latin=True),
         "bold": Font("NanumGothicBold.ttf", "Map Gothic", lambda: characters(), latin=True),
         "names": Font("NanumGothic.ttf", "Map Gothic Names", english_page_characters)}


def build(source: Path, target: Path, family: str, text: str) -> int:
    """Write the subset of `source` for `text` to `target`; the number of characters it has."""
    font = TTFont(source, recalcTimestamp=False)  # its source's date: the same bytes every time
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # browsers do without; it is a third of the file
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    weight = font["name"].getDebugName(2) or "Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (3, 4):
            record.string = f"{family} {weight}"
        elif record.nameID == 6:
            record.string = f"{family.replace(' ', '')}-{weight}"
    font["name"].setName(f"A subset of {source.stem} (SIL Open Font License 1.1), renamed as "
                         "its Reserved Font Name requires; made by scripts/build_font.py", 10,
                         3, 1, 0x409)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(target)
    return len(font.getBestCmap())


def missing() -> dict[str, set[str]]:
    """The characters each shipped font lacks (all of them, when it is not there)."""
    found = {}
    for name, font in FONTS.items():
        target = font.file(name)
        cmap = set(map(chr, TTFont(target).getBestCmap())) if target.exists() else set()
        found[name] = font.text() - cmap
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a character is missing from the fonts")
    parser.add_argument("--fonts", type=Path, default=SYSTEM_FONTS, metavar="DIR",
                        help="the folder of NanumGothic.ttf and NanumGothicBold.ttf "
                             f"(default: {SYSTEM_FONTS}, from Debian's fonts-nanum)")
    arguments = parser.parse_args()
    if arguments.check:
        lacking = {name: chars for name, chars in missing().items() if chars}
        for name, chars in lacking.items():
            print(f"{FONTS[name].file(name)} lacks {len(chars)} character(s): "
                  f"{''.join(sorted(chars))[:200]}", file=sys.stderr)
        if lacking:
            print("Run scripts/build_font.py to rebuild the fonts.", file=sys.stderr)
        return 1 if lacking else 0
    for name, font in FONTS.items():
        source, target, text = arguments.fonts / font.source, font.file(name), font.text()
        if not source.exists():
            print(f"{source} not found: install Debian's fonts-nanum, or give --fonts DIR",
                  file=sys.stderr)
            return 2
        text |= latin() if font.latin else set()  # the subsetter skips what the source lacks
        count = build(source, target, font.family, "".join(sorted(text)))
        print(f"{target}: {count} characters, {target.stat().st_size // 1024} KB",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
