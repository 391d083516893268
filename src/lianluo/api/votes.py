"""API v1 of the voting core: a deputy's ballot form and casting a ballot (signed in, or with a
one-time ballot credential from a slip), and after a vote closes the published lists — the
receipts, the anonymous ballots in their stored (random) order — and the result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from lianluo.api.common import Error, bearer
from lianluo.core.errors import Forbidden
from lianluo.core.http import ApiRequest
from lianluo.core.models import User
from lianluo.core.throttle import rate_allowed
from lianluo.voting import selectors as sel
from lianluo.voting import services as vs
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import Vote

router = Router(tags=["votes"])


class CandidateOut(Schema):
    id: int
    name: str
    investment: Decimal | None  # total investment, 10,000 yuan
    description: str
    completion: str


class VoteFormOut(Schema):
    id: int
    title: str
    kind: str
    method: str
    status: str
    choices: list[str]
    max_for: int | None
    candidates: list[CandidateOut]
    voted: bool


class BallotIn(Schema):
    marks: dict[str, str]  # {"<option id>": "for" | "against" | "abstain" | ...}
    credential: str | None = None  # a one-time ballot code (then no sign-in is needed)


class ReceiptOut(Schema):
    receipt: str


class ReceiptsOut(Schema):
    count: int
    receipts: list[str]


class BallotOut(Schema):
    id: str
    marks: dict[str, str]
    channel: str
    valid: bool


class BallotsOut(Schema):
    count: int
    ballots: list[BallotOut]


class OptionResultOut(Schema):
    id: int
    name: str
    counts: dict[str, int]
    rank: int | None
    passed: bool
    selected: bool
    tied: bool
    grade: str


class RunoffOut(Schema):
    round: int
    of: int | None  # the vote this one runs off
    seats: int  # > 0: the tied options share these seats in a run-off
    vote: int | None  # the run-off's vote, once the staff created it


class ResultOut(Schema):
    id: int
    title: str
    kind: str
    method: str
    base: str
    threshold_pct: int
    quota: int | None
    entitled: int
    present: int
    voted: int
    ballots: int
    invalid: int
    options: list[OptionResultOut]
    runoff: RunoffOut


def _candidates(vote: Vote) -> list[dict[str, Any]]:
    return [
        {
            "id": o.pk,
            "name": o.label,
            "investment": o.amount,
            "description": o.description,
            "completion": o.completion,
        }
        for o in sel.options_of(vote)
    ]


@router.get(
    "/votes/{vote_id}",
    response={200: VoteFormOut, 403: Error, 404: Error},
    auth=bearer,
    operation_id="vote_form",
)
def vote_form(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    """The ballot form for the signed-in deputy: the vote, its choices and candidates, and
    whether their ballot is in. 403 when they are not on its register or not marked present."""
    vote = sel.vote_get(vote_id)
    standing = sel.standing_of(request.auth, vote)
    if not standing.entitled:
        raise Forbidden(VotingCode.NOT_ENTITLED, _("You are not on the register of this vote."))
    if not standing.present:
        raise Forbidden(
            VotingCode.NOT_PRESENT, _("Your presence at the session is not registered yet.")
        )
    return {
        "id": vote.pk,
        "title": vote.title,
        "kind": vote.kind,
        "method": vote.method,
        "status": vote.status,
        "choices": list(vote.choices),
        "max_for": vote.max_for,
        "candidates": _candidates(vote),
        "voted": standing.voted,
    }


@router.post(
    "/votes/{vote_id}/ballots",
    response={201: ReceiptOut, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error},
    operation_id="ballot_cast",
)
def ballot_cast(request: ApiRequest, vote_id: int, payload: BallotIn) -> tuple[int, dict[str, str]]:
    """Cast the ballot: as the signed-in deputy (bearer token), or with a one-time `credential`
    (no token needed; the code is spent). Answers 201 with the receipt to find, after closing,
    in the published list. 403 not entitled / not present / bad credential, 409 voted already
    or not open, 422 a ballot that is not valid (nothing is stored), 429 too many credentials
    tried from this client (LIANLUO_BALLOT_CODE_RATE)."""
    vote = sel.vote_get(vote_id)
    user: User | None = None
    if not payload.credential:
        user = bearer(request)
    elif not rate_allowed(request, "ballot-code", settings.LIANLUO_BALLOT_CODE_RATE):
        # A credential is a guess until it is checked: the shared device's counter per client.
        raise HttpError(429, "throttled")
    receipt = vs.ballot_cast(
        vote=vote, marks=payload.marks, user=user, credential=payload.credential or ""
    )
    return 201, {"receipt": receipt}


@router.get(
    "/public/votes/{vote_id}/receipts",
    response={200: ReceiptsOut, 404: Error},
    operation_id="vote_receipts",
)
def vote_receipts(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    """The receipts of a closed vote, sorted: find yours to see your ballot was counted."""
    codes = sel.receipts_of(sel.vote_published(vote_id))
    return {"count": len(codes), "receipts": codes}


@router.get(
    "/public/votes/{vote_id}/ballots",
    response={200: BallotsOut, 404: Error},
    operation_id="vote_ballots",
)
def vote_ballots(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    """The anonymous ballots of a closed vote in their stored (random) order: recount them."""
    ballots = sel.ballots_of(sel.vote_published(vote_id))
    return {
        "count": len(ballots),
        "ballots": [
            {"id": str(b.id), "marks": b.marks, "channel": b.channel, "valid": b.valid}
            for b in ballots
        ],
    }


@router.get(
    "/public/votes/{vote_id}/result",
    response={200: ResultOut, 404: Error},
    operation_id="vote_result",
)
def vote_result(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    """The published result of a closed vote: per option its counts, rank, whether it passed,
    was approved, or is tied at the quota's boundary (a run-off decides), its grade; the
    register's numbers and the ballots'."""
    vote = sel.vote_published(vote_id)
    tally = vs.count(vote)
    runoff = vote.runoffs.order_by("pk").values_list("pk", flat=True).first()
    return {
        "id": vote.pk,
        "title": vote.title,
        "kind": vote.kind,
        "method": vote.method,
        "base": vote.base,
        "threshold_pct": vote.threshold_pct,
        "quota": vote.quota,
        "entitled": vote.entitled_count,
        "present": vote.present_count,
        "voted": vote.voted_count,
        "ballots": tally.ballots,
        "invalid": tally.invalid,
        "options": [
            {
                "id": r.option_id,
                "name": r.option.label,
                "counts": r.counts,
                "rank": r.rank,
                "passed": r.passed,
                "selected": r.selected,
                "tied": r.tied,
                "grade": r.grade,
            }
            for r in sel.results_of(vote)
        ],
        "runoff": {
            "round": vote.round,
            "of": vote.runoff_of_id,
            "seats": tally.runoff_seats,
            "vote": runoff,
        },
    }
