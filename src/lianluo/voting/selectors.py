"""Reads of the voting core: a vote as a voter, staff or the public sees it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lianluo.core.errors import NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.voting.codes import credential_hash
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import Ballot, Channel, Option, Receipt, Result, Status, Vote, Voter


def vote_get(pk: int | str) -> Vote:
    """Any vote by its id (pages and endpoints check what the user may do with it)."""
    vote = (
        Vote.objects.select_related("congress__area").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if vote is None:
        raise NotFound(VotingCode.NOT_FOUND, _("No vote has this number."))
    return vote


def vote_published(pk: int | str) -> Vote:
    """A closed vote, whose receipts, ballots and result are public."""
    vote = vote_get(pk)
    if vote.status != Status.CLOSED or vote.open_electorate:
        raise NotFound(VotingCode.NOT_FOUND, _("The result of this vote is not published."))
    return vote


@dataclass(frozen=True)
class Standing:
    """Where a signed-in user stands on a vote's register."""

    entitled: bool
    present: bool
    voted: bool


def standing_of(user: User | None, vote: Vote) -> Standing:
    deputy_ids = scope_for(user).deputy_ids
    row = (
        Voter.objects.filter(vote=vote, deputy_id__in=deputy_ids).order_by("pk").first()
        if deputy_ids
        else None
    )
    if row is None:
        return Standing(False, False, False)
    return Standing(True, row.present, row.voted)


def options_of(vote: Vote) -> list[Option]:
    return list(vote.options.order_by("position", "pk"))


def results_of(vote: Vote) -> list[Result]:
    return list(
        Result.objects.filter(vote=vote).select_related("option").order_by("option__position")
    )


def receipts_of(vote: Vote) -> list[str]:
    return list(Receipt.objects.filter(vote=vote).order_by("code").values_list("code", flat=True))


def ballots_of(vote: Vote) -> list[Ballot]:
    """The anonymous ballots in their stored (random) order."""
    return list(Ballot.objects.filter(vote=vote).order_by("id"))


def receipt_counted(vote: Vote, code: str) -> bool:
    cleaned = code.strip().upper().replace(" ", "")
    if len(cleaned) == 12:
        cleaned = f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"
    return Receipt.objects.filter(vote=vote, code=cleaned).exists()


def open_votes_for(user: User | None) -> list[Vote]:
    """Open votes on whose register the user's deputy is, present and not voted yet."""
    deputy_ids = scope_for(user).deputy_ids
    if not deputy_ids:
        return []
    ids = Voter.objects.filter(deputy_id__in=deputy_ids, voted=False).values("vote_id")
    return list(Vote.objects.filter(pk__in=ids, status=Status.OPEN).order_by("pk"))


def register_of(vote: Vote) -> list[Voter]:
    """The register in name order, for the staff pages (an open electorate has no names)."""
    return list(
        Voter.objects.filter(vote=vote, deputy__isnull=False)
        .select_related("deputy")
        .order_by("deputy__name", "deputy_id")
    )


@dataclass(frozen=True)
class Figures:
    entitled: int
    present: int
    voted: int
    paper_issued: int
    paper_entered: int
    ballots: int


def figures_of(vote: Vote) -> Figures:
    voters = Voter.objects.filter(vote=vote)
    paper_entered = Ballot.objects.filter(vote=vote, channel=Channel.PAPER).count()
    if vote.status == Status.CLOSED:
        entitled, present, voted = vote.entitled_count, vote.present_count, vote.voted_count
    else:
        entitled = voters.count()
        present = voters.filter(present=True).count()
        voted = voters.filter(voted=True).count()
    return Figures(
        entitled=entitled,
        present=present,
        voted=voted,
        paper_issued=voters.filter(paper=True).count(),
        paper_entered=paper_entered,
        ballots=Ballot.objects.filter(vote=vote).count(),
    )


def code_usable(vote: Vote, code: str) -> bool:
    """A one-time code of this vote, not used yet, of a deputy marked present."""
    if not code:
        return False
    return Voter.objects.filter(
        vote=vote, credential_hash=credential_hash(code), voted=False, present=True
    ).exists()
