"""Duplicates merged into the case that carries them on (合并办理).

One case survives; each duplicate is closed by the `merge` transition (cases.states), linked to
it (`Case.merged_into`) and keeps its number in the ledger. The citizens of the duplicates
follow the survivor on their tracking pages (cases.selectors.case_for_tracking) and count as
affected by it: the survivor's `support_count` grows by one per merged citizen (once per phone)
plus the duplicate's own count, which moves with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case, CaseSupport
from lianluo.cases.permissions import can_act
from lianluo.cases.services.events import event_append
from lianluo.cases.services.support import supporter_hash
from lianluo.cases.services.transitions import Step, _transition
from lianluo.cases.states import OPEN, Action
from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.services import audit_record


def _refuse_outsiders(survivor: Case, cases: Sequence[Case], actor: User) -> None:
    for case in [survivor, *cases]:
        if not can_act(actor, case, Action.MERGE):
            raise Forbidden(
                CaseCode.NOT_ALLOWED,
                _("You may not merge case %(number)s.") % {"number": case.number},
            )


def _check(survivor: Case, cases: Sequence[Case]) -> None:
    if survivor.status not in OPEN:
        raise Conflict(
            CaseCode.INVALID_TRANSITION,
            _("Case %(number)s is closed: duplicates are merged into an open case.")
            % {"number": survivor.number},
        )
    for case in cases:
        if case.pk == survivor.pk:
            raise DomainError(
                CaseCode.INVALID_VALUE, _("A case is not merged into itself."), field="cases"
            )
        if case.congress_id != survivor.congress_id:
            raise DomainError(
                CaseCode.INVALID_VALUE,
                _("Case %(number)s is in another congress's ledger: it cannot be merged.")
                % {"number": case.number},
                field="cases",
            )


def _carry_support(survivor: Case, case: Case, now) -> int:
    """The merged citizen counts as affected by the survivor, once per phone (not at all when
    the phone is the survivor's own citizen's); the duplicate's own count moves with it."""
    phone = supporter_hash("phone", case.citizen_phone) if case.citizen_phone else ""
    own = supporter_hash("phone", survivor.citizen_phone) if survivor.citizen_phone else ""
    added = 0
    if not phone or phone != own:
        try:
            with transaction.atomic():
                CaseSupport.objects.create(
                    case=survivor, phone_hash=phone, merged=case, created_at=now
                )
            added = 1
        except IntegrityError:  # this phone already counts for the survivor
            pass
    return added + case.support_count


@transaction.atomic
def case_merge(*, survivor: Case, cases: Sequence[Case], actor: User, note: str = "") -> Case:
    """Merge the duplicates `cases` into `survivor`.

    Preconditions: at least one duplicate; the survivor open (409 `invalid_transition`); every
    duplicate in the survivor's congress and not the survivor (422 `invalid_value` at `cases`),
    open (409: the `merge` transition refuses a closed one); the actor may act on all of them
    (403 `not_allowed`). Rows are locked survivor first, then the duplicates by id.

    Each duplicate is closed by the `merge` transition (event data `{"into": number}`), linked
    to the survivor, and its support carried over; the survivor gets one event
    `{"merged": [numbers]}` and the audit log one entry. No duty points: merging is not work
    done for the citizen (the survivor's answer earns them).
    """
    if not cases:
        raise DomainError(
            CaseCode.MISSING_FIELD, _("Choose the cases to merge into this one."), field="cases"
        )
    survivor = Case.objects.select_for_update(of=("self",)).get(pk=survivor.pk)
    ids = sorted({c.pk for c in cases})
    locked = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    _refuse_outsiders(survivor, locked, actor)
    _check(survivor, locked)
    now = timezone.now()
    carried = 0
    for case in locked:
        _transition(
            Step(
                case=case,
                actor=actor,
                action=Action.MERGE,
                now=now,
                note=note,
                into=survivor,
                credit_points=False,
            )
        )
        carried += _carry_support(survivor, case, now)
    numbers = [c.number for c in locked]
    # The duplicates' own counts moved to the survivor: a sum over the ledger counts each once.
    Case.objects.filter(pk__in=ids).update(support_count=0)
    Case.objects.filter(pk=survivor.pk).update(support_count=F("support_count") + carried)
    survivor.refresh_from_db()
    event_append(
        survivor,
        action=Action.MERGE,
        from_status=survivor.status,
        actor=actor,
        staff_note=note,
        data={"merged": numbers},
    )
    audit_record(
        actor=actor,
        verb="case_merge",
        target=survivor,
        data={"number": survivor.number, "merged": numbers, "support": carried},
    )
    return survivor
