"""Taking ballots: a deputy on their phone or on a device with a one-time credential
(`ballot_cast`), an open electorate with a key (`ballot_cast_open`), tellers entering paper
ballots (`paper_issue`, `paper_ballot_enter`).

Each marks the register and writes the anonymous ballot and its receipt in one transaction, under
the vote's row lock (so a vote cannot close between the two, and the shuffle below sees every
earlier ballot). The new ballot then trades contents with a uniformly chosen earlier one (an
inside-out Fisher–Yates shuffle), and so does the receipt: while the vote is open the marks at a
given row position are a uniformly random earlier ballot's. SQLite keeps a row's `rowid` on
update, so the shuffle holds there as is; PostgreSQL writes an updated row anew (a new `ctid`),
so there it is closing — which rewrites every ballot and receipt in a fresh random order with
fresh ids — that makes the stored order meaningless.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.voting.codes import credential_hash, receipt_code
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import CHOICES_OF, Ballot, Channel, Method, Receipt, Status, Vote, Voter
from lianluo.voting.services.prepare import require_staff

_rng = secrets.SystemRandom()


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
    if not isinstance(marks, Mapping):
        marks, problem = {}, _("Mark every item on the ballot.")
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
    vote (an inside-out shuffle), and return the receipt code. Call under the vote's lock."""
    ballot = Ballot.objects.create(vote=vote, marks=marks, channel=channel, valid=valid)
    others = Ballot.objects.filter(vote=vote).exclude(pk=ballot.pk)
    pick = _rng.randrange(others.count() + 1)
    other = others.order_by("id")[pick : pick + 1].first()
    if other is not None:
        Ballot.objects.filter(pk=ballot.pk).update(
            marks=other.marks, channel=other.channel, valid=other.valid
        )
        Ballot.objects.filter(pk=other.pk).update(marks=marks, channel=channel, valid=valid)
    code = receipt_code()
    receipt = Receipt.objects.create(vote=vote, code=code)
    older = Receipt.objects.filter(vote=vote).exclude(pk=receipt.pk)
    pick = _rng.randrange(older.count() + 1)
    other_r = older.order_by("id")[pick : pick + 1].first()
    if other_r is not None:
        # (vote, code) is unique: park the earlier code while the two trade.
        swap = other_r.code
        Receipt.objects.filter(pk=other_r.pk).update(code=f"~{secrets.token_hex(8)}")
        Receipt.objects.filter(pk=receipt.pk).update(code=swap)
        Receipt.objects.filter(pk=other_r.pk).update(code=code)
    return code


def _voter_for(vote: Vote, user: User | None, credential: str) -> Voter:
    if credential:
        voter = Voter.objects.filter(vote=vote, credential_hash=credential_hash(credential)).first()
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
    credential, spent by this ballot). Returns the receipt code. Refused: not on the register,
    not present, voted already (also when requests race: the register row is marked by one
    conditional update, and only the request that changed it stores a ballot), not open, and a
    ballot that is not valid (nothing is stored then)."""
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
    """A ballot of an open electorate (`key`: a keyed hash of whoever votes): the first with this
    key counts, later ones are refused (the register's unique (vote, key))."""
    if not vote.open_electorate or not key:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is cast by the deputies present."))
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
    """A teller hands a deputy a paper ballot: the register marks them present and voted (they
    can no longer vote on a device) and the paper ballots to enter grow by one."""
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
    missing mark, too many "for"); an invalid ballot counts as a ballot, not as marks. Returns
    its receipt code (written on the paper) and validity. Refused once as many paper ballots
    are in as were handed out."""
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
