"""Taking ballots: a deputy on their phone or on a device with a one-time credential
(`ballot_cast`), an open electorate with a key (`ballot_cast_open`), tellers entering paper
ballots (`paper_issue`, `paper_ballot_enter`).

Each marks the register and writes the anonymous ballot and its receipt in one transaction, under
the vote's row lock (so a vote cannot close between the two, and the shuffle below sees every
earlier ballot). The new ballot trades contents with a randomly chosen row of its vote, itself
included (an inside-out shuffle), and so does the receipt: while the vote is open the marks at a
given row position are a random earlier ballot's. SQLite keeps a row's `rowid` on update, so the
shuffle holds there as is; PostgreSQL writes an updated row anew (a new `ctid`), so there it is
closing — which rewrites every ballot and receipt in a fresh random order with fresh ids — that
makes the stored order meaningless.

The swap partner is the row whose random id follows a random point of the id space (around to
the first): one indexed `LIMIT 1` instead of a COUNT and an OFFSET scan. A row is chosen with the
probability of the gap before its id — not exactly 1/(n+1), but drawn from random ids that say
nothing of when a ballot came, which is what the shuffle must hide.

A cast holds SQLite's one write lock (or, on PostgreSQL, the vote's row lock) from its first
statement to its commit, and every other cast of the session waits for it: inside the
transaction there are only the statements that must be there (`ballot_cast`: six to eight).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction
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
    cleaned, problem = _marks_read(vote, marks)
    if problem and strict:
        raise _invalid(problem)
    return cleaned, not problem


def _marks_read(vote: Vote, marks: Mapping[Any, Any]) -> tuple[dict[str, str], str]:
    """The marks as stored and what is wrong with them ("" when nothing)."""
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
    return cleaned, problem


def _invalid(problem: str) -> DomainError:
    return DomainError(VotingCode.INVALID_BALLOT, problem, field="marks")


def _locked_open(vote: Vote) -> Vote:
    locked = Vote.objects.select_for_update().get(pk=vote.pk)
    if locked.status != Status.OPEN:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is not open."))
    return locked


def _lock_open(vote: Vote) -> None:
    """Lock the vote's row and check that it is open, reading nothing else (a cast needs only
    its status: the vote it was given says the rest)."""
    status = (
        Vote.objects.select_for_update().filter(pk=vote.pk).values_list("status", flat=True).first()
    )
    if status != Status.OPEN:
        raise Conflict(VotingCode.NOT_OPEN, _("This vote is not open."))


def _partner(
    model: type[Ballot] | type[Receipt], vote: Vote, new_id: uuid.UUID, fields: tuple[str, ...]
) -> dict[str, Any] | None:
    """The row a new row (id `new_id`, not written yet) trades places with, or None for the new
    row itself: the first id at or after a random point, going around past the last."""
    point = uuid.UUID(int=_rng.getrandbits(128))
    rows: models.QuerySet[Any] = model.objects.filter(vote=vote).order_by("id")
    after = rows.filter(id__gte=point).values("id", *fields).first()
    if new_id >= point and (after is None or new_id < after["id"]):
        return None
    if after is not None:
        return after
    first = rows.values("id", *fields).first()  # around: no row after the point
    return None if first is None or new_id < first["id"] else first


def _store(vote: Vote, marks: dict[str, str], valid: bool, channel: str) -> str:
    """Write the ballot and its receipt, each trading places with a random row of its vote (an
    inside-out shuffle), and return the receipt code. Call under the vote's lock.

    The new ballot's row takes its partner's contents and the partner takes the new ballot's
    (a partner of None: the new row keeps its own); the new receipt's row takes its partner's
    code and the partner the new code (updated first: (vote, code) is unique)."""
    ballot_id = uuid.uuid4()
    other = _partner(Ballot, vote, ballot_id, ("marks", "channel", "valid"))
    if other is None:
        Ballot.objects.create(id=ballot_id, vote=vote, marks=marks, channel=channel, valid=valid)
    else:
        Ballot.objects.create(
            id=ballot_id,
            vote=vote,
            marks=other["marks"],
            channel=other["channel"],
            valid=other["valid"],
        )
        Ballot.objects.filter(pk=other["id"]).update(marks=marks, channel=channel, valid=valid)
    code = receipt_code()
    receipt_id = uuid.uuid4()
    other_r = _partner(Receipt, vote, receipt_id, ("code",))
    if other_r is None:
        Receipt.objects.create(id=receipt_id, vote=vote, code=code)
    else:
        Receipt.objects.filter(pk=other_r["id"]).update(code=code)
        Receipt.objects.create(id=receipt_id, vote=vote, code=other_r["code"])
    return code


def _credential_refused(vote: Vote, hashed: str) -> DomainError:
    """Why no register row took this credential (only after the conditional update failed)."""
    voter = Voter.objects.filter(vote=vote, credential_hash=hashed).first()
    if voter is None:  # unknown, or spent: a spent credential's hash is wiped
        return Forbidden(VotingCode.BAD_CREDENTIAL, _("This ballot code is not valid."))
    if not voter.present:
        return Forbidden(
            VotingCode.NOT_PRESENT, _("Your presence at the session is not registered yet.")
        )
    return Conflict(VotingCode.ALREADY_VOTED, _("Your ballot is already in."))


def _voter_for(vote: Vote, user: User | None) -> Voter:
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
    if credential:
        # The register row is found by the credential's hash in the conditional update itself
        # (an index serves it); why it failed is asked only when it did. The marks are read
        # before the lock, but a bad credential is refused before a bad ballot, as ever (an
        # invalid ballot rolls the update back: the credential stays unspent).
        hashed = credential_hash(credential)
        cleaned, problem = _marks_read(vote, marks)
        with transaction.atomic():
            _lock_open(vote)
            done = Voter.objects.filter(
                vote=vote, credential_hash=hashed, present=True, voted=False
            ).update(voted=True, credential_hash="")
            if done != 1:
                raise _credential_refused(vote, hashed)
            if problem:
                raise _invalid(problem)
            return _store(vote, cleaned, True, Channel.ELECTRONIC)
    voter = _voter_for(vote, user)
    if not voter.present:
        raise Forbidden(
            VotingCode.NOT_PRESENT, _("Your presence at the session is not registered yet.")
        )
    cleaned, _valid = marks_check(vote, marks)
    with transaction.atomic():
        _lock_open(vote)
        done = Voter.objects.filter(pk=voter.pk, voted=False, present=True).update(
            voted=True, credential_hash=""
        )
        if done != 1:
            raise Conflict(VotingCode.ALREADY_VOTED, _("Your ballot is already in."))
        return _store(vote, cleaned, True, Channel.ELECTRONIC)


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
