"""Closing a vote and counting it: `vote_close` (shuffle, count, publish, credit the deputies who
voted), `count` (the same rules over the stored ballots: a recount), `vote_runoff` (a new round
among the options tied at the quota's boundary).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict
from lianluo.core.models import User
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.duty.models import AutoEvent
from lianluo.duty.services.credit import points_credit_event
from lianluo.voting import tally as rules
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import (
    Ballot,
    Base,
    Channel,
    Option,
    Receipt,
    Result,
    Status,
    Vote,
    Voter,
)
from lianluo.voting.services.ballots import _locked_open
from lianluo.voting.services.prepare import OptionSpec, require_staff
from lianluo.voting.signals import vote_closed

_rng = secrets.SystemRandom()


def _base(vote: Vote, entitled: int, present: int) -> int:
    if vote.open_electorate:
        return 0
    return present if vote.base == Base.PRESENT else entitled


def count(vote: Vote) -> rules.Tally:
    """Count the vote's ballots as they are stored now (a recount when it is closed)."""
    option_ids = list(vote.options.values_list("pk", flat=True))
    if vote.status == Status.CLOSED:
        entitled, present = vote.entitled_count, vote.present_count
    else:
        entitled = vote.voters.count()
        present = vote.voters.filter(present=True).count()
    return rules.tally(
        method=vote.method,
        option_ids=option_ids,
        ballots=vote.ballots.values_list("marks", "valid").iterator(),
        base=_base(vote, entitled, present),
        threshold_pct=vote.threshold_pct,
        quota=vote.quota,
        runoff=vote.runoff_of_id is not None,
    )


def _reshuffle(vote: Vote) -> None:
    """Rewrite the vote's ballots and receipts with new ids in a random order."""
    ballots = list(vote.ballots.values_list("marks", "channel", "valid"))
    codes = list(vote.receipts.values_list("code", flat=True))
    _rng.shuffle(ballots)
    _rng.shuffle(codes)
    vote.ballots.all().delete()
    vote.receipts.all().delete()
    Ballot.objects.bulk_create(
        [Ballot(vote=vote, marks=m, channel=c, valid=v) for m, c, v in ballots], batch_size=500
    )
    Receipt.objects.bulk_create([Receipt(vote=vote, code=c) for c in codes], batch_size=500)


@transaction.atomic
def vote_close(
    *, actor: User | None, vote: Vote, on: date | None = None, at: datetime | None = None
) -> Vote:
    """Close the vote: shuffle the stored ballots, count them, publish the result (the receipts,
    the ballots, the counts), and credit each deputy who voted in their duty archive. `on` is
    the day credited, `at` the closing time recorded (both now unless a record of a past session
    is entered)."""
    require_staff(actor, vote)
    vote = _locked_open(vote)
    paper_issued = vote.voters.filter(paper=True).count()
    paper_in = vote.ballots.filter(channel=Channel.PAPER).count()
    if paper_in < paper_issued:
        raise Conflict(
            VotingCode.INVALID_TRANSITION,
            _("%(n)d paper ballots handed out are not entered yet.")
            % {"n": paper_issued - paper_in},
        )
    _reshuffle(vote)
    vote.entitled_count = vote.voters.count()
    vote.present_count = vote.voters.filter(present=True).count()
    vote.voted_count = vote.voters.filter(voted=True).count()
    vote.status = Status.CLOSED
    vote.closed_at = at or timezone.now()
    vote.save()
    result = count(vote)
    Result.objects.filter(vote=vote).delete()
    Result.objects.bulk_create(
        [
            Result(
                vote=vote,
                option_id=row.option_id,
                counts=row.counts,
                rank=row.rank,
                passed=row.passed,
                selected=row.selected,
                tied=row.tied,
                grade=row.grade,
            )
            for row in result.rows
        ]
    )
    audit_record(
        actor=actor,
        verb="vote.closed",
        target=vote,
        data={
            "ballots": result.ballots,
            "invalid": result.invalid,
            "voted": vote.voted_count,
            "runoff_seats": result.runoff_seats,
        },
    )
    occurred_on = on or timezone.localdate()
    # One credit per deputy per ballot, whatever its rounds: a run-off credits under the first
    # round's key, so voting in both counts once. The ledger ignores a key it has seen.
    first = vote
    while first.runoff_of_id is not None:
        first = Vote.objects.get(pk=first.runoff_of_id)
    voted = Deputy.objects.filter(
        pk__in=vote.voters.filter(voted=True, deputy__isnull=False).values("deputy_id")
    )
    for deputy in voted:
        points_credit_event(
            deputy=deputy,
            event=AutoEvent.VOTE_CAST,
            source_key=f"vote_cast:{first.pk}:{deputy.pk}",
            occurred_on=occurred_on,
            congress=vote.congress,
            actor=actor,
            note=vote.title,
        )
    vote_closed.send(sender=Vote, vote=vote)
    return vote


@transaction.atomic
def vote_runoff(*, actor: User | None, vote: Vote) -> Vote:
    """A run-off among the options tied at the quota's boundary, for the seats left: a new vote
    (round + 1) being prepared, with the same register and presence, nobody voted yet."""
    require_staff(actor, vote)
    if vote.status != Status.CLOSED:
        raise Conflict(VotingCode.NO_RUNOFF, _("Close the vote before a run-off."))
    tied = list(Result.objects.filter(vote=vote, tied=True).select_related("option"))
    selected = Result.objects.filter(vote=vote, selected=True).count()
    if not tied or vote.quota is None:
        raise Conflict(VotingCode.NO_RUNOFF, _("The result has no tie to run off."))
    if vote.runoffs.exists():
        raise Conflict(VotingCode.NO_RUNOFF, _("The run-off of this vote exists already."))
    seats = vote.quota - selected
    runoff = Vote.objects.create(
        kind=vote.kind,
        method=vote.method,
        congress=vote.congress,
        year=vote.year,
        title=_("%(title)s (run-off, round %(round)d)")
        % {"title": vote.title.split(" (")[0], "round": vote.round + 1},
        round=vote.round + 1,
        runoff_of=vote,
        base=vote.base,
        threshold_pct=vote.threshold_pct,
        quota=seats,
        max_for=seats,
    )
    tied.sort(key=lambda r: r.option.position)
    Option.objects.bulk_create(
        [OptionSpec.of(r.option).option(runoff, i) for i, r in enumerate(tied, start=1)]
    )
    Voter.objects.bulk_create(
        [
            Voter(vote=runoff, deputy_id=v.deputy_id, present=v.present)
            for v in vote.voters.filter(deputy__isnull=False).order_by("pk")
        ]
    )
    audit_record(actor=actor, verb="vote.runoff", target=runoff, data={"of": vote.pk})
    return runoff
