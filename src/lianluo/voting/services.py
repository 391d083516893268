"""Writes of the voting core: prepare a vote, keep its register, take ballots, close and count,
run off a tie. The apps that vote (projects, board) call these; nothing here knows a project.

Ballots: `ballot_cast` (a deputy on their phone, or a shared device with a one-time credential),
`ballot_cast_open` (an open electorate: anyone with a key, once), `paper_ballot_enter` (tellers).
Each marks the register and writes the ballot and its receipt in one transaction; the new ballot
then trades places with a random earlier one, so the stored order is shuffled as it grows, and
closing rewrites all ballots and receipts in a fresh random order with fresh ids.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy, Mandate
from lianluo.duty.models import AutoEvent
from lianluo.duty.services.credit import points_credit_event
from lianluo.voting import tally as rules
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import (
    CHOICES_OF,
    Ballot,
    Base,
    Channel,
    Method,
    Option,
    Receipt,
    Result,
    Status,
    Vote,
    Voter,
)
from lianluo.voting.signals import vote_closed

_rng = secrets.SystemRandom()
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed back


def receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def credential_code() -> str:
    return "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))


def _hash(code: str) -> str:
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(cleaned.encode()).hexdigest()


# ---- preparing a vote --------------------------------------------------------------------------


def require_staff(actor: User | None, vote_or_congress: Vote | Congress | None) -> None:
    """Only the congress's staff (or an administrator) prepare and run its votes."""
    congress = vote_or_congress.congress if isinstance(vote_or_congress, Vote) else vote_or_congress
    scope = scope_for(actor)
    if scope.everything:
        return
    if congress is None or not scope.covers_path(congress.area.path, acting=True):
        raise Forbidden(VotingCode.NOT_ALLOWED, _("Only the congress's staff run its votes."))


@dataclass(frozen=True)
class OptionSpec:
    label: str
    description: str = ""
    amount: Any = None
    completion: str = ""
    subject_type: str = ""
    subject_id: int | None = None


@transaction.atomic
def vote_create(
    *,
    actor: User | None,
    kind: str,
    method: str,
    congress: Congress | None,
    year: int,
    title: str,
    options: Iterable[OptionSpec],
    base: str = Base.ALL,
    threshold_pct: int = 50,
    quota: int | None = None,
    max_for: int | None = None,
    open_electorate: bool = False,
    register: bool = True,
) -> Vote:
    """A vote being prepared, with its options and (for a congress) its register: every deputy
    with an active mandate in the congress."""
    if not open_electorate:
        require_staff(actor, congress)
    vote = Vote.objects.create(
        kind=kind,
        method=method,
        congress=congress,
        year=year,
        title=title,
        base=base,
        threshold_pct=threshold_pct,
        quota=quota,
        max_for=max_for,
        open_electorate=open_electorate,
    )
    Option.objects.bulk_create(
        [
            Option(
                vote=vote,
                position=i,
                label=spec.label,
                description=spec.description,
                amount=spec.amount,
                completion=spec.completion,
                subject_type=spec.subject_type,
                subject_id=spec.subject_id,
            )
            for i, spec in enumerate(options, start=1)
        ]
    )
    if register and congress is not None:
        register_fill(vote)
    audit_record(actor=actor, verb="vote.created", target=vote, data={"kind": kind})
    return vote


def entitled_deputies(congress: Congress) -> list[Deputy]:
    """The deputies of a congress: an active mandate in it."""
    ids = Mandate.objects.filter(congress=congress, active=True).values_list("deputy_id", flat=True)
    return list(Deputy.objects.filter(pk__in=ids).order_by("name", "pk"))


def register_fill(vote: Vote) -> int:
    """Add to the register every entitled deputy not on it yet (while the vote is prepared)."""
    if vote.congress is None:
        return 0
    have = set(vote.voters.values_list("deputy_id", flat=True))
    new = [Voter(vote=vote, deputy=d) for d in entitled_deputies(vote.congress) if d.pk not in have]
    Voter.objects.bulk_create(new)
    return len(new)


def _not_closed(vote: Vote) -> None:
    if vote.status == Status.CLOSED:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is closed."))


@transaction.atomic
def presence_mark(
    *, actor: User | None, vote: Vote, deputy_ids: Iterable[int], present: bool = True
) -> int:
    """Mark deputies present (or absent) on the register. A deputy whose ballot is in stays
    present."""
    require_staff(actor, vote)
    _not_closed(vote)
    ids = list(deputy_ids)
    qs = Voter.objects.filter(vote=vote, deputy_id__in=ids)
    if not present:
        qs = qs.filter(voted=False)
    changed = qs.update(present=present)
    audit_record(
        actor=actor,
        verb="vote.presence",
        target=vote,
        data={"deputies": sorted(ids), "present": present},
    )
    return changed


@transaction.atomic
def credentials_issue(
    *, actor: User | None, vote: Vote, deputy_ids: Iterable[int]
) -> dict[int, str]:
    """One-time ballot codes for deputies who vote on a shared device at the session: each code
    is returned once (to print on a slip) and only its hash is kept. A new code replaces an
    unused one."""
    require_staff(actor, vote)
    _not_closed(vote)
    out: dict[int, str] = {}
    for voter in Voter.objects.filter(vote=vote, deputy_id__in=list(deputy_ids), voted=False):
        code = credential_code()
        voter.credential_hash = _hash(code)
        voter.present = True
        voter.save(update_fields=["credential_hash", "present"])
        assert voter.deputy_id is not None
        out[voter.deputy_id] = code
    audit_record(actor=actor, verb="vote.credentials", target=vote, data={"deputies": sorted(out)})
    return out


