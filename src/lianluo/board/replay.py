"""The replay of a year's platform events into the points ledger: it reads the events of the apps
that credit points (reception records, activity check-ins, the case workflow, suggestions filed),
so it lives above them; the crediting itself is the ledger's (`points_credit_event`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianluo.activities.models import Signup
from lianluo.cases.models import CaseEvent
from lianluo.core.models import AuditLog, User
from lianluo.duty.models import AutoEvent, DutyItem
from lianluo.duty.services import points_credit_event
from lianluo.stations.models import ReceptionRecord
from lianluo.suggestions.models import Suggestion


def points_replay(*, year: int, actor: User | None = None) -> int:
    """Credit every platform event of the year through the same crediting as the live hooks:
    reception records, activity attendance, cases answered and closed out by their responsible
    deputy, suggestions filed. Safe to run any number of times (each event's `source_key` is
    credited once); it catches up events that happened before a catalog was installed or
    while an item was inactive. Returns the number of entries written."""
    if not DutyItem.objects.filter(year=year, active=True).exclude(auto_event="").exists():
        return 0
    written = 0
    for event in _events(year):
        with transaction.atomic():  # one event that fails to credit must not undo the others
            written += bool(points_credit_event(actor=actor, **event))
    return written


def _events(year: int) -> Iterator[dict[str, Any]]:
    """The year's crediting events, as the arguments of `points_credit_event` (but the actor)."""
    records = (
        # Records and cases imported from past ledgers are history, not duty done on the
        # platform: they earn no points (onboarding's past-years import credits none either).
        ReceptionRecord.objects.filter(reception_day__date__year=year, imported=False)
        .select_related("reception_day__station__congress")
        .prefetch_related("deputies_present")
    )
    for record in records:
        day = record.reception_day
        for deputy in record.deputies_present.all():
            yield {
                "deputy": deputy,
                "event": AutoEvent.RECEPTION_ATTENDED,
                "source_key": f"reception:{day.pk}:{deputy.pk}",
                "occurred_on": day.date,
                "station": day.station,
                "note": day.station.name,
            }
    signups = Signup.objects.filter(
        checked_in_at__isnull=False, activity__start__year=year
    ).select_related("activity__station__congress", "deputy")
    for signup in signups:
        activity = signup.activity
        yield {
            "deputy": signup.deputy,
            "event": AutoEvent.ACTIVITY_CHECKED_IN,
            "source_key": f"activity:{activity.pk}:{signup.deputy_id}",
            "occurred_on": timezone.localtime(activity.start).date(),
            "station": activity.station,
            "note": activity.title[:200],
        }
    events = (
        CaseEvent.objects.filter(
            action__in=["answer", "answer_on_spot", "close"],
            at__year=year,
            case__responsible_deputy__isnull=False,
            case__imported=False,
        )
        .select_related("case__responsible_deputy", "case__station__congress", "case__congress")
        .order_by("at", "pk")
    )
    for event in events:
        case = event.case
        kind = AutoEvent.CASE_CLOSED if event.action == "close" else AutoEvent.CASE_ANSWERED
        assert case.responsible_deputy is not None
        yield {
            "deputy": case.responsible_deputy,
            "event": kind,
            "source_key": f"{kind}:{case.pk}",
            "occurred_on": timezone.localtime(event.at).date(),
            "station": case.station,
            "congress": case.congress,
            "note": case.number,
        }
    filed = Suggestion.objects.filter(status="filed", deputy__isnull=False).select_related(
        "deputy", "congress"
    )
    filed_at = {
        int(row.target_id): row.at
        for row in AuditLog.objects.filter(
            verb="suggestion.file", target_type="suggestions.suggestion"
        )
    }
    for suggestion in filed:
        at = filed_at.get(suggestion.pk, suggestion.created_at)
        on = timezone.localtime(at).date()
        if on.year != year:
            continue
        assert suggestion.deputy is not None
        yield {
            "deputy": suggestion.deputy,
            "event": AutoEvent.SUGGESTION_FILED,
            "source_key": f"suggestion_filed:{suggestion.pk}",
            "occurred_on": on,
            "congress": suggestion.congress,
            "note": suggestion.title[:200],
        }
