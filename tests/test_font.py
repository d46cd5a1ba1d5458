"""The Korean edition's font (scripts/build_font.py, static/css/ko.css): it has every character
the Korean edition shows, it is served by the site, and only Korean pages load it.
"""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from helpers import Html, get

from mapapp import paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import build_font  # scripts/ is not a package: on the path above

ROOT = Path(__file__).resolve().parents[1]
FONTS = {weight: paths.static_dir() / "fonts" / f"map-gothic-ko-{weight}.woff2"
         for weight in ("regular", "bold")}
HANGUL = re.compile(r"[\u1100-\u11ff\u3000-\u318f\uac00-\ud7a3\uff00-\uffef]")

# What the Korean edition's text face covers (ko.css): build_font.LATIN, then its KOREAN
LATIN_THEN_KOREAN = [(f"{first:04X}", f"{last:04X}")
                     for first, last in build_font.LATIN + build_font.KOREAN]


def shipped_korean() -> set[str]:
    """Every Hangul (and CJK punctuation) character of the Korean text the project ships: the
    interface catalogue, the data's catalogue and the base map's Korean names."""
    texts = []
    for catalogue in (paths.PACKAGE_DIR / "translations" / "ko" / "LC_MESSAGES" / "messages.po",
                      paths.data_dir() / "translations" / "ko.po"):
        if catalogue.exists():
            with catalogue.open("rb") as handle:
                texts += [str(message.string) for message in read_po(handle) if message.string]
    for layer in (paths.data_dir() / "basemap").glob("*.geojson"):
        features = json.loads(layer.read_text(encoding="utf-8")).get("features", [])
        texts += [feature["properties"].get("name_ko") or "" for feature in features]
    return set(HANGUL.findall("".join(texts)))


@pytest.mark.parametrize("weight", FONTS)
def test_the_font_has_every_korean_character_the_edition_ships(weight):
    cmap = set(map(chr, TTFont(FONTS[weight]).getBestCmap()))
    missing = shipped_korean() - cmap
    assert not missing, (f"{FONTS[weight].name} lacks {''.join(sorted(missing))[:80]}: run "
                         "scripts/build_font.py")


@pytest.mark.parametrize("weight", FONTS)
def test_the_font_has_every_character_of_the_korean_pages(client, weight):
    cmap = set(map(chr, TTFont(FONTS[weight]).getBestCmap()))
    for address in ("/ko/", "/ko/about", "/ko/statistics", "/ko/present", "/ko/glossary"):
        text = Html(get(client, address)[1]).text
        assert not set(HANGUL.findall(text)) - cmap, address


def test_the_build_script_checks_the_fonts_it_made():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_font.py"), "--check"],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    names = {record.nameID: record.toUnicode() for record in TTFont(FONTS["regular"])["name"].names
             if record.platformID == 3}
    assert names[1] == "Map Gothic", "renamed, as the licence's Reserved Font Name asks"
    assert "Nanum" not in names[4] and "SIL Open Font License" in names[10]
    assert (paths.static_dir() / "fonts" / "OFL.txt").is_file()


def test_only_pages_with_hangul_fetch_the_font(client):
    """The font is declared for Hangul only (unicode-range), so a browser fetches it for a page
    that has Hangul to draw, and Korean pages alone load the Korean rules (static/css/ko.css)."""
    english = Html(get(client, "/")[1])
    korean = Html(get(client, "/ko/")[1])
    assert any("/static/css/ko.css" in link["href"]
               for link in korean.find("link", rel="stylesheet"))
    assert not any("ko.css" in link["href"] for link in english.find("link", rel="stylesheet"))
    assert "word-break: keep-all" in get(client, "/static/css/ko.css")[1]
    css = get(client, "/static/css/site.css")[1]
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(faces) == 3, "regular, bold, and the few names English pages show"
    for face in faces:
        assert "font-display: swap" in face and "unicode-range: U+1100-11FF" in face
        assert "U+0" not in face, "never for Latin text: English pages do not fetch it"
        [url] = re.findall(r'url\("\.\./fonts/([^"]+)"\)', face)
        response = client.get(f"/static/fonts/{url}")
        assert response.status_code == 200 and response.mimetype == "font/woff2"


def test_the_korean_edition_draws_its_latin_text_with_its_own_font(client):
    """A Korean page's figures and Latin words come from the shipped font too (Nanum Gothic's
    own Latin), so that it asks the system for no font: ko.css declares the same files for
    Latin and Hangul, and the files have every printable ASCII character."""
    css = get(client, "/static/css/ko.css")[1]
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(faces) == 2
    for face in faces:
        assert 'font-family: "Map Gothic Text"' in face and "font-display: swap" in face
        ranges = re.search(r"unicode-range:([^;]*);", face).group(1)
        assert re.findall(r"U\+([0-9A-F]+)-([0-9A-F]+)", ranges) == LATIN_THEN_KOREAN, (
            "the ranges scripts/build_font.py puts in the files")
        [url] = re.findall(r'url\("\.\./fonts/([^"]+)"\)', face)
        assert client.get(f"/static/fonts/{url}").status_code == 200
    assert re.search(r'--sans: "Map Gothic Text",', css) and re.search(
        r'--serif: "Map Gothic Text",', css)
    ascii_ = {chr(code) for code in range(0x20, 0x7F)}
    for weight, font in FONTS.items():
        assert not ascii_ - set(map(chr, TTFont(font).getBestCmap())), weight


def test_a_korean_chart_carries_the_glyphs_it_draws(client):
    """An SVG shown as an image cannot use the page's fonts: the Korean chart inlines a subset
    of the shipped font with every Hangul character its text draws; the English one none."""
    def chart(address: str) -> str:
        [image] = [img for img in Html(get(client, address)[1]).find("img")
                   if "/charts/" in img.get("src", "")]
        return get(client, image["src"])[1]

    korean, english = chart("/ko/statistics"), chart("/statistics")
    assert "@font-face" not in english
    [data] = re.findall(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", korean)
    cmap = set(map(chr, TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()))
    drawn = set(HANGUL.findall("".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", korean))))
    assert drawn and drawn <= cmap
    assert "font-family: 'Map Gothic', 'DejaVu Sans'" in korean


def test_the_small_font_has_every_korean_character_of_an_english_page(client):
    names = paths.static_dir() / "fonts" / "map-gothic-ko-names.woff2"
    cmap = set(map(chr, TTFont(names).getBestCmap()))
    for address in ("/", "/about", f"/routes/{json.loads(get(client, '/api/routes.json')[1])[0]['id']}"):
        assert set(HANGUL.findall(get(client, address)[1])) <= cmap, address
    assert names.stat().st_size < 5_000
