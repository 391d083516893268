"""Printable A4 posters (PDF) for the notice board: a station's, a deputy's, and a batch of all
deputies of a station. Each carries the QR code of the public page, drawn as vector squares.

The font and the colours come from lianluo.core.pdf (the bundled Chinese font, embedded in
every PDF).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from lianluo.core.pdf import INK, LINE, MUTED, RED, TINT, font_name

PAGE_W, PAGE_H = A4
MARGIN = 42.0


# ---- what a poster says (built by the views from the selectors) ----------------------------


@dataclass
class StationPoster:
    name: str
    kind: str
    area: str
    congress: str
    address: str
    hours: str
    schedule: list[str]  # the reception rules in words, or the opening hours
    deputy_count: int
    url: str  # the absolute URL of the station's public page: the QR code's content
    schedule_url: str  # the live schedule on that page: the dates, never printed
    track_url: str


@dataclass
class DeputyPoster:
    name: str
    levels: list[str]  # "National deputy", "County deputy" …
    industry: str
    stations: list[tuple[str, list[str]]]  # (station name, its rules in words)
    url: str
    schedule_url: str  # the deputy's duties, live on their page: a poster prints no dates
    track_url: str


# ---- drawing helpers -------------------------------------------------------------------------


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Break points: every CJK character stands alone; Latin words stay whole."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or _is_wide(ch):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


# Closing punctuation never starts a line (禁则).
_NO_START = set("，。、；：！？）》」』】”’,.;:!?)")


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking for mixed Chinese and Latin text."""
    font = font_name()
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph):
            trial = line + token
            if pdfmetrics.stringWidth(trial, font, size) <= width or not line.strip():
                line = trial
            elif token in _NO_START:
                line = trial  # a hanging punctuation mark rather than one at a line start
            else:
                lines.append(line.rstrip())
                line = "" if token == " " else token
        lines.append(line.rstrip())
    return lines


