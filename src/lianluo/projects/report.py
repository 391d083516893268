"""The year's report of a congress's livelihood projects (民生实事项目年度报告): the collection,
the candidates, the session vote's result, the approved projects with plan, progress and
spending, the supervision records, the satisfaction grades and the rectification lists. Built
from `projects.public.year_view` (so it shows exactly the published stages), as tables that the
PDF here and the workbook in `projects.exports` both lay out."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.projects.public import YearView, rectification_of
from lianluo.voting.models import Choice


def day(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _yes(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def grade_label(grade: str) -> str:
    return str(dict(Choice.choices).get(grade, grade)) if grade else ""


@dataclass
class Part:
    """A section of the report: a sheet of the workbook, a table of the PDF (header first)."""

    key: str  # the workbook's sheet, the tests' handle
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # characters (xlsx) / relative (pdf)


@dataclass
class YearReport:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    parts: list[Part]


def filename(view: YearView) -> str:
    return f"projects-{view.congress.area.code}-{view.year}"


def _facts(view: YearView) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if view.window is not None:
        facts.append(
            (_("Collection"), f"{day(view.window.opens_on)} – {day(view.window.closes_on)}")
        )
    by_source = "、".join(f"{label} {n}" for label, n in view.proposals_by_source)
    facts.append((_("Proposals received"), f"{view.proposals_total} {by_source}".strip()))
    if view.slate is not None:
        facts.append(
            (
                _("List of candidates"),
                _("approved by %(body)s on %(date)s")
                % {
                    "body": view.slate.approved_by,
                    "date": day(view.slate.approved_on),
                },
            )
        )
        facts.append((_("Candidates / to approve"), f"{len(view.projects)} / {view.slate.quota}"))
    if view.session_votes:
        first = view.session_votes[0]
        facts.append(
            (
                _("Session vote"),
                _("%(entitled)d deputies entitled, %(present)d present, %(voted)d voted")
                % {
                    "entitled": first.entitled_count,
                    "present": first.present_count,
                    "voted": first.voted_count,
                },
            )
        )
        facts.append((_("Approved"), str(len(view.approved))))
    if view.satisfaction_vote is not None:
        v = view.satisfaction_vote
        facts.append(
            (
                _("Satisfaction vote"),
                _("%(entitled)d deputies entitled, %(present)d present, %(voted)d voted")
                % {
                    "entitled": v.entitled_count,
                    "present": v.present_count,
                    "voted": v.voted_count,
                },
            )
        )
    return facts


def year_report(view: YearView) -> YearReport:
    """The report's tables from the year's published records."""
    candidates = Part(
        "candidates",
        _("Candidates"),
        [
            _("No."),
            _("Project name"),
            _("Total investment (10,000 yuan)"),
            _("Content"),
            _("Expected effect"),
            _("Responsible department"),
            _("Completion time"),
            _("Proposed by"),
        ],
        widths=[5, 24, 12, 40, 30, 18, 14, 16],
    )
    for n, pv in enumerate(view.projects, start=1):
        p = pv.project
        candidates.rows.append(
            [
                str(n),
                p.title,
                money(p.investment),
                p.content,
                p.expected_effect,
                p.department.name if p.department else "",
                p.completion or day(p.completion_due),
                "、".join(f"{label} {k}" for label, k in pv.origin),
            ]
        )
    result = Part(
        "vote",
        _("Result of the session vote"),
        [
            _("Project name"),
            _("Round"),
            str(Choice.FOR.label),
            str(Choice.AGAINST.label),
            str(Choice.ABSTAIN.label),
            _("Majority reached"),
            _("Approved"),
            _("Ranking"),
        ],
        widths=[24, 6, 8, 8, 8, 12, 10, 8],
    )
    for pv in view.projects:
        for r in pv.session:
            result.rows.append(
                [
                    pv.project.title,
                    str(r.vote.round),
                    str(r.counts.get(Choice.FOR, 0)),
                    str(r.counts.get(Choice.AGAINST, 0)),
                    str(r.counts.get(Choice.ABSTAIN, 0)),
                    _yes(r.passed),
                    _yes(r.selected) + (" " + _("(tied: run-off)") if r.tied else ""),
                    str(r.rank or ""),
                ]
            )
    approved = Part(
        "approved",
        _("Approved projects: plan, progress and spending"),
        [
            _("Project name"),
            _("Responsible department"),
            _("Budget (10,000 yuan)"),
            _("Plan"),
            _("Milestones done"),
            _("Progress (%)"),
            _("Spent (10,000 yuan)"),
            _("As of"),
            _("Latest progress"),
        ],
        widths=[24, 18, 12, 22, 10, 10, 12, 14, 38],
    )
    supervision = Part(
        "supervision",
        _("Supervision"),
        [
            _("Project name"),
            _("Step"),
            _("Period"),
            _("Held on"),
            _("What was found"),
            _("Problems"),
        ],
        widths=[24, 18, 10, 12, 40, 30],
    )
    for pv in view.approved:
        p = pv.project
        plan = getattr(p, "plan", None)
        milestones = list(p.milestones.all())
        latest = pv.latest
        approved.rows.append(
            [
                p.title,
                plan.department.name if plan else (p.department.name if p.department else ""),
                money(plan.budget if plan else p.investment),
                f"{day(plan.starts_on)} – {day(plan.ends_on)}" if plan else "",
                f"{sum(1 for m in milestones if m.done_on)} / {len(milestones)}",
                str(latest.percent) if latest else "",
                money(latest.spent) if latest else "",
                day(latest.reported_on) if latest else "",
                latest.text if latest else "",
            ]
        )
        group = "、".join(
            m.deputy.name + (" " + _("(leader)") if m.leader else "") for m in pv.members
        )
        supervision.rows.append([p.title, _("Supervision group"), "", "", group, ""])
        for rec in pv.records:
            supervision.rows.append(
                [
                    p.title,
                    rec.get_cadence_display(),
                    rec.period,
                    day(rec.held_on),
                    rec.text,
                    rec.problems,
                ]
            )
    satisfaction = Part(
        "satisfaction",
        _("Year-end satisfaction"),
        [
            _("Project name"),
            str(Choice.SATISFIED.label),
            str(Choice.BASIC.label),
            str(Choice.DISSATISFIED.label),
            _("Grade"),
        ],
        widths=[24, 10, 12, 10, 12],
    )
    rectifications = Part(
        "rectification",
        _("Rectification lists"),
        [
            _("Project name"),
            _("Problems"),
            _("Responsibilities"),
            _("Corrections"),
            _("To be corrected by"),
            _("Reported to"),
            _("Corrected on"),
        ],
        widths=[24, 30, 24, 30, 12, 16, 12],
    )
    for pv in view.approved:
        rated = pv.satisfaction
        if rated is not None:
            satisfaction.rows.append(
                [
                    pv.project.title,
                    str(rated.counts.get(Choice.SATISFIED, 0)),
                    str(rated.counts.get(Choice.BASIC, 0)),
                    str(rated.counts.get(Choice.DISSATISFIED, 0)),
                    grade_label(rated.grade or pv.project.grade),
                ]
            )
        rect = rectification_of(pv.project)
        if rect is not None:
            rectifications.rows.append(
                [
                    pv.project.title,
                    rect.problems,
                    rect.responsibilities,
                    rect.corrections,
                    day(rect.deadline),
                    " ".join(filter(None, [rect.reported_to, day(rect.reported_on)])),
                    day(rect.done_on) or _("Not yet"),
                ]
            )
    return YearReport(
        title=_("Livelihood projects of %(year)s") % {"year": view.year},
        subtitle=view.congress.name,
        facts=_facts(view),
        parts=[candidates, result, approved, supervision, satisfaction, rectifications],
    )


def year_report_pdf(view: YearView) -> bytes:
    """A4 landscape; every character in the product's bundled font, embedded."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from lianluo.core.pdf import INK, LINE, MUTED, RED, TINT, font_name

    doc = year_report(view)
    font = font_name()
    page = landscape(A4)
    width = page[0] - 30 * mm
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, textColor=INK)
    base.wordWrap = "CJK"
    title = ParagraphStyle(
        "title", parent=base, fontSize=20, leading=28, alignment=1, textColor=RED
    )
    subtitle = ParagraphStyle("subtitle", parent=base, fontSize=13, alignment=1, spaceAfter=10)
    heading = ParagraphStyle(
        "heading", parent=base, fontSize=13, leading=19, textColor=RED, spaceBefore=10
    )
    heading.keepWithNext = 1
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor=MUTED)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12.5)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    style = [
        ("BOX", (0, 0), (-1, -1), 0.6, LINE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    story: list[Any] = [p(doc.title, title), p(doc.subtitle, subtitle)]
    facts = Table(
        [[p(k, small), p(v, cell)] for k, v in doc.facts], colWidths=[45 * mm, None], hAlign="LEFT"
    )
    facts.setStyle(TableStyle([*style, ("BACKGROUND", (0, 0), (-1, -1), TINT)]))
    story += [facts, Spacer(1, 4)]
    for part in doc.parts:
        story.append(p(part.title, heading))
        if not part.rows:
            story.append(p(_("None."), small))
            continue
        total = sum(part.widths)
        widths = [width * w / total for w in part.widths]
        rows = [[p(text, cell) for text in row] for row in [part.header, *part.rows]]
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([*style, ("BACKGROUND", (0, 0), (-1, 0), TINT)]))
        story += [table, Spacer(1, 4)]
    generated = _("Generated on %(date)s") % {"date": day(timezone.localdate())}

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(15 * mm, 8 * mm, f"{doc.subtitle} · {doc.title} · {generated}")
        canvas.drawRightString(page[0] - 15 * mm, 8 * mm, str(document.page))
        canvas.restoreState()

    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        initialFontName=font,
        initialFontSize=10,
        title=f"{doc.title} · {doc.subtitle}",
        author=doc.subtitle,
        creator="Lianluo",
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
