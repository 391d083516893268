"""The PDF ground every printed page stands on: the bundled Chinese font and the house colours.

The Chinese font ships with the product (fonts/LianluoSansSC-Regular.ttf, a TrueType subset of
Noto Sans SC under the SIL OFL) and is embedded in every PDF, so a machine without any CJK font
prints the same page. Never reportlab's STSong-Light: it is not embedded, and a viewer without
Adobe's CJK data shows blank text. Posters (portal) and the duty report draw with these.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "LianluoSansSC"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "LianluoSansSC-Regular.ttf"

RED = HexColor("#b3261e")
INK = HexColor("#1d1d1f")
MUTED = HexColor("#5f5f5f")
TINT = HexColor("#fbf1f0")
LINE = HexColor("#e6c9c6")


def font_name() -> str:
    """Register the bundled font once per process; reportlab subsets and embeds it."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME
