"""The briefing's charts, drawn twice from the same Chart: as a reportlab drawing for the PDF
(vector, the bundled font) and as a PNG with Pillow for the DOCX (reportlab's renderPM needs a
backend package that is not installed; Pillow is)."""

from __future__ import annotations

import io
from typing import Any

from lianluo.insights.briefing.build import Chart

COLOURS = ("#b3261e", "#5f5f5f", "#e6a19b")
WIDTH, HEIGHT = 440.0, 200.0  # points


def _step(chart: Chart) -> int:
    """The value axis in four equal steps of 1, 2 or 5 × 10ⁿ, the highest bar under the top."""
    peak = max((v for _n, values in chart.series for v in values), default=0)
    steps = (m * 10**e for e in range(12) for m in (1, 2, 5))
    return next(step for step in steps if step * 4 >= peak)


def _top(chart: Chart) -> int:
    return _step(chart) * 4


def _plot_width(chart: Chart) -> float:
    """Room for the legend on the right only when there is one."""
    return WIDTH - (150 if len(chart.series) > 1 else 50)


def _label(value: float) -> str:
    """A bar's value above it; nothing over an empty bar."""
    return f"{value:.0f}" if value else ""


def drawing(chart: Chart) -> Any:
    """A reportlab Drawing: grouped vertical bars, a legend when there are several series."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import HexColor

    from lianluo.core.pdf import INK, font_name

    font = font_name()
    d = Drawing(WIDTH, HEIGHT)
    d.add(String(0, HEIGHT - 14, chart.title, fontName=font, fontSize=11, fillColor=INK))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 34, 30, _plot_width(chart), HEIGHT - 60
    bars.data = [values for _n, values in chart.series]
    bars.categoryAxis.categoryNames = chart.categories
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 8
    bars.categoryAxis.labels.angle = 0 if len(chart.categories) <= 6 else 30
    bars.categoryAxis.labels.boxAnchor = "n" if len(chart.categories) <= 6 else "ne"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = _top(chart)
    bars.valueAxis.valueStep = _step(chart)
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.labelTextFormat = "%d"
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 7
    bars.barLabelFormat = _label
    bars.barLabels.nudge = 6
    for n in range(len(chart.series)):
        bars.bars[n].fillColor = HexColor(COLOURS[n % len(COLOURS)])
        bars.bars[n].strokeColor = None
    d.add(bars)
    if len(chart.series) < 2:
        return d
    legend = Legend()
    legend.x, legend.y = WIDTH - 100, HEIGHT - 40
    legend.fontName, legend.fontSize = font, 9
    legend.alignment = "right"
    legend.colorNamePairs = [
        (HexColor(COLOURS[n % len(COLOURS)]), name) for n, (name, _v) in enumerate(chart.series)
    ]
    d.add(legend)
    return d


def png(chart: Chart, *, scale: int = 3) -> bytes:
    """The same chart as a PNG (Pillow), for the DOCX."""
    from PIL import Image, ImageDraw, ImageFont

    from lianluo.core.pdf import FONT_PATH

    w, h = int(WIDTH * scale), int(HEIGHT * scale)
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    title = ImageFont.truetype(str(FONT_PATH), 11 * scale)
    small = ImageFont.truetype(str(FONT_PATH), 8 * scale)
    draw.text((0, 0), chart.title, font=title, fill="#1d1d1f")
    left, right = 34 * scale, (34 + _plot_width(chart)) * scale
    top, bottom = 30 * scale, (HEIGHT - 30) * scale
    peak = _top(chart)
    for k in range(5):
        value = peak * k // 4
        y = bottom - (bottom - top) * value / peak
        draw.line([(left, y), (right, y)], fill="#e0e0e0", width=1)
        draw.text((left - 4 * scale, y), str(value), font=small, fill="#5f5f5f", anchor="rm")
    draw.line([(left, bottom), (right, bottom)], fill="#5f5f5f", width=scale)
    n_cat, n_ser = max(1, len(chart.categories)), max(1, len(chart.series))
    slot = (right - left) / n_cat
    bar = slot * 0.7 / n_ser
    for c, name in enumerate(chart.categories):
        x0 = left + slot * c + slot * 0.15
        for s, (_name, values) in enumerate(chart.series):
            value = values[c]
            y = bottom - (bottom - top) * value / peak
            colour = COLOURS[s % len(COLOURS)]
            if value:
                draw.rectangle([(x0 + bar * s, y), (x0 + bar * (s + 1) - 1, bottom)], fill=colour)
            draw.text(
                (x0 + bar * (s + 0.5), y - 2 * scale),
                _label(value),
                font=small,
                fill="#1d1d1f",
                anchor="mb",
            )
        draw.text(
            (left + slot * (c + 0.5), bottom + 4 * scale),
            name,
            font=small,
            fill="#1d1d1f",
            anchor="ma",
        )
    for s, (name, _values) in enumerate(chart.series if len(chart.series) > 1 else []):
        y = top + s * 16 * scale
        x = (WIDTH - 100) * scale
        draw.rectangle([(x, y), (x + 10 * scale, y + 10 * scale)], fill=COLOURS[s % len(COLOURS)])
        draw.text((x + 14 * scale, y + 5 * scale), name, font=small, fill="#1d1d1f", anchor="lm")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