def _text(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    color: Color = INK,
    bold: bool = False,
    align: str = "left",
) -> None:
    font = font_name()
    width = pdfmetrics.stringWidth(text, font, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    # Colours and the render mode are graphics state: keep them inside q … Q for this text.
    c.saveState()
    c.setFillColor(color)
    t = c.beginText(x, y)
    t.setFont(font, size)
    if bold:
        # One weight ships with the product; fill and stroke the outline for a heavier one.
        c.setStrokeColor(color)
        c.setLineWidth(size * 0.035)
        t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def _fit(text: str, *, width: float, size: float, smallest: float) -> tuple[list[str], float]:
    """The largest size from `size` down to `smallest` at which the text takes ≤ 2 lines."""
    while size > smallest:
        lines = wrap(text, size, width)
        if len(lines) == 1 or (len(lines) == 2 and size <= smallest + 8):
            return lines, size
        size -= 2
    return wrap(text, smallest, width)[:3], smallest


def _qr(c: Canvas, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares filling `size` points (4-module quiet zone included)."""
    qr = segno.make(url, error="m", micro=False)
    rows = qr.matrix
    n = len(rows) + 8
    m = size / n
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    path = c.beginPath()
    for r, row in enumerate(rows):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + (start + 4) * m, y + size - (r + 5) * m, (col - start) * m, m)
            else:
                col += 1
    c.setFillColor(HexColor("#000000"))
    c.drawPath(path, stroke=0, fill=1)


def _band(c: Canvas, title: str, subtitle: str) -> None:
    height = 78
    c.setFillColor(RED)
    c.rect(0, PAGE_H - height, PAGE_W, height, stroke=0, fill=1)
    _text(c, MARGIN, PAGE_H - 38, title, size=22, color=white, bold=True)
    if subtitle:
        _text(c, MARGIN, PAGE_H - 62, subtitle, size=12, color=white)


BOX_SIZE = 14
BOX_LEADING = 21
BOX_LABEL_W = 88
FOOTER_TOP = 82.0  # the lowest a box may reach: the footer lines sit below it
QR_FRAME = 8.0


Laid = list[tuple[str, list[str]]]


def _box_layout(rows: list[tuple[str, list[str]]], *, max_lines: int = 9) -> tuple[Laid, float]:
    """Wrap a box's labelled rows (at most `max_lines` lines, the rest cut with "…"); returns the
    lines and the box's height."""
    inner = PAGE_W - 2 * MARGIN - 32 - BOX_LABEL_W
    laid: Laid = []
    budget = max_lines
    for label, values in rows:
        lines: list[str] = []
        for value in values:
            lines += wrap(value, BOX_SIZE, inner)
        if len(lines) > budget:
            lines = lines[: max(budget, 1)]
            lines[-1] = lines[-1][:-1] + "…"
        budget -= len(lines)
        if lines:
            laid.append((label, lines))
    if not laid:
        return laid, 0.0
    return laid, 24 + sum(len(lines) * BOX_LEADING + 8 for _label, lines in laid)


def _box(c: Canvas, laid: Laid, height: float, *, top: float) -> None:
    """A tinted box of labelled rows, laid out by _box_layout."""
    if not laid:
        return
    c.setFillColor(TINT)
    c.setStrokeColor(LINE)
    c.roundRect(MARGIN, top - height, PAGE_W - 2 * MARGIN, height, 10, stroke=1, fill=1)
    y = top - 16 - BOX_SIZE
    for label, lines in laid:
        _text(c, MARGIN + 16, y, label, size=BOX_SIZE, color=RED, bold=True)
        for line in lines:
            _text(c, MARGIN + 16 + BOX_LABEL_W, y, line, size=BOX_SIZE)
            y -= BOX_LEADING
        y -= 8


def _qr_framed(c: Canvas, url: str, *, top: float, size: float) -> None:
    """The QR code centred under `top`, in a red rounded frame."""
    x = (PAGE_W - size) / 2
    c.setStrokeColor(RED)
    c.setLineWidth(2.5)
    c.roundRect(x - QR_FRAME, top - size - QR_FRAME, size + 2 * QR_FRAME, size + 2 * QR_FRAME, 14)
    c.setLineWidth(1)
    _qr(c, url, x=x, y=top - size, size=size)


def _schedule_hint() -> str:
    # Translators: on a poster, before the link to the live schedule: 具体日期和值班代表请见：
    return _("Dates and deputies on duty, always up to date:")


def _footer(c: Canvas, *, url: str, track_url: str) -> None:
    lines = [
        # Translators: 凭查询码查询办理进度：%(url)s
        (58, _("Follow your case with its tracking code at %(url)s") % {"url": track_url}),
        # Translators: 无法扫码时，请访问：%(url)s
        (40, _("Cannot scan? Open %(url)s") % {"url": url}),
    ]
    for y, line in lines:
        _text(c, PAGE_W / 2, y, line, size=11, color=MUTED, align="center")
    c.setStrokeColor(RED)
    c.setLineWidth(3)
    c.line(MARGIN, 26, PAGE_W - MARGIN, 26)
    c.setLineWidth(1)


def _canvas(buf: io.BytesIO, title: str) -> Canvas:
    c = Canvas(buf, pagesize=A4, initialFontName=font_name(), initialFontSize=12)
    c.setTitle(title)
    c.setAuthor(_("Lianluo"))
    c.setCreator("Lianluo")
    c.setSubject(_("Poster for the notice board"))
    return c


# ---- the posters -------------------------------------------------------------------------------


def _station_page(c: Canvas, p: StationPoster) -> None:
    # Translators: the band at the top of a station poster: 人大代表联络站
    _band(c, _("People's congress deputy liaison station"), p.congress)
    width = PAGE_W - 2 * MARGIN
    lines, size = _fit(p.name, width=width, size=40, smallest=26)
    y = PAGE_H - 78 - 30 - size
    for line in lines:
        _text(c, PAGE_W / 2, y, line, size=size, bold=True, align="center")
        y -= size * 1.25
    sub = " · ".join(v for v in (p.kind, p.area) if v)
    _text(c, PAGE_W / 2, y + 4, sub, size=14, color=MUTED, align="center")
    # Translators: the call to action under the QR code: 扫码找代表 · 有事您说话
    cta = _("Scan to find your deputy · tell us what matters")
    cta_lines, cta_size = _fit(cta, width=width, size=26, smallest=18)
    hint = _(
        "Scan with your phone's camera or WeChat, write what you want to say, and keep the "
        "tracking code you are given."
    )
    hint_lines = wrap(hint, 12, width - 40)
    rows: list[tuple[str, list[str]]] = [
        # Translators: label on the poster: 接待时间
        (_("Reception"), p.schedule),
        # Translators: label on the poster: 接待安排
        (pgettext("poster label", "Schedule"), [_schedule_hint(), p.schedule_url]),
        (_("Address"), [p.address] if p.address else []),
    ]
    if p.hours and p.hours not in p.schedule:
        rows.append((_("Opening hours"), [p.hours]))
    if p.deputy_count:
        rows.append(
            (
                _("Deputies"),
                # Translators: 本站共有 %(count)s 名人大代表
                [_("%(count)s deputies are grouped into this station") % {"count": p.deputy_count}],
            )
        )
    laid, box_h = _box_layout(rows)
    # The QR code takes what the text leaves, at most 272 points (9.6 cm).
    after = len(hint_lines) * 17 + 6 + box_h
    y = _qr_and_cta(c, p.url, (cta_lines, cta_size), top=y - 18, largest=272.0, gap=44, after=after)
    for line in hint_lines:
        _text(c, PAGE_W / 2, y + 4, line, size=12, color=MUTED, align="center")
        y -= 17
    _box(c, laid, box_h, top=y - 6)
    _footer(c, url=p.url, track_url=p.track_url)


def _deputy_page(c: Canvas, p: DeputyPoster) -> None:
    # Translators: the band at the top of a deputy poster: 人大代表
    _band(c, _("People's congress deputy"), _("One deputy, one code: scan and be heard"))
    width = PAGE_W - 2 * MARGIN
    radius = 38.0
    cy = PAGE_H - 78 - 28 - radius
    c.setFillColor(HexColor("#f3d9d7"))
    c.circle(PAGE_W / 2, cy, radius, stroke=0, fill=1)
    initial = p.name[:1]
    _text(c, PAGE_W / 2, cy - 14, initial, size=40, color=RED, bold=True, align="center")
    y = cy - radius - 48
    lines, size = _fit(p.name, width=width, size=40, smallest=26)
    for line in lines:
        _text(c, PAGE_W / 2, y, line, size=size, bold=True, align="center")
        y -= size * 1.2
    _tags(c, p.levels, y=y + 2)
    y -= 30
    if p.industry:
        _text(c, PAGE_W / 2, y + 4, p.industry, size=13, color=MUTED, align="center")
        y -= 18
    # Translators: the call to action on a deputy poster: 扫码找代表 · 有事您说话
    cta = _("Scan to reach me · tell me what matters")
    cta_lines, cta_size = _fit(cta, width=width, size=24, smallest=18)
    rows: list[tuple[str, list[str]]] = []
    for name, schedule in p.stations:
        rows.append((_("Station"), [name] + schedule))
    # Translators: label on the deputy poster: 近期值班
    rows.append((_("On duty"), [_schedule_hint(), p.schedule_url]))
    laid, box_h = _box_layout(rows)
    y = _qr_and_cta(
        c, p.url, (cta_lines, cta_size), top=y - 10, largest=236.0, gap=42, after=4 + box_h
    )
    _box(c, laid, box_h, top=y - 4)
    _footer(c, url=p.url, track_url=p.track_url)


def _qr_and_cta(
    c: Canvas,
    url: str,
    cta: tuple[list[str], float],
    *,
    top: float,
    largest: float,
    gap: float,
    after: float,
) -> float:
    """The QR code framed under `top`, then the call to action (lines, size) `gap` below it.
    The code is as large as the page leaves once the call to action and `after` points (what
    the poster prints under it) fit above the footer: between 150 points and `largest`.
    Returns the y under the call to action."""
    lines, size = cta
    below = gap + len(lines) * size * 1.3 + after
    qr_size = max(150.0, min(largest, top - QR_FRAME - below - FOOTER_TOP))
    _qr_framed(c, url, top=top, size=qr_size)
    y = top - qr_size - gap
    for line in lines:
        _text(c, PAGE_W / 2, y, line, size=size, color=RED, bold=True, align="center")
        y -= size * 1.3
    return y


def _tags(c: Canvas, labels: list[str], *, y: float) -> None:
    size = 13
    pad = 9
    gap = 8
    font = font_name()
    widths = [pdfmetrics.stringWidth(t, font, size) + 2 * pad for t in labels]
    x = (PAGE_W - sum(widths) - gap * max(0, len(labels) - 1)) / 2
    for label, w in zip(labels, widths, strict=True):
        c.setFillColor(TINT)
        c.setStrokeColor(RED)
        c.roundRect(x, y - 7, w, 24, 6, stroke=1, fill=1)
        _text(c, x + pad, y, label, size=size, color=RED)
        x += w + gap


def station_poster_pdf(poster: StationPoster) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf, poster.name)
    _station_page(c, poster)
    c.showPage()
    c.save()
    return buf.getvalue()


def deputy_posters_pdf(posters: Iterable[DeputyPoster], *, title: str) -> bytes:
    """One A4 page per deputy (a single poster, or the batch of a station)."""
    buf = io.BytesIO()
    c = _canvas(buf, title)
    pages = 0
    for poster in posters:
        _deputy_page(c, poster)
        c.showPage()
        pages += 1
    if not pages:
        # Translators: the batch PDF of a station that has no deputies yet
        _text(c, MARGIN, PAGE_H - MARGIN - 20, _("No deputies at this station yet."), size=16)
        c.showPage()
    c.save()
    return buf.getvalue()
