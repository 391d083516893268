"""The statistics tables and the annual handling report (代表建议办理情况报告) for the standing
committee: built from the records through the selectors, shown as a printable page and written
as an editable DOCX (python-docx). Shares are of what was counted; a rating the deputy did not
give in time is its own column, never a satisfied one."""

from __future__ import annotations

from dataclasses import dataclass, field

from lianluo.core.models import Congress, User
from lianluo.suggestions import selectors
from lianluo.suggestions.rules import reply_classes
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
