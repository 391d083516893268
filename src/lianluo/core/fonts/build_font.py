"""Rebuild LianluoSansSC-Regular.ttf: a subset of Noto Sans SC (SIL OFL 1.1) with TrueType
outlines, so reportlab can embed it in posters on machines that have no CJK font at all.

Not imported at run time. One-off, by a developer, with fontTools installed:

    pip download --no-deps pylopdf-fonts-zh-cn   # ships NotoSansSC-Regular.otf (OFL)
    python build_font.py path/to/NotoSansSC-Regular.otf

Why: reportlab's TTFont embeds TrueType (glyf) outlines only, and Noto Sans SC is published
with CFF outlines; the cubic curves are converted to quadratic ones (cu2qu, error ≤ 1 unit).
The subset keeps GB 2312 (6,763 hanzi plus its symbols), ASCII, Latin-1 and the punctuation a
notice uses; the family is renamed because a modified font must not carry the original name's
trademark ("Noto" is Google's).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

FAMILY = "Lianluo Sans SC"
PS_NAME = "LianluoSansSC-Regular"
OUT = Path(__file__).with_name(f"{PS_NAME}.ttf")


def gb2312_chars() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted() -> set[int]:
    chars = gb2312_chars()
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 (·, ×, é in English place names)
        (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
        (0x2030, 0x203B),
        (0x2103, 0x2103),  # ℃
        (0x2116, 0x2116),  # №
        (0x2160, 0x216B),  # Roman numerals
        (0x2190, 0x2193),  # arrows
        (0x2460, 0x2473),  # circled numbers ①–⑳
        (0x25A0, 0x25CF),  # squares, triangles, circles
        (0x3000, 0x303F),  # CJK punctuation
        (0xFF01, 0xFF5E),  # full-width forms
    ]
    points = {ord(c) for c in chars}
    for lo, hi in ranges:
        points.update(range(lo, hi + 1))
    return points


def to_truetype(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont) -> None:
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 4, 16, 21):
            names.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (3, 6, 20):
            names.setName(PS_NAME, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
    names.setName(
        "Subset of Noto Sans SC with TrueType outlines, for Lianluo posters.",
        10,
        3,
        1,
        0x409,
    )


def main(source: str) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = []  # reportlab uses cmap and advance widths only
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["BASE", "GDEF", "GPOS", "GSUB", "VORG", "vhea", "vmtx", "DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=wanted())
    sub.subset(font)
    to_truetype(font)
    rename(font)
    font.save(OUT)
    print(f"{OUT.name}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
