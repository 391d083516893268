"""The statistics tables and the annual handling report (代表建议办理情况报告) for the standing
committee: built from the records through the selectors, shown as a printable page and written
as an editable DOCX (python-docx). Shares are of what was counted; a rating the deputy did not
give in time is its own column, never a satisfied one."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lianluo.core.models import Congress, User
from lianluo.suggestions import selectors
from lianluo.suggestions.rules import reply_class_labels, reply_classes
from lianluo.suggestions.selectors import DepartmentStats
from lianluo.suggestions.states import DEFAULT_REPLY_CLASSES, SuggestionRating

RATINGS = [
    SuggestionRating.SATISFIED,
    SuggestionRating.BASICALLY_SATISFIED,
    SuggestionRating.DISSATISFIED,
    SuggestionRating.NO_ANSWER,
]


def share(part: int, whole: int) -> str:
    """ "87%" of a count, "—" when there is nothing to divide by."""
    return f"{round(100 * part / whole)}%" if whole else "—"


@dataclass
class Count:
    label: str
    n: int
    share: str


@dataclass
class StatsLine:
    """One line of a statistics table (a department, a congress, or the total)."""

    name: str
    assigned: int
    answered: int
    on_time: int
    on_time_share: str
    overdue: int
    classes: list[Count]
    ratings: list[Count]
    satisfied_share: str


def stats_line(row: DepartmentStats, codes: list[str], name: str | None = None) -> StatsLine:
    rated = sum(row.ratings.values())
    good = (
        row.ratings[SuggestionRating.SATISFIED] + row.ratings[SuggestionRating.BASICALLY_SATISFIED]
    )
    return StatsLine(
        name=name or row.name,
        assigned=row.assigned,
        answered=row.answered,
        on_time=row.on_time,
        on_time_share=share(row.on_time, row.answered),
        overdue=row.overdue,
        classes=[
            Count(code, row.classes[code], share(row.classes[code], row.answered)) for code in codes
        ],
        ratings=[
            Count(str(r.label), row.ratings[r], share(row.ratings[r], rated)) for r in RATINGS
        ],
        satisfied_share=share(good, rated),
    )


def class_codes(congress: Congress | None) -> list[str]:
    """The reply classes the tables have columns for: the congress's list, else A–D."""
    if congress is not None:
        return list(reply_classes(congress))
    return [code for code, _label, _tracked in DEFAULT_REPLY_CLASSES]


@dataclass
class StatsTables:
    codes: list[str]
    filed: int
    registered: int
    total: StatsLine
    departments: list[StatsLine]
    congresses: list[StatsLine] = field(default_factory=list)


def stats_tables(user: User, *, congress: Congress | None, year: int | None) -> StatsTables:
    """Per department (of the congress chosen, or all the user sees) and per congress."""
    codes = class_codes(congress)
    stats = selectors.suggestion_stats(user, congress=congress, year=year)
    per_congress = [
        stats_line(selectors.suggestion_stats(user, congress=c, year=year)["total"], codes, c.name)
        for c in ([congress] if congress else selectors.congresses_in_view(user))
    ]
    return StatsTables(
        codes=codes,
        filed=stats["filed"],
        registered=stats["registered"],
        total=stats_line(stats["total"], codes),
        departments=[stats_line(row, codes) for row in stats["departments"]],
        congresses=per_congress,
    )


# ---- the annual handling report ---------------------------------------------------------------


