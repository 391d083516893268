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
from lianluo.cases.services.record import RECORDED_CHANNELS
from lianluo.core.models import AuditLog, User
from lianluo.duty.models import AutoEvent, DutyItem
from lianluo.duty.services import CASE_WORK, case_worker, points_credit_event
from lianluo.stations.models import ReceptionRecord
from lianluo.suggestions.models import Suggestion


def points_replay(*, year: int, actor: User | None = None) -> int:
    """Credit every platform event of the year through the same crediting as the live hooks:
    reception records, activity attendance, cases answered, followed up and closed out by a
    deputy, matters recorded by a deputy, suggestions filed. Safe to run any number of times
    (each event's `source_key` is credited once); it catches up events that happened before a
    catalog was installed or while an item was inactive. Returns the number of entries written."""
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
    # The deputy who did the work, as the live hook credits it (duty.services.case_worker):
    # the event's actor when that user is a deputy; staff's steps credit nobody.
    events = (
        CaseEvent.objects.filter(
            action__in=list(CASE_WORK),
            at__year=year,
            actor__isnull=False,
            case__imported=False,
        )
        .select_related("actor", "case__station__congress", "case__congress")
        .order_by("at", "pk")
    )
    for event in events:
        case = event.case
        worker = case_worker(event.actor)
        if worker is None:
            continue
        kind = CASE_WORK[event.action]
        yield {
            "deputy": worker,
            "event": kind,
            "source_key": f"{kind}:{case.pk}",
            "occurred_on": timezone.localtime(event.at).date(),
            "station": case.station,
            "congress": case.congress,
            "note": case.number,
        }
    recorded = (
        CaseEvent.objects.filter(
            action="submit",
            at__year=year,
            case__channel__in=RECORDED_CHANNELS,
            case__deputy__isnull=False,
            case__imported=False,
        )
        .select_related("case__deputy", "case__station__congress", "case__congress")
        .order_by("at", "pk")
    )
    for event in recorded:
        case = event.case
        assert case.deputy is not None
        yield {
            "deputy": case.deputy,
            "event": AutoEvent.CASE_RECORDED,
            "source_key": f"{AutoEvent.CASE_RECORDED}:{case.pk}",
            "occurred_on": timezone.localtime(case.created_at).date(),
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
