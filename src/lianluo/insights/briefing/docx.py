"""The briefing as an editable Word document: the same sections as the PDF, the charts as PNG
images, 宋体/黑体 for Chinese (what Word and WPS use)."""

from __future__ import annotations

import io
from typing import Any

from lianluo.insights.briefing.build import Briefing
from lianluo.insights.briefing.charts import png
from lianluo.insights.briefing.pdf import sections, topic_text

BODY_FONT = "SimSun"
HEADING_FONT = "SimHei"


def _east_asian(run_or_style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def briefing_docx(b: Briefing) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    red = RGBColor(0xB3, 0x26, 0x1E)
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(22)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    _east_asian(normal, BODY_FONT)
    for name in ("Title", "Heading 1"):
        style = document.styles[name]
        style.font.name = HEADING_FONT
        style.font.color.rgb = red
        _east_asian(style, HEADING_FONT)
    document.core_properties.title = b.title
    document.core_properties.comments = "Lianluo"

    mast = document.add_heading("联络动态", level=0)
    mast.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(f"{b.target_name} · {b.period_label}")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issued = f"{b.issued.year}年{b.issued.month}月{b.issued.day}日"
    document.add_paragraph(f"{b.issuer}编　　{issued}")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(b.title)
    run.bold, run.font.size = True, Pt(15)
    document.add_paragraph(b.summary).paragraph_format.first_line_indent = Pt(24)

    for key, head in sections(b):
        document.add_heading(head, level=1)
        if key == "figures":
            table = document.add_table(rows=0, cols=4)
            table.style = "Table Grid"
            rows = [["指标", "本期", "上期", "增减"]] + [
                [h.label, h.value, h.previous, h.change] for h in b.headlines
            ]
            for n, row in enumerate(rows):
                cells = table.add_row().cells
                for c, text in zip(cells, row, strict=True):
                    c.text = text
                    if n == 0:
                        for r in c.paragraphs[0].runs:
                            r.bold = True
            document.add_paragraph(
                "注：办结率为本期受理的意见建议中期末已办结的比例；群众满意率为本期办结并评价的"
                "意见建议中满意和基本满意的比例；无可计算数据时记为“—”。"
            )
        elif key == "topics":
            for t in b.topics:
                document.add_paragraph(topic_text(t), style="List Number")
        elif key == "cases":
            from lianluo.insights.briefing.build import NUMERALS

            for n, c in enumerate(b.cases):
                document.add_paragraph().add_run(f"（{NUMERALS[n]}）{c.title}").bold = True
                meta = "，".join(x for x in (c.station, c.category, f"{c.closed_on}办结") if x)
                document.add_paragraph(f"{meta}。{c.answer}")
        elif key == "stations":
            for s in b.stations:
                document.add_paragraph(
                    f"{s.name}：办结{s.closed}件，群众满意率{s.satisfaction}（{s.reason}）。",
                    style="List Bullet",
                )
        elif key == "activities":
            for text in b.activities + b.receptions:
                document.add_paragraph(text, style="List Bullet")
        elif key == "charts":
            for chart in b.charts:
                document.add_picture(io.BytesIO(png(chart)), width=Mm(160))
    document.add_paragraph("本简报数据由人大代表联络平台按统一口径自动生成，与数据看板一致。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
