"""The points ranking as an Excel workbook: the rows the ranking page shows (rank, deputy,
code, points as a number) for the same year and station or congress. Deputies are public
figures: the page shows their names, so does the workbook; nothing else about them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _

from lianluo.core.xlsx import Column, Row
from lianluo.duty.selectors import RankRow


def ranking_columns() -> list[Column]:
    return [
        Column(_("Rank"), 6),
        Column(_("Deputy"), 16),
        Column(_("Code"), 18),
        Column(_("Points"), 10, "0.0"),
    ]


def ranking_rows(rows: Sequence[RankRow]) -> Iterator[Row]:
    for row in rows:
        yield [row.rank, row.deputy.name, row.deputy.code, row.points]
