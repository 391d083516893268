"""Writes of reception days: generation from the rules with the rotation, publication with its
lead time, cancellation, and the officer's changes to who is on duty."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.calendar import holidays_between
from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy, Unavailability
from lianluo.stations import rules as R
from lianluo.stations.models import (
    Assignment,
    Duty,
    DutySource,
    ReceptionDay,
    ReceptionRule,
    ReceptionStatus,
    Station,
)
from lianluo.stations.services.common import ReceptionCode, day_label, station_require_manager

# Generation covers at most this many days at once (a year and a day: a leap year's 逢6).
MAX_GENERATE_DAYS = 366


# ---- generation and the rotation ----------------------------------------------------------


@dataclass
class GenerateResult:
    created: list[ReceptionDay] = field(default_factory=list)
    existing: int = 0  # days the rules name that were already there (idempotent re-run)
    holidays: dict[date, str] = field(default_factory=dict)  # skipped
    short: list[ReceptionDay] = field(default_factory=list)  # too few deputies available


def _duty_history(station: Station) -> tuple[dict[int, int], dict[int, date]]:
    """Duties each deputy has had at the station so far (cancelled days do not count)."""
    rows = (
        Duty.objects.filter(reception_day__station=station)
        .exclude(reception_day__status=ReceptionStatus.CANCELLED)
        .values("deputy_id")
        .annotate(n=Count("id"), last=Max("reception_day__date"))
    )
    counts = {row["deputy_id"]: row["n"] for row in rows}
    last = {row["deputy_id"]: row["last"] for row in rows}
    return counts, last


def _unavailability(deputy_ids: list[int], start: date, end: date) -> dict[int, list[tuple]]:
    periods: dict[int, list[tuple]] = {}
    for row in Unavailability.objects.filter(
        deputy_id__in=deputy_ids, start__lte=end, end__gte=start
    ):
        periods.setdefault(row.deputy_id, []).append((row.start, row.end))
    return periods


def reception_days_generate(
    *, actor: User, station: Station, start: date, end: date
) -> GenerateResult:
    """Turn the station's active rules into draft reception days for [start, end].

    Holidays of the station's congress and of the congresses above it are skipped. A day that
    already exists (same date and start) is left as it is, so re-running adds nothing twice.
    Rotation days get their deputies at once (fewest duties so far first, skipping the
    unavailable); sign-up days start empty. Days are drafts until published.
    """
    station_require_manager(actor, station)
    today = timezone.localdate()
    if end < start:
        raise DomainError(
            ReceptionCode.INVALID_PERIOD, _("The end must not be before the start."), field="end"
        )
    if start < today:
        raise DomainError(
            ReceptionCode.INVALID_PERIOD,
            _("Reception days can only be generated from today on."),
            field="start",
        )
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise DomainError(
            ReceptionCode.INVALID_PERIOD,
            _("Generate at most %(days)d days at once.") % {"days": MAX_GENERATE_DAYS},
            field="end",
        )
    result = GenerateResult()
    with transaction.atomic():
        # One generation per station at a time: the second waits and then finds the days.
        Station.objects.select_for_update().filter(pk=station.pk).first()
        result.holidays = holidays_between(congress=station.congress, start=start, end=end)
        planned: list[tuple[date, ReceptionRule]] = []
        for rule in station.rules.filter(active=True).order_by("start", "pk"):
            named = R.dates_of(rule, start=start, end=end, skip=result.holidays)
            planned += [(d, rule) for d in named]
        planned.sort(key=lambda p: (p[0], p[1].start))
        taken = set(
            ReceptionDay.objects.filter(station=station, date__range=(start, end)).values_list(
                "date", "start"
            )
        )
        new_days: list[ReceptionDay] = []
        for d, rule in planned:
            if (d, rule.start) in taken:
                result.existing += 1
                continue
            taken.add((d, rule.start))
            new_days.append(
                ReceptionDay(
                    station=station,
                    rule=rule,
                    date=d,
                    start=rule.start,
                    end=rule.end,
                    status=ReceptionStatus.DRAFT,
                )
            )
        ReceptionDay.objects.bulk_create(new_days)
        result.created = new_days
        rotation = [
            day
            for day in new_days
            if day.rule is not None and day.rule.assignment == Assignment.ROTATION
        ]
        if rotation:
            result.short = _assign_rotation(station, rotation)
        audit_record(
            actor=actor,
            verb="reception_days.generate",
            target=station,
            data={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "created": len(new_days),
                "existing": result.existing,
            },
        )
    return result


def _assign_rotation(station: Station, days: list[ReceptionDay]) -> list[ReceptionDay]:
    pool = list(
        Deputy.objects.filter(memberships__station=station)
        .order_by("code")
        .distinct()
        .values_list("id", flat=True)
    )
    counts, last = _duty_history(station)
    periods = _unavailability(pool, min(d.date for d in days), max(d.date for d in days))

    def unavailable(deputy_id: int, day: date) -> bool:
        return any(a <= day <= b for a, b in periods.get(deputy_id, ()))

    slots = [R.Slot(key=day.pk, day=day.date, needed=day.rule.deputies_per_day) for day in days]  # type: ignore[union-attr]
    chosen = R.rotate(slots=slots, deputies=pool, counts=counts, last=last, unavailable=unavailable)
    Duty.objects.bulk_create(
        [
            Duty(reception_day=day, deputy_id=deputy_id, source=DutySource.ROTATION)
            for day in days
            for deputy_id in chosen[day.pk]
        ]
    )
    return [day for day in days if len(chosen[day.pk]) < day.rule.deputies_per_day]  # type: ignore[union-attr]


# ---- publication --------------------------------------------------------------------------


@dataclass
class PublishResult:
    published: list[ReceptionDay] = field(default_factory=list)
    refused: list[tuple[ReceptionDay, str]] = field(default_factory=list)  # (day, reason)


def publish_refusal(day: ReceptionDay, *, today: date | None = None) -> str:
    """Why a day may not be published now ('' if it may): only drafts, and only at least the
    congress's lead time ahead ("接待安排提前3天以上公示")."""
    today = today or timezone.localdate()
    if day.status == ReceptionStatus.PUBLISHED:
        return _("Already published.")
    if day.status == ReceptionStatus.CANCELLED:
        return _("Cancelled days cannot be published.")
    lead = day.station.congress.publish_lead_days
    if (day.date - today).days < lead:
        return _(
            "%(date)s is fewer than %(days)d days away: reception days must be published "
            "at least %(days)d days ahead."
        ) % {"date": date_format(day.date, "Y-m-d"), "days": lead}
    return ""


