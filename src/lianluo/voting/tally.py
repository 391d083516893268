"""Counting rules, as plain functions over plain data (no database): the same code counts a vote
when it closes and recounts the published ballots afterwards.

- Approval (票决): an option passes with more "for" than `threshold_pct` % of the base (all the
  congress's deputies on the register, or those present); when more pass than the quota, they
  are ranked by "for" and the first `quota` are approved; if the quota's boundary falls inside a
  tie, the tied options go to a run-off for the seats left.
- Run-off (a later round among options tied at the boundary, all of which passed already): the
  most "for" take the seats; a tie at the boundary again calls for another round. The majority
  is not asked again — it was reached — so a split run-off cannot leave a seat empty.
- Rating (满意度测评): "satisfied" when the satisfied marks reach `threshold_pct` % of the base;
  else "basically satisfied" when satisfied + basically satisfied reach it; else "dissatisfied".
- Pick one (the station of the year): the count of each option and its rank.

Ranks are competition ranks (1, 2, 2, 4). Invalid ballots are counted as ballots, not as marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

APPROVE, RATE, PICK = "approve", "rate", "pick"
SATISFIED, BASIC, DISSATISFIED = "satisfied", "basic", "dissatisfied"
CHOICES = {
    APPROVE: ("for", "against", "abstain"),
    RATE: (SATISFIED, BASIC, DISSATISFIED),
    PICK: ("for",),
}


@dataclass
class Count:
    option_id: int
    counts: dict[str, int]
    rank: int | None = None
    passed: bool = False
    selected: bool = False
    tied: bool = False
    grade: str = ""


@dataclass
class Tally:
    rows: list[Count]
    ballots: int = 0
    invalid: int = 0
    base: int = 0
    runoff_seats: int = 0  # > 0: the tied rows share these seats in a run-off
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def needs_runoff(self) -> bool:
        return self.runoff_seats > 0

    def by_option(self) -> dict[int, Count]:
        return {row.option_id: row for row in self.rows}


def count_marks(
    method: str, option_ids: Sequence[int], ballots: Iterable[tuple[Mapping[str, str], bool]]
) -> tuple[dict[int, dict[str, int]], int, int]:
    """Per option, how many of each choice the valid ballots carry; and the numbers of ballots
    and of invalid ones. `ballots` yields (marks, valid)."""
    counts = {pk: dict.fromkeys(CHOICES[method], 0) for pk in option_ids}
    total = invalid = 0
    for marks, valid in ballots:
        total += 1
        if not valid:
            invalid += 1
            continue
        for key, choice in marks.items():
            row = counts.get(int(key))
            if row is not None and choice in row:
                row[choice] += 1
    return counts, total, invalid


def _ranks(values: dict[int, tuple[int, ...]], order: Sequence[int]) -> dict[int, int]:
    """Competition ranks by `values` (higher first); `order` breaks nothing, it only lists."""
    ranked = sorted(order, key=lambda pk: values[pk], reverse=True)
    ranks: dict[int, int] = {}
    for i, pk in enumerate(ranked):
        if i and values[pk] == values[ranked[i - 1]]:
            ranks[pk] = ranks[ranked[i - 1]]
        else:
            ranks[pk] = i + 1
    return ranks


def reaches(part: int, base: int, threshold_pct: int, *, strictly: bool) -> bool:
    """`part` is more than (or, not strictly, at least) `threshold_pct` % of `base`."""
    if base <= 0:
        return False
    return part * 100 > base * threshold_pct if strictly else part * 100 >= base * threshold_pct


def tally(
    *,
    method: str,
    option_ids: Sequence[int],
    ballots: Iterable[tuple[Mapping[str, str], bool]],
    base: int,
    threshold_pct: int = 50,
    quota: int | None = None,
    runoff: bool = False,
) -> Tally:
    """Count `ballots` ((marks, valid) pairs) by the rules above. `base`: the number a share is
    taken of (all deputies, or those present); `runoff`: a later round among passed options."""
    counts, total, invalid = count_marks(method, option_ids, ballots)
    rows = {pk: Count(option_id=pk, counts=counts[pk]) for pk in option_ids}
    out = Tally(rows=[rows[pk] for pk in option_ids], ballots=total, invalid=invalid, base=base)
    if method == RATE:
        ranks = _ranks(
            {pk: (c[SATISFIED], c[SATISFIED] + c[BASIC]) for pk, c in counts.items()}, option_ids
        )
        for pk, row in rows.items():
            c = row.counts
            row.rank = ranks[pk]
            if reaches(c[SATISFIED], base, threshold_pct, strictly=False):
                row.grade = SATISFIED
            elif reaches(c[SATISFIED] + c[BASIC], base, threshold_pct, strictly=False):
                row.grade = BASIC
            else:
                row.grade = DISSATISFIED
        return out
    ranks = _ranks({pk: (c["for"],) for pk, c in counts.items()}, option_ids)
    for pk, row in rows.items():
        row.rank = ranks[pk]
    if method == PICK:
        return out
    passed = [
        pk
        for pk in option_ids
        if runoff or reaches(counts[pk]["for"], base, threshold_pct, strictly=True)
    ]
    for pk in passed:
        rows[pk].passed = True
    if quota is None or len(passed) <= quota:
        for pk in passed:
            rows[pk].selected = True
        return out
    passed.sort(key=lambda pk: counts[pk]["for"], reverse=True)
    boundary = counts[passed[quota - 1]]["for"] if quota > 0 else None
    if boundary is None:
        return out
    above = [pk for pk in passed if counts[pk]["for"] > boundary]
    at = [pk for pk in passed if counts[pk]["for"] == boundary]
    seats = quota - len(above)
    for pk in above:
        rows[pk].selected = True
    if len(at) == seats:
        for pk in at:
            rows[pk].selected = True
    else:
        for pk in at:
            rows[pk].tied = True
        out.runoff_seats = seats
    return out
