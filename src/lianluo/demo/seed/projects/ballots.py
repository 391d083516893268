"""Running a demo vote through the voting core as the session does: presence on the register,
most deputies on their phones (their login) or on the session's device (a one-time code), a
few on paper entered by the tellers, then close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from lianluo.core.models import User
from lianluo.voting import services as vs
from lianluo.voting.models import Vote, Voter

ABSENT = 2  # deputies on leave: on the register, not present
PAPER = 2  # deputies who ask for a paper ballot


def vote_run(
    *,
    staff: User,
    vote: Vote,
    marks_of: Callable[[int, int], list[str]],
    on: date,
) -> Vote:
    """Open `vote`, cast a ballot for every present deputy and close it on `on`. `marks_of(i,
    n)` gives the i-th of n present deputies' choices, one per option in the ballot's order."""
    register = [
        v.deputy
        for v in Voter.objects.filter(vote=vote, deputy__isnull=False)
        .select_related("deputy__user")
        .order_by("deputy__code")
        if v.deputy is not None
    ]
    present = register[: max(1, len(register) - ABSENT)]
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=[d.pk for d in present])
    on_device = [d.pk for d in present[: len(present) - PAPER] if d.user_id is None]
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=on_device)
    vote = vs.vote_open(actor=staff, vote=vote)
    options = [
        str(pk) for pk in vote.options.order_by("position", "pk").values_list("pk", flat=True)
    ]
    n = len(present)
    for i, deputy in enumerate(present):
        marks = dict(zip(options, marks_of(i, n), strict=True))
        if i >= n - PAPER:
            vs.paper_issue(actor=staff, vote=vote, deputy_id=deputy.pk)
            vs.paper_ballot_enter(actor=staff, vote=vote, marks=marks)
        elif deputy.user is not None:
            vs.ballot_cast(vote=vote, marks=marks, user=deputy.user)
        else:
            vs.ballot_cast(vote=vote, marks=marks, credential=codes[deputy.pk])
    at = datetime.combine(on, time(11, 30), tzinfo=ZoneInfo("Asia/Shanghai"))
    return vs.vote_close(actor=staff, vote=vote, on=on, at=at)


def session_marks(quota: int, candidates: int) -> Callable[[int, int], list[str]]:
    """Session ballots with a clear order and no tie at the quota's boundary: most deputies
    vote for the first `quota` candidates; some prefer the last ones; a few abstain."""

    def marks(i: int, n: int) -> list[str]:
        out = ["against"] * candidates
        k = i % 13
        if k <= 8:  # for the first `quota`
            chosen = list(range(quota))
        elif k <= 10:  # for the last two instead of the two before them
            chosen = [*range(quota - 2), candidates - 2, candidates - 1]
        elif k == 11:  # for all but the fourth
            chosen = [c for c in range(quota + 1) if c != 3]
        else:  # for the first four only, abstain on the rest
            chosen = list(range(4))
            out = ["abstain"] * candidates
        for c in chosen:
            out[c] = "for"
        return out

    return marks


def rating_marks(width: int, *, dissatisfied: int, basic: int) -> Callable[[int, int], list[str]]:
    """Satisfaction ballots over `width` projects: the one at `dissatisfied` is rated 不满意 by
    most, the one at `basic` split between satisfied and basically satisfied, the others
    satisfied by five in six."""

    def marks(i: int, n: int) -> list[str]:
        out = []
        for c in range(width):
            if c == dissatisfied:
                out.append("dissatisfied" if i % 3 else "basic")
            elif c == basic:
                out.append("satisfied" if i % 2 else "basic")
            else:
                out.append("satisfied" if i % 6 else "basic")
        return out

    return marks