def reception_days_publish(*, actor: User, days: list[ReceptionDay]) -> PublishResult:
    """Publish draft days: they appear on the station's public page and in the calendar feeds.
    Each day too close (fewer than the congress's `publish_lead_days` away) is refused with
    its reason; the others are published. The deputies on duty are told their dates."""
    result = PublishResult()
    for day in days:
        station_require_manager(actor, day.station)
    today = timezone.localdate()
    with transaction.atomic():
        locked = {
            d.pk: d
            for d in ReceptionDay.objects.select_for_update(of=("self",))
            .select_related("station__congress")
            .filter(pk__in=[d.pk for d in days])
        }
        now = timezone.now()
        for day in sorted(locked.values(), key=lambda d: (d.date, d.start)):
            reason = publish_refusal(day, today=today)
            if reason:
                result.refused.append((day, reason))
                continue
            day.status = ReceptionStatus.PUBLISHED
            day.published_at = now
            day.save(update_fields=["status", "published_at"])
            result.published.append(day)
        if result.published:
            audit_record(
                actor=actor,
                verb="reception_days.publish",
                target=result.published[0].station,
                data={"days": [d.date.isoformat() for d in result.published]},
            )
            _notify_scheduled(result.published)
    return result


def reception_day_publish(*, actor: User, day: ReceptionDay) -> ReceptionDay:
    """Publish one day or raise the reason it may not be published."""
    result = reception_days_publish(actor=actor, days=[day])
    if result.refused:
        code = (
            ReceptionCode.TOO_LATE
            if day.status == ReceptionStatus.DRAFT
            else ReceptionCode.INVALID_STATUS
        )
        raise DomainError(code, result.refused[0][1])
    return result.published[0]