@dataclass
class Part:
    """A section of the report: paragraphs, then a table (header row first)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class AnnualReport:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    parts: list[Part]
    filename: str


def annual_report(user: User, *, congress: Congress, year: int) -> AnnualReport:
    """The year's report (代表建议办理情况报告) of the congress, from the records the user sees:
    totals, per department, classification and satisfaction shares, key suggestions and their
    outcome, the items still under tracking."""
    tables = stats_tables(user, congress=congress, year=year)
    total = tables.total
    labels = dict(reply_class_labels(congress))
    key_rows = selectors.key_suggestions(user, congress=congress, year=year)
    tracked = selectors.tracked_items(user, congress=congress, year=year)
    facts = [
        (_("Filed"), str(tables.filed)),
        (_("Registered"), str(tables.registered)),
        (_("Assigned"), str(total.assigned)),
        (_("Answered"), str(total.answered)),
        (_("Answered on time"), f"{total.on_time} ({total.on_time_share})"),
        (_("Overdue"), str(total.overdue)),
        (_("Satisfied or basically"), total.satisfied_share),
        (_("Key suggestions"), str(len(key_rows))),
        (_("Under tracking"), str(len(tracked))),
    ]
    parts = [
        Part(
            title=_("Handling per department"),
            header=[
                _("Department"),
                _("Assigned"),
                _("Answered"),
                _("On time"),
                _("Overdue"),
                _("Satisfied or basically"),
            ],
            rows=[
                [
                    line.name,
                    str(line.assigned),
                    str(line.answered),
                    f"{line.on_time} ({line.on_time_share})",
                    str(line.overdue),
                    line.satisfied_share,
                ]
                for line in tables.departments
            ],
        ),
        Part(
            title=_("Results of handling"),
            paragraphs=[_("Shares of the suggestions answered, by the class of the reply.")],
            header=[_("Class"), _("Number of suggestions"), _("Share")],
            rows=[[labels.get(c.label, c.label), str(c.n), c.share] for c in total.classes],
        ),
        Part(
            title=_("The deputies' satisfaction"),
            paragraphs=[
                _(
                    "First-round ratings by the lead deputies. A rating not given in time is "
                    "counted apart, never as satisfied."
                )
            ],
            header=[_("Rating"), _("Number of suggestions"), _("Share")],
            rows=[[r.label, str(r.n), r.share] for r in total.ratings],
        ),
        Part(
            title=_("Key suggestions and their outcome"),
            header=[
                _("Number"),
                _("Title"),
                _("Lead department"),
                _("Supervising leader"),
                _("Status"),
                _("Class"),
            ],
            rows=[
                [
                    row.line.item.number or "",
                    row.line.item.title,
                    "、".join(row.line.lead),
                    row.line.item.supervising_leader,
                    str(row.line.item.get_status_display()),
                    row.line.item.reply_class,
                ]
                for row in key_rows
            ],
        ),
        Part(
            title=_("Suggestions still under tracking"),
            paragraphs=[
                _("Replied as being solved or to be solved later; each gets a further reply.")
            ],
            header=[_("Number"), _("Title"), _("Departments"), _("Class")],
            rows=[
                [
                    item.number or "",
                    item.title,
                    "、".join(a.department.name for a in item.assignments.all() if a.active),
                    item.reply_class,
                ]
                for item in tracked
            ],
        ),
    ]
    return AnnualReport(
        title=_("Report on the handling of deputies' suggestions in %(year)s") % {"year": year},
        subtitle=congress.name,
        facts=facts,
        parts=parts,
        filename=f"suggestions-report-{congress.area.code}-{year}",
    )


DOCX_FONT = "SimSun"  # 宋体: what Word and WPS use for Chinese body text
DOCX_HEADING_FONT = "SimHei"  # 黑体


def _east_asian(style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _docx_table(document: Any, rows: list[list[str]], *, header: bool) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            if header and n == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def annual_report_docx(report: AnnualReport) -> bytes:
    """The report as an editable Word document (A4, 宋体 body, 黑体 headings), for the staff
    to finish before it goes to the standing committee."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(12)
    _east_asian(normal, DOCX_FONT)
    for name in ("Title", "Heading 1"):
        _east_asian(document.styles[name], DOCX_HEADING_FONT)
    document.core_properties.title = report.title
    document.core_properties.author = report.subtitle
    document.add_heading(report.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_table(document, [[k, v] for k, v in report.facts], header=False)
    for part in report.parts:
        document.add_heading(part.title, level=1)
        for text in part.paragraphs:
            document.add_paragraph(text)
        if part.rows:
            _docx_table(document, [part.header, *part.rows], header=True)
        else:
            document.add_paragraph(_("None."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
