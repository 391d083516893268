"""The counting rules as plain functions: the majority of all deputies or of those present
(strictly more than half), the quota's ranking, a tie at the boundary and its run-off, the
satisfaction grades ("reach half"), pick-one, invalid ballots."""

from __future__ import annotations

from lianluo.voting.tally import tally

A, B, C, D = 1, 2, 3, 4


def approve(fors: dict[int, int], *, others: int = 0, invalid: int = 0):
    """Ballots giving each option its number of "for" (the rest "against"): one ballot per
    "for" of the busiest option, plus `others` all-against ballots and `invalid` spoilt ones."""
    n = max(fors.values()) + others
    ballots = [
        ({str(pk): "for" if i < k else "against" for pk, k in fors.items()}, True) for i in range(n)
    ]
    ballots += [({str(pk): "for" for pk in fors}, False) for _ in range(invalid)]
    return ballots


def test_majority_of_all_deputies_is_not_the_majority_of_those_present():
    # given 10 deputies of the congress, 7 present, and an option with 4 "for"
    ballots = approve({A: 4}, others=3)
    # then 4 is not more than half of all (10) but is more than half of the 7 present
    assert not tally(method="approve", option_ids=[A], ballots=ballots, base=10).rows[0].passed
    assert tally(method="approve", option_ids=[A], ballots=ballots, base=7).rows[0].passed


def test_exactly_half_does_not_pass_more_than_half_does():
    half = tally(method="approve", option_ids=[A], ballots=approve({A: 5}), base=10)
    more = tally(method="approve", option_ids=[A], ballots=approve({A: 6}), base=10)
    assert not half.rows[0].passed and not half.rows[0].selected
    assert more.rows[0].passed and more.rows[0].selected


def test_a_configured_threshold_counts_strictly_too():
    # two thirds of 9 is 6: 6 does not pass, 7 does
    six = tally(method="approve", option_ids=[A], ballots=approve({A: 6}), base=9, threshold_pct=67)
    seven = tally(
        method="approve", option_ids=[A], ballots=approve({A: 7}), base=9, threshold_pct=67
    )
    assert not six.rows[0].passed and seven.rows[0].passed


def test_when_more_pass_than_the_quota_the_most_for_are_approved():
    # given four options passing with 9, 8, 7 and 6 "for" of 10, and a quota of 2
    t = tally(
        method="approve",
        option_ids=[A, B, C, D],
        ballots=approve({A: 7, B: 9, C: 6, D: 8}),
        base=10,
        quota=2,
    )
    rows = t.by_option()
    # then all passed, the two with most "for" are approved, ranked 1..4
    assert all(r.passed for r in t.rows)
    assert {pk for pk, r in rows.items() if r.selected} == {B, D}
    assert [rows[pk].rank for pk in (A, B, C, D)] == [3, 1, 4, 2]
    assert not t.needs_runoff


def test_a_tie_at_the_quota_boundary_calls_for_a_runoff_for_the_seats_left():
    # given 8, 7, 7 "for" of 10 and a quota of 2: the second seat is tied
    t = tally(
        method="approve",
        option_ids=[A, B, C],
        ballots=approve({A: 8, B: 7, C: 7}),
        base=10,
        quota=2,
    )
    rows = t.by_option()
    assert rows[A].selected and not rows[A].tied
    assert rows[B].tied and rows[C].tied and not rows[B].selected and not rows[C].selected
    assert rows[B].rank == rows[C].rank == 2
    assert t.runoff_seats == 1


def test_a_tie_that_fits_the_quota_needs_no_runoff():
    t = tally(
        method="approve",
        option_ids=[A, B, C],
        ballots=approve({A: 7, B: 7, C: 3}),
        base=10,
        quota=2,
    )
    assert [r.selected for r in t.rows] == [True, True, False]
    assert not t.needs_runoff


def test_a_tie_below_the_majority_is_no_tie_for_a_seat():
    # the boundary is among those that passed: a tie of two that failed decides nothing
    t = tally(
        method="approve",
        option_ids=[A, B, C],
        ballots=approve({A: 8, B: 4, C: 4}),
        base=10,
        quota=2,
    )
    assert [r.selected for r in t.rows] == [True, False, False]
    assert not any(r.tied for r in t.rows) and not t.needs_runoff


def test_a_runoff_gives_the_seats_to_the_most_for_without_asking_the_majority_again():
    # given a run-off of two for one seat where neither reaches half of the 10 deputies
    ballots = approve({B: 4, C: 3}, others=2)
    t = tally(method="approve", option_ids=[B, C], ballots=ballots, base=10, quota=1, runoff=True)
    assert [r.selected for r in t.rows] == [True, False]
    # and a run-off tied again calls for another round
    again = tally(
        method="approve",
        option_ids=[B, C],
        ballots=approve({B: 4, C: 4}),
        base=10,
        quota=1,
        runoff=True,
    )
    assert again.runoff_seats == 1 and all(r.tied for r in again.rows)


def _rate(satisfied: int, basic: int, dissatisfied: int):
    return (
        [({"1": "satisfied"}, True)] * satisfied
        + [({"1": "basic"}, True)] * basic
        + [({"1": "dissatisfied"}, True)] * dissatisfied
    )


def test_satisfaction_grades_reach_half_of_all_deputies():
    # of 10 deputies: 5 satisfied reach half -> satisfied
    assert tally(method="rate", option_ids=[1], ballots=_rate(5, 0, 5), base=10).rows[0].grade == (
        "satisfied"
    )
    # 4 satisfied + 1 basically satisfied reach half -> basically satisfied
    assert tally(method="rate", option_ids=[1], ballots=_rate(4, 1, 5), base=10).rows[0].grade == (
        "basic"
    )
    # 3 + 1 do not -> dissatisfied
    assert tally(method="rate", option_ids=[1], ballots=_rate(3, 1, 2), base=10).rows[0].grade == (
        "dissatisfied"
    )
    # and a configured rate moves the line: 6 of 10 at 60 % is satisfied, 5 is not
    assert (
        tally(method="rate", option_ids=[1], ballots=_rate(5, 1, 0), base=10, threshold_pct=60)
        .rows[0]
        .grade
        == "basic"
    )


def test_pick_one_counts_and_ranks():
    ballots = [({"1": "for"}, True)] * 3 + [({"2": "for"}, True)] * 5 + [({"3": "for"}, True)] * 3
    t = tally(method="pick", option_ids=[1, 2, 3], ballots=ballots, base=0)
    assert [(r.counts["for"], r.rank) for r in t.rows] == [(3, 2), (5, 1), (3, 2)]
    assert not any(r.passed or r.selected for r in t.rows)


def test_invalid_ballots_count_as_ballots_not_as_marks():
    t = tally(method="approve", option_ids=[A], ballots=approve({A: 6}, invalid=3), base=10)
    assert (t.ballots, t.invalid) == (9, 3)
    assert t.rows[0].counts == {"for": 6, "against": 0, "abstain": 0}