def _duty_users(days: list[ReceptionDay]) -> dict[int, tuple[User, list[ReceptionDay]]]:
    """Deputies with an active account who are on duty on those days -> their days."""
    by_user: dict[int, tuple[User, list[ReceptionDay]]] = {}
    duties = Duty.objects.filter(reception_day__in=days).select_related("deputy__user")
    day_by_pk = {d.pk: d for d in days}
    for duty in duties:
        user = duty.deputy.user
        if user is None or not user.is_active:
            continue
        by_user.setdefault(user.pk, (user, []))[1].append(day_by_pk[duty.reception_day_id])
    return by_user


def _notify_scheduled(days: list[ReceptionDay]) -> None:
    for user, own in _duty_users(days).values():
        with override("zh-hans"):
            subject = _("You are on duty at %(station)s") % {"station": own[0].station.name}
            body = "；".join(day_label(d) for d in own)
        outbox_enqueue(
            recipients=[user],
            kind="duty_scheduled",
            subject=subject,
            body=body,
            link=reverse("stations:my_duties"),
        )


def _locked(day: ReceptionDay) -> ReceptionDay:
    """The day's row, locked for the rest of the transaction, with its station."""
    return (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("station")
        .get(pk=day.pk)
    )


def reception_day_cancel(*, actor: User, day: ReceptionDay, reason: str = "") -> ReceptionDay:
    """Withdraw a coming day. A published one stays in the feeds as cancelled, and the
    deputies on duty are told."""
    station_require_manager(actor, day.station)
    with transaction.atomic():
        day = _locked(day)
        if day.status == ReceptionStatus.CANCELLED:
            raise DomainError(ReceptionCode.INVALID_STATUS, _("This day is already cancelled."))
        if day.date < timezone.localdate():
            raise DomainError(ReceptionCode.PAST, _("A past day cannot be cancelled."))
        was_published = day.status == ReceptionStatus.PUBLISHED
        day.status = ReceptionStatus.CANCELLED
        day.save(update_fields=["status"])
        audit_record(actor=actor, verb="reception_day.cancel", target=day, data={"reason": reason})
        if was_published:
            for user, _own in _duty_users([day]).values():
                with override("zh-hans"):
                    subject = _("Reception day cancelled: %(day)s") % {"day": day_label(day)}
                outbox_enqueue(
                    recipients=[user],
                    kind="reception_cancelled",
                    subject=subject,
                    body=f"{day.station.name} {reason}".strip(),
                    link=reverse("stations:my_duties"),
                )
    return day


# ---- the roster: manual changes and sign-up ------------------------------------------------


def reception_day_set_deputies(
    *, actor: User, day: ReceptionDay, deputies: list[Deputy]
) -> ReceptionDay:
    """Set who is on duty (the officer's choice): the deputies must belong to the station and
    be available that day. Those who stay keep their duty (and its reminder state)."""
    station_require_manager(actor, day.station)
    members = set(
        Deputy.objects.filter(memberships__station=day.station).values_list("id", flat=True)
    )
    with transaction.atomic():
        day = _locked(day)
        if day.status == ReceptionStatus.CANCELLED:
            raise DomainError(ReceptionCode.INVALID_STATUS, _("This day is cancelled."))
        if day.date < timezone.localdate():
            raise DomainError(
                ReceptionCode.PAST, _("Who was on duty on a past day cannot be changed.")
            )
        wanted = {d.pk: d for d in deputies}
        current = set(day.duty.values_list("deputy_id", flat=True))
        for deputy in wanted.values():
            if deputy.pk not in members:
                raise DomainError(
                    ReceptionCode.NOT_MEMBER,
                    _("%(name)s does not belong to this station.") % {"name": deputy.name},
                    field="deputies",
                )
        busy = set(
            Unavailability.objects.filter(
                deputy_id__in=set(wanted) - current, start__lte=day.date, end__gte=day.date
            ).values_list("deputy_id", flat=True)
        )
        if busy:
            names = "、".join(sorted(wanted[i].name for i in busy))
            raise DomainError(
                ReceptionCode.UNAVAILABLE,
                _("Not available that day: %(names)s.") % {"names": names},
                field="deputies",
            )
        day.duty.exclude(deputy_id__in=wanted).delete()
        Duty.objects.bulk_create(
            [
                Duty(reception_day=day, deputy_id=pk, source=DutySource.MANUAL)
                for pk in wanted
                if pk not in current
            ]
        )
        audit_record(
            actor=actor,
            verb="reception_day.set_deputies",
            target=day,
            data={"before": sorted(current), "after": sorted(wanted)},
        )
    return day
