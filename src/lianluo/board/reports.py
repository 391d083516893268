"""The yearly duty report (述职报告) of a deputy, generated from the archive, to present to the
voters: as PDF (reportlab, with the product's bundled CJK font and poster palette) and as
DOCX (python-docx, for the deputy to edit before presenting it).

One document model (`report_document`) is built in the reader's language from the archive; the
two renderers only lay it out, so both say the same. Cases appear as their ledger number,
category and state; their title only when the citizen consented to publication (the same rule as
the public board), never a name, phone or place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianluo.board.archive import Archive
from lianluo.cases.selectors import approved_summary
from lianluo.duty.catalog import item_label

# ---- what the report says ----------------------------------------------------------------------


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)  # first row: the header
    bullets: list[str] = field(default_factory=list)
    widths: list[float | None] = field(default_factory=list)  # columns in mm; None: the rest
    header: bool = True


@dataclass
class ReportDocument:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    closing: list[str]
    filename: str


def _points(value: Decimal) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d")


def report_document(archive: Archive) -> ReportDocument:
    """The report in the active language (call it inside `translation.override`)."""
    d = archive.deputy
    year = archive.year
    levels = " · ".join(archive.levels) if archive.levels else "—"
    stations = " · ".join(s.name for s in archive.stations) or "—"
    c = archive.counts
    facts = [
        (_("Deputy"), d.name),
        (_("Levels"), levels),
        (_("Stations"), stations),
    ]
    if d.group_id and d.group:
        facts.append((_("Deputy group"), d.group.name))
    if d.occupation:
        facts.append((_("Occupation"), d.occupation))
    facts.append((_("Year"), str(year)))

    sections: list[Section] = []
    handled = [case for case in archive.cases if case.status != "declined"]
    ideas = [e for e in archive.ideas if e.status == "approved"]  # verified ones only
    intro = Section(
        _("1. My duty in %(year)s at a glance") % {"year": year},
        paragraphs=[
            _(
                "Dear voters: as your deputy I report on how I performed my duty in %(year)s. "
                "The figures below come from the duty archive of the liaison platform, where "
                "every reception, activity, case and record is registered as it happens."
            )
            % {"year": year},
        ],
        table=[
            [_("Duty points"), _points(archive.points_total)],
            [_("Reception days at the station"), str(c["receptions"])],
            [_("Activities attended"), str(c["activities"])],
            [_("Citizens' cases handled as responsible deputy"), str(len(handled))],
            [_("of which closed out"), str(c["cases_closed"])],
            [_("Suggestions"), str(c["suggestions"])],
            [_("Ideas (金点子)"), str(len(ideas))],
            [_("Families supported"), str(c["families"])],
        ],
        widths=[None, 30],
        header=False,
    )
    sections.append(intro)

    points = Section(_("2. Duty points by item"))
    if archive.by_item:
        points.table = [[_("Duty item"), _("Times"), _("Points")]] + [
            [item_label(row.item), str(row.count), _points(row.points)] for row in archive.by_item
        ]
        points.table.append([_("Total"), "", _points(archive.points_total)])
        points.widths = [None, 22, 22]
    else:
        points.paragraphs.append(_("No points counted this year yet."))
    if archive.pending_count:
        points.paragraphs.append(
            ngettext(
                "%(count)s more record awaits verification and is not counted here.",
                "%(count)s more records await verification and are not counted here.",
                archive.pending_count,
            )
            % {"count": archive.pending_count}
        )
    sections.append(points)

    receptions = Section(_("3. Receiving citizens at the station"))
    present = [r for r in archive.receptions if r.state == "present"]
    receptions.bullets = [
        _("%(date)s, %(station)s: %(citizens)s citizens received")
        % {"date": _date(r.date), "station": r.station, "citizens": r.citizens or 0}
        for r in present
    ] or [_("None recorded this year.")]
    sections.append(receptions)

    activities = Section(_("4. Activities"))
    activities.bullets = [
        # Translators: an activity in the duty report: 2026-06-01 调研：饮水安全（城关镇联络站）
        _("%(date)s %(type)s: %(title)s (%(station)s)")
        % {
            "date": _date(timezone.localtime(s.activity.start)),
            "type": s.activity.get_type_display(),
            "title": s.activity.title,
            "station": s.activity.station.name,
        }
        for s in archive.activities
    ] or [_("None recorded this year.")]
    sections.append(activities)

    cases = Section(_("5. Citizens' cases I was responsible for"))
    if handled:
        cases.widths = [50, None, 28]
        cases.table = [[_("Ledger number"), _("Matter"), _("State")]] + [
            [
                case.number,
                # What the public may read: the summary staff approved, else the category.
                approved_summary(case)
                or (case.category.label if case.category_id and case.category else _("Case")),
                str(case.get_status_display()),
            ]
            for case in handled
        ]
    else:
        cases.paragraphs.append(_("None this year."))
    sections.append(cases)

    suggestions = Section(_("6. Suggestions and ideas"))
    suggestions.bullets = [
        _("%(title)s (%(status)s)") % {"title": s.title, "status": s.get_status_display()}
        for s in archive.suggestions
    ] + [_("Idea: %(note)s") % {"note": e.note or item_label(e.item)} for e in ideas]
    if not suggestions.bullets:
        suggestions.bullets = [_("None this year.")]
    sections.append(suggestions)

    families = Section(_("7. Families I support"))
    families.bullets = [
        _("%(family)s, paired since %(start)s")
        % {"family": p.family.label, "start": _date(p.start)}
        for p in archive.families
    ] + [
        _("%(date)s %(family)s: %(kind)s")
        % {"date": _date(r.date), "family": r.family.label, "kind": r.get_kind_display()}
        + (" " + _("%(value)s yuan") % {"value": r.value_yuan} if r.value_yuan else "")
        for r in archive.support
    ]
    if not families.bullets:
        families.bullets = [_("None this year.")]
    sections.append(families)

    closing = [
        _("This is my report. I welcome your review and your suggestions."),
        _("Deputy %(name)s, %(date)s") % {"name": d.name, "date": _date(timezone.localdate())},
    ]
    return ReportDocument(
        title=_("Duty report %(year)s") % {"year": year},
        subtitle=_("%(name)s, deputy to the people's congress") % {"name": d.name},
        facts=facts,
        sections=sections,
        closing=closing,
        filename=f"duty-report-{d.code}-{year}",
    )


# ---- PDF ---------------------------------------------------------------------------------------


def report_pdf(doc: ReportDocument) -> bytes:
    """A4 PDF; every character in the product's bundled font, embedded (no system font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from lianluo.core.pdf import INK, LINE, MUTED, RED, TINT, font_name

    font = font_name()
    base = ParagraphStyle(
        "base", fontName=font, fontSize=11, leading=17, textColor=INK, wordWrap="CJK"
    )
    title = ParagraphStyle(
        "title", parent=base, fontSize=22, leading=30, alignment=1, textColor=RED, spaceAfter=4
    )
    subtitle = ParagraphStyle("subtitle", parent=base, fontSize=13, alignment=1, spaceAfter=12)
    heading = ParagraphStyle(
        "heading",
        keepWithNext=1,
        parent=base,
        fontSize=14,
        leading=20,
        textColor=RED,
        spaceBefore=12,
        spaceAfter=6,
    )
    small = ParagraphStyle("small", parent=base, fontSize=9.5, leading=13, textColor=MUTED)
    cell = ParagraphStyle("cell", parent=base, fontSize=10, leading=14)
    bullet = ParagraphStyle(
        "bullet", parent=base, leftIndent=12, bulletIndent=0, bulletFontName=font
    )

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list = [p(doc.title, title), p(doc.subtitle, subtitle)]
    facts = Table(
        [[p(k, small), p(v, cell)] for k, v in doc.facts],
        colWidths=[32 * mm, None],
        hAlign="LEFT",
    )
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story += [facts, Spacer(1, 6)]
    for section in doc.sections:
        story.append(p(section.title, heading))
        story += [p(text) for text in section.paragraphs]
        if section.table:
            widths = [w * mm if w is not None else None for w in section.widths] or None
            rows = [[p(text, cell) for text in row] for row in section.table]
            table = Table(
                rows, colWidths=widths, repeatRows=1 if section.header else 0, hAlign="LEFT"
            )
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), font, 10),
                        ("BACKGROUND", (0, 0), (-1, 0 if section.header else -1), TINT),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                        ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 4)]
        story += [Paragraph(escape(b), bullet, bulletText="•") for b in section.bullets]
    story.append(Spacer(1, 14))
    story += [
        p(line, ParagraphStyle("close", parent=base, alignment=2 if n else 0))
        for n, line in enumerate(doc.closing)
    ]

    generated = _("Generated from the duty archive on %(date)s") % {
        "date": _date(timezone.localdate())
    }

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(colors.HexColor("#5f5f5f"))
        canvas.drawString(18 * mm, 10 * mm, f"{doc.subtitle} · {generated}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        # The canvas starts in the bundled font too: the PDF references no other font.
        initialFontName=font,
        initialFontSize=11,
        title=doc.title + " · " + doc.subtitle,
        author=doc.subtitle,
        creator="Lianluo",
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


# ---- DOCX --------------------------------------------------------------------------------------

DOCX_FONT = "SimSun"  # 宋体: what Word and WPS use for Chinese body text
DOCX_HEADING_FONT = "SimHei"  # 黑体


def _east_asian(run_or_style, name: str) -> None:
    from docx.oxml.ns import qn

    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def report_docx(doc: ReportDocument) -> bytes:
    """An editable Word document with the same content (A4, 宋体/黑体 for Chinese)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(12)
    _east_asian(normal, DOCX_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = DOCX_HEADING_FONT
        style.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
        _east_asian(style, DOCX_HEADING_FONT)
    props = document.core_properties
    props.title = f"{doc.title} · {doc.subtitle}"
    props.author = doc.subtitle
    props.comments = "Lianluo"

    heading = document.add_heading(doc.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(doc.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for key, value in doc.facts:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = key, value
    for part in doc.sections:
        document.add_heading(part.title, level=1)
        for text in part.paragraphs:
            document.add_paragraph(text)
        if part.table:
            table = document.add_table(rows=0, cols=len(part.table[0]))
            table.style = "Table Grid"
            for n, row in enumerate(part.table):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if n == 0 and part.header:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        for text in part.bullets:
            document.add_paragraph(text, style="List Bullet")
    document.add_paragraph()
    for n, line in enumerate(doc.closing):
        para = document.add_paragraph(line)
        if n:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
