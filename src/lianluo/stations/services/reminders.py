"""The duty reminders: each deputy on duty is told once, a set number of days ahead."""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.services import outbox_enqueue
from lianluo.stations.models import Duty, ReceptionStatus
from lianluo.stations.services.common import day_label


def reminder_days() -> int:
    """How many days before a duty its deputy is reminded (LIANLUO_DUTY_REMINDER_DAYS, 1)."""
    value = getattr(settings, "LIANLUO_DUTY_REMINDER_DAYS", None)
    if value is None:
        value = os.environ.get("LIANLUO_DUTY_REMINDER_DAYS", "1")
    return max(0, int(value))


def duty_reminders_send(*, days_before: int | None = None) -> int:
    """Remind each deputy on duty on a published day within the next `days_before` days,
    exactly once: the due duties not yet reminded are locked, notified through the outbox and
    marked in one transaction, so a re-run (or a second worker) sends nothing twice."""
    days_before = reminder_days() if days_before is None else days_before
    today = timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = list(
            Duty.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                reminded_at__isnull=True,
                reception_day__status=ReceptionStatus.PUBLISHED,
                reception_day__date__gte=today,
                reception_day__date__lte=today + timedelta(days=days_before),
                deputy__user__isnull=False,
                deputy__user__is_active=True,
            )
            .select_related("reception_day__station", "deputy__user")
            .order_by("reception_day__date", "id")
        )
        now = timezone.now()
        for duty in due:
            day = duty.reception_day
            with override("zh-hans"):
                subject = _("Reminder: you are on duty %(day)s") % {"day": day_label(day)}
                body = _("%(station)s, %(address)s") % {
                    "station": day.station.name,
                    "address": day.station.address,
                }
            outbox_enqueue(
                recipients=[duty.deputy.user],  # type: ignore[list-item]
                kind="duty_reminder",
                subject=subject,
                body=body,
                link=reverse("stations:my_duties"),
            )
            duty.reminded_at = now
            sent += 1
        Duty.objects.bulk_update(due, ["reminded_at"])
    return sent