@transaction.atomic
def vote_open(*, actor: User | None, vote: Vote) -> Vote:
    require_staff(actor, vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.status != Status.DRAFT:
        raise Conflict(VotingCode.INVALID_TRANSITION, _("Only a vote being prepared can open."))
    if not vote.options.exists():
        raise Conflict(VotingCode.INVALID_TRANSITION, _("A vote needs at least one option."))
    if not vote.open_electorate and not vote.voters.exists():
        raise Conflict(VotingCode.INVALID_TRANSITION, _("The register of this vote is empty."))
    vote.status = Status.OPEN
    vote.opened_at = timezone.now()
    vote.save(update_fields=["status", "opened_at"])
    audit_record(actor=actor, verb="vote.opened", target=vote)
    return vote


# ---- ballots -----------------------------------------------------------------------------------


def marks_check(
    vote: Vote, marks: Mapping[Any, Any], *, strict: bool = True
) -> tuple[dict[str, str], bool]:
    """The ballot's marks as stored (`{"<option id>": choice}`) and whether it is valid.

    Strict (a ballot on a phone or device): a refusal names what is wrong, nothing is stored.
    Not strict (a paper ballot as the tellers read it): an unreadable ballot is stored invalid.
    Every option needs a mark (approve, rate); pick votes name exactly one option."""
    option_ids = {str(pk) for pk in vote.options.values_list("pk", flat=True)}
    allowed = CHOICES_OF[vote.method]
    cleaned: dict[str, str] = {}
    problem = ""
    for key, choice in marks.items():
        key, choice = str(key), str(choice)
        if key not in option_ids:
            problem = _("The ballot names an option that is not on it.")
        elif choice not in allowed:
            problem = _("“%(choice)s” is not a mark of this ballot.") % {"choice": choice}
        else:
            cleaned[key] = choice
    if not problem:
        if vote.method == Method.PICK:
            if len(cleaned) != 1:
                problem = _("Choose exactly one.")
        elif set(cleaned) != option_ids:
            problem = _("Mark every item on the ballot.")
        elif vote.max_for is not None and sum(c == "for" for c in cleaned.values()) > vote.max_for:
            problem = _("At most %(n)d items may be voted for.") % {"n": vote.max_for}
    if problem and strict:
        raise DomainError(VotingCode.INVALID_BALLOT, problem, field="marks")
    return cleaned, not problem


def _locked_open(vote: Vote) -> Vote:
    locked = Vote.objects.select_for_update().get(pk=vote.pk)
    if locked.status != Status.OPEN:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is not open."))
    return locked


def _store(vote: Vote, marks: dict[str, str], valid: bool, channel: str) -> str:
    """Write the ballot and its receipt, each trading places with a random earlier row of its
    vote (an inside-out shuffle), and return the receipt code."""
    ballot = Ballot.objects.create(vote=vote, marks=marks, channel=channel, valid=valid)
    others = Ballot.objects.filter(vote=vote).exclude(pk=ballot.pk)
    n = others.count()
    pick = _rng.randrange(n + 1)
    if pick < n:
        other = others.order_by("id")[pick : pick + 1].first()
        if other is not None:
            Ballot.objects.filter(pk=ballot.pk).update(
                marks=other.marks, channel=other.channel, valid=other.valid
            )
            Ballot.objects.filter(pk=other.pk).update(marks=marks, channel=channel, valid=valid)
    code = receipt_code()
    receipt = Receipt.objects.create(vote=vote, code=code)
    older = Receipt.objects.filter(vote=vote).exclude(pk=receipt.pk)
    n = older.count()
    pick = _rng.randrange(n + 1)
    if pick < n:
        other_r = older.order_by("id")[pick : pick + 1].first()
        if other_r is not None:
            swap = other_r.code
            Receipt.objects.filter(pk=other_r.pk).update(code=f"~{secrets.token_hex(8)}")
            Receipt.objects.filter(pk=receipt.pk).update(code=swap)
            Receipt.objects.filter(pk=other_r.pk).update(code=code)
    return code


def _voter_for(vote: Vote, user: User | None, credential: str) -> Voter:
    if credential:
        voter = Voter.objects.filter(vote=vote, credential_hash=_hash(credential)).first()
        if voter is None:
            raise Forbidden(VotingCode.BAD_CREDENTIAL, _("This ballot code is not valid."))
        return voter
    deputy_ids = scope_for(user).deputy_ids
    voter = (
        Voter.objects.filter(vote=vote, deputy_id__in=deputy_ids).order_by("pk").first()
        if deputy_ids
        else None
    )
    if voter is None:
        raise Forbidden(VotingCode.NOT_ENTITLED, _("You are not on the register of this vote."))
    return voter


def ballot_cast(
    *, vote: Vote, marks: Mapping[Any, Any], user: User | None = None, credential: str = ""
) -> str:
    """A deputy's ballot, on their phone (signed in) or on a device at the session (a one-time
    credential). Returns the receipt code. Refused: not on the register, not present, voted
    already (also when two requests race: one register row, one conditional update), closed."""
    if vote.open_electorate:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is not cast with a ballot code."))
    voter = _voter_for(vote, user, credential)
    if not voter.present:
        raise Forbidden(
            VotingCode.NOT_PRESENT, _("Your presence at the session is not registered yet.")
        )
    cleaned, _valid = marks_check(vote, marks)
    with transaction.atomic():
        locked = _locked_open(vote)
        done = Voter.objects.filter(pk=voter.pk, voted=False, present=True).update(
            voted=True, credential_hash=""
        )
        if done != 1:
            raise Conflict(VotingCode.ALREADY_VOTED, _("Your ballot is already in."))
        return _store(locked, cleaned, True, Channel.ELECTRONIC)


def ballot_cast_open(*, vote: Vote, key: str, key_kind: str, marks: Mapping[Any, Any]) -> str:
    """A ballot of an open electorate: the first with this key counts, later ones are refused."""
    cleaned, _valid = marks_check(vote, marks)
    try:
        with transaction.atomic():
            locked = _locked_open(vote)
            Voter.objects.create(vote=locked, key=key, key_kind=key_kind, present=True, voted=True)
            return _store(locked, cleaned, True, Channel.ELECTRONIC)
    except IntegrityError as exc:
        raise Conflict(VotingCode.ALREADY_VOTED, _("You have already voted. Thank you!")) from exc


@transaction.atomic
def paper_issue(*, actor: User | None, vote: Vote, deputy_id: int) -> Voter:
    """A teller hands a present deputy a paper ballot: the register marks them as voted (they can
    no longer vote on a device) and the paper ballots to enter grow by one."""
    require_staff(actor, vote)
    locked = _locked_open(vote)
    done = Voter.objects.filter(vote=locked, deputy_id=deputy_id, voted=False).update(
        voted=True, paper=True, present=True, credential_hash=""
    )
    if done != 1:
        if not Voter.objects.filter(vote=locked, deputy_id=deputy_id).exists():
            raise Forbidden(VotingCode.NOT_ENTITLED, _("This deputy is not on the register."))
        raise Conflict(VotingCode.ALREADY_VOTED, _("This deputy's ballot is already in."))
    audit_record(actor=actor, verb="vote.paper_issued", target=locked, data={"deputy": deputy_id})
    return Voter.objects.get(vote=locked, deputy_id=deputy_id)


def paper_ballot_enter(
    *, actor: User | None, vote: Vote, marks: Mapping[Any, Any]
) -> tuple[str, bool]:
    """A teller enters one paper ballot as it reads: stored invalid when it is not valid (a
    missing mark, too many "for"). Returns its receipt code (written on the paper) and validity.
    Refused once as many paper ballots are in as were handed out."""
    require_staff(actor, vote)
    cleaned, valid = marks_check(vote, marks, strict=False)
    with transaction.atomic():
        locked = _locked_open(vote)
        issued = Voter.objects.filter(vote=locked, paper=True).count()
        entered = Ballot.objects.filter(vote=locked, channel=Channel.PAPER).count()
        if entered >= issued:
            raise Conflict(
                VotingCode.TOO_MANY_PAPER,
                _("All %(n)d paper ballots handed out are entered already.") % {"n": issued},
            )
        code = _store(locked, cleaned, valid, Channel.PAPER)
    return code, valid


# ---- closing, counting, run-off ----------------------------------------------------------------


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
def vote_close(*, actor: User | None, vote: Vote, on: date | None = None) -> Vote:
    """Close the vote: shuffle the stored ballots, count them, publish the result (the receipts,
    the ballots, the counts), and credit each deputy who voted in their duty archive."""
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
    vote.closed_at = timezone.now()
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
    voted = Deputy.objects.filter(
        pk__in=vote.voters.filter(voted=True, deputy__isnull=False).values("deputy_id")
    )
    for deputy in voted:
        points_credit_event(
            deputy=deputy,
            event=AutoEvent.VOTE_CAST,
            source_key=f"vote_cast:{vote.pk}:{deputy.pk}",
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
    Option.objects.bulk_create(
        [
            Option(
                vote=runoff,
                position=i,
                label=r.option.label,
                description=r.option.description,
                amount=r.option.amount,
                completion=r.option.completion,
                subject_type=r.option.subject_type,
                subject_id=r.option.subject_id,
            )
            for i, r in enumerate(sorted(tied, key=lambda r: r.option.position), start=1)
        ]
    )
    Voter.objects.bulk_create(
        [
            Voter(vote=runoff, deputy_id=v.deputy_id, present=v.present)
            for v in vote.voters.filter(deputy__isnull=False).order_by("pk")
        ]
    )
    audit_record(actor=actor, verb="vote.runoff", target=runoff, data={"of": vote.pk})
    return runoff


def ensure_options(vote: Vote, specs: Iterable[OptionSpec]) -> None:
    """Add options that are not on an open-electorate vote yet (a station opened this year)."""
    have = set(vote.options.values_list("subject_type", "subject_id"))
    last = vote.options.order_by("-position").values_list("position", flat=True).first() or 0
    new = [s for s in specs if (s.subject_type, s.subject_id) not in have]
    for i, spec in enumerate(new, start=last + 1):
        try:
            with transaction.atomic():
                Option.objects.create(
                    vote=vote,
                    position=i,
                    label=spec.label,
                    subject_type=spec.subject_type,
                    subject_id=spec.subject_id,
                )
        except IntegrityError:
            continue  # added by a concurrent request
