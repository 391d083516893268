"""Reads the voting pages share: the register as staff see it, the figures of a vote, whether a
one-time code is good. (They read the core's tables the way `voting.selectors` does; the
register rows name deputies, so only the staff pages use them.)"""

from __future__ import annotations

from dataclasses import dataclass

from lianluo.voting.models import Ballot, Channel, Status, Vote, Voter
from lianluo.voting.services import _hash

RECEIPT_KEY = "voting.receipt.{pk}"  # session: the receipt code to show once
KIOSK_KEY = "voting.kiosk.{pk}"  # session: the receipt was cast on the shared device
PAPER_KEY = "voting.paper.{pk}"  # session: the last paper ballot's receipt, for the teller


def register_of(vote: Vote) -> list[Voter]:
    """The register in name order (deputies only; an open electorate has no names)."""
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
        vote=vote, credential_hash=_hash(code), voted=False, present=True
    ).exists()
