"""The annual evaluation of a congress's deputies (年度考评): grades by thresholds of the year's
counted points, and its Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.board.errors import BoardCode
from lianluo.board.publications import can_publish
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.services import audit_record
from lianluo.duty.models import Grade
from lianluo.duty.selectors import Ranked, ranking


@dataclass(frozen=True)
class EvaluationRow:
    rank: int
    deputy: Ranked  # code and name
    points: Decimal
    grade: str


def grades_of(*, congress: Congress, year: int) -> list[Grade]:
    return list(Grade.objects.filter(congress=congress, year=year).order_by("-min_points"))


@transaction.atomic
def grades_set(
    *, actor: User, congress: Congress, year: int, thresholds: list[tuple[str, Decimal]]
) -> list[Grade]:
    """Replace the year's grade thresholds of a congress (staff covering its area). Labels must
    be distinct and given; an audit entry records the new thresholds."""
    if not can_publish(actor, congress=congress, station=None):
        raise NotFound(CoreCode.NOT_FOUND, _("No congress of yours has this number."))
    labels = [label.strip() for label, _p in thresholds]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise DomainError(
            BoardCode.INVALID_VALUE, _("Give each grade a distinct name."), field="label"
        )
    Grade.objects.filter(congress=congress, year=year).delete()
    grades = Grade.objects.bulk_create(
        [
            Grade(congress=congress, year=year, label=label, min_points=points)
            for label, (_l, points) in zip(labels, thresholds, strict=True)
        ]
    )
    audit_record(
        actor=actor,
        verb="board.grades_set",
        target=congress,
        data={"year": year, "thresholds": [[g.label, str(g.min_points)] for g in grades]},
    )
    return grades_of(congress=congress, year=year)


def grade_for(points: Decimal, grades: list[Grade]) -> str:
    """The highest grade whose minimum the points reach ('' when none)."""
    for grade in sorted(grades, key=lambda g: -g.min_points):
        if points >= grade.min_points:
            return grade.label
    return ""


def evaluation_for(*, congress: Congress, year: int) -> list[EvaluationRow]:
    """The congress's deputies (active mandates) with the year's counted points and grade."""
    grades = grades_of(congress=congress, year=year)
    return [
        EvaluationRow(
            rank=row.rank,
            deputy=row.deputy,
            points=row.points,
            grade=grade_for(row.points, grades),
        )
        for row in ranking(year=year, congress=congress)
    ]


def evaluation_xlsx(*, congress: Congress, year: int) -> bytes:
    """The evaluation as an Excel workbook (one sheet: rank, code, name, points, grade)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(year)
    ws.append([f"{congress.name} {year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Rank"), _("Code"), _("Name"), _("Points"), _("Grade")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in evaluation_for(congress=congress, year=year):
        ws.append([row.rank, row.deputy.code, row.deputy.name, float(row.points), row.grade])
    for col, width in zip("ABCDE", (8, 12, 14, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
