"""Preparing a vote: create it with its options and register, mark presence, issue one-time
ballot credentials, open it; add options to an open-electorate vote as they are first voted for.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, Forbidden
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy, Mandate
from lianluo.voting.codes import credential_code, credential_hash
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import Base, Option, Status, Vote, Voter

_rng = secrets.SystemRandom()
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

    def option(self, vote: Vote, position: int) -> Option:
        """The option this spec describes, at `position` on `vote` (not saved)."""
        return Option(
            vote=vote,
            position=position,
            label=self.label,
            description=self.description,
            amount=self.amount,
            completion=self.completion,
            subject_type=self.subject_type,
            subject_id=self.subject_id,
        )

    @classmethod
    def of(cls, option: Option) -> OptionSpec:
        """The spec of an existing option (a run-off carries the tied options over)."""
        return cls(
            label=option.label,
            description=option.description,
            amount=option.amount,
            completion=option.completion,
            subject_type=option.subject_type,
            subject_id=option.subject_id,
        )


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
    Option.objects.bulk_create([spec.option(vote, i) for i, spec in enumerate(options, start=1)])
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
    *, actor: User | None, vote: Vote, deputy_ids: Iterable[int], replace: bool = False
) -> dict[int, str]:
    """One-time ballot codes for deputies who vote on a shared device at the session: each code
    is returned once (to print on a slip) and only its hash is kept. A deputy who holds an
    unused code keeps it (a slip handed out stays good) unless `replace` (a lost slip): then the
    new code replaces it."""
    require_staff(actor, vote)
    _not_closed(vote)
    out: dict[int, str] = {}
    voters = Voter.objects.filter(vote=vote, deputy_id__in=list(deputy_ids), voted=False)
    if not replace:
        voters = voters.filter(credential_hash="")
    for voter in voters:
        code = credential_code()
        voter.credential_hash = credential_hash(code)
        voter.present = True
        voter.save(update_fields=["credential_hash", "present"])
        assert voter.deputy_id is not None
        out[voter.deputy_id] = code
    audit_record(actor=actor, verb="vote.credentials", target=vote, data={"deputies": sorted(out)})
    return out


@transaction.atomic
def vote_open(*, actor: User | None, vote: Vote) -> Vote:
    """Open a prepared vote to ballots. A congress's vote is opened by its staff; an
    open-electorate vote (the station of the year) by the code that created it."""
    if not vote.open_electorate:
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


def ensure_options(vote: Vote, specs: Iterable[OptionSpec]) -> None:
    """Add options that are not on an open-electorate vote yet (a station opened this year)."""
    have = set(vote.options.values_list("subject_type", "subject_id"))
    last = vote.options.order_by("-position").values_list("position", flat=True).first() or 0
    new = [s for s in specs if (s.subject_type, s.subject_id) not in have]
    for i, spec in enumerate(new, start=last + 1):
        try:
            with transaction.atomic():
                spec.option(vote, i).save()
        except IntegrityError:
            continue  # added by a concurrent request
