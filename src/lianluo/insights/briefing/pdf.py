"""The briefing as an A4 PDF in the bulletin's layout: a red masthead, the issuing line, then
numbered sections; every character in the product's bundled CJK font, embedded."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from lianluo.insights.briefing.build import NUMERALS, Briefing
from lianluo.insights.briefing.charts import drawing


def sections(b: Briefing) -> list[tuple[str, str]]:
    """(key, heading) of the sections the briefing has, numbered in order (一、二、…)."""
    keys = [("figures", "主要数据")]
    if b.topics:
        keys.append(("topics", "热点问题"))
    if b.cases:
        keys.append(("cases", "典型案例"))
    if b.stations:
        keys.append(("stations", "示范站点"))
    if b.activities or b.receptions:
        keys.append(("activities", "代表活动"))
    if b.charts:
        keys.append(("charts", "数据图表"))
    return [(key, f"{NUMERALS[n]}、{title}") for n, (key, title) in enumerate(keys)]


def topic_text(t: Any) -> str:
    growth = "新出现" if t.growth is None else f"较上期{t.growth:+.0f}%"
    return f"{t.label}（{t.size}件，{growth}）：{'、'.join(t.keywords)}"


def briefing_pdf(b: Briefing) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        HRFlowable,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from lianluo.core.pdf import INK, LINE, MUTED, RED, TINT, font_name

    font = font_name()
    base = ParagraphStyle(
        "base",
        fontName=font,
        fontSize=11,
        leading=19,
        textColor=INK,
        wordWrap="CJK",
        firstLineIndent=22,
    )
    flat = ParagraphStyle("flat", parent=base, firstLineIndent=0)
    mast = ParagraphStyle("mast", parent=flat, fontSize=34, leading=44, alignment=1, textColor=RED)
    issue = ParagraphStyle("issue", parent=flat, fontSize=10.5, alignment=1, textColor=MUTED)
    title = ParagraphStyle(
        "title", parent=flat, fontSize=16, leading=24, alignment=1, spaceBefore=10, spaceAfter=8
    )
    heading = ParagraphStyle(
        "heading",
        parent=flat,
        fontSize=13.5,
        leading=20,
        textColor=RED,
        spaceBefore=10,
        spaceAfter=4,
        keepWithNext=1,
    )
    cell = ParagraphStyle("cell", parent=flat, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=flat, fontSize=9.5, leading=14, textColor=MUTED)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    issued = f"{b.issued.year}年{b.issued.month}月{b.issued.day}日"
    story: list[Any] = [
        p("联络动态", mast),
        p(f"{b.target_name} · {b.period_label}", issue),
        Table(
            [[p(f"{b.issuer}编", small), p(issued, small)]],
            colWidths=[None, 40 * mm],
            style=[("ALIGN", (1, 0), (1, 0), "RIGHT")],
        ),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.6, color=RED, spaceAfter=6),
        p(b.title, title),
        p(b.summary),
    ]
    for key, head in sections(b):
        if key == "charts":  # the heading stays on the page of the first chart
            first, *more = b.charts
            story.append(KeepTogether([p(head, heading), drawing(first), Spacer(1, 8)]))
            story += [KeepTogether([drawing(c), Spacer(1, 8)]) for c in more]
            continue
        story.append(p(head, heading))
        if key == "figures":
            rows = [["指标", "本期", "上期", "增减"]] + [
                [h.label, h.value, h.previous, h.change] for h in b.headlines
            ]
            table = Table(
                [[p(text, cell) for text in row] for row in rows],
                colWidths=[62 * mm, 30 * mm, 30 * mm, 40 * mm],
                hAlign="LEFT",
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), TINT),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                        ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            story.append(table)
            story.append(
                p(
                    "注：办结率为本期受理的意见建议中期末已办结的比例；群众满意率为本期"
                    "办结并评价的意见建议中满意和基本满意的比例；无可计算数据时记为“—”。",
                    small,
                )
            )
        elif key == "topics":
            story += [p(f"{n + 1}. {topic_text(t)}", flat) for n, t in enumerate(b.topics)]
        elif key == "cases":
            for n, c in enumerate(b.cases):
                story.append(p(f"（{NUMERALS[n]}）{c.title}", flat))
                meta = "，".join(x for x in (c.station, c.category, f"{c.closed_on}办结") if x)
                story.append(p(f"{meta}。{c.answer}"))
        elif key == "stations":
            story += [
                p(f"{s.name}：办结{s.closed}件，群众满意率{s.satisfaction}（{s.reason}）。", flat)
                for s in b.stations
            ]
        elif key == "activities":
            story += [p(line) for line in b.activities + b.receptions]
    story += [Spacer(1, 16), HRFlowable(width="100%", thickness=0.6, color=RED, spaceAfter=4)]
    story.append(p("本简报数据由人大代表联络平台按统一口径自动生成，与数据看板一致。", small))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, b.title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第{document.page}页")
        canvas.restoreState()

    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        initialFontName=font,
        initialFontSize=11,
        title=b.title,
        author="Lianluo",
        creator="Lianluo",
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
