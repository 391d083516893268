"""Writes of station operations: reception rules, generated reception days, the duty roster
(rotation, sign-up, manual changes), publication with its lead time, reminders, and reception
records. Every write takes the acting user and checks that they run the station."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.calendar import holidays_between
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Congress, Department, Holiday, Role, RoleAssignment, User
from lianluo.core.scope import department_serves, scope_for
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy, Unavailability
from lianluo.deputies.selectors import deputy_of_account as deputy_of
from lianluo.stations import rules as R
from lianluo.stations.models import (
    Assignment,
    Duty,
    DutySource,
    OfficialVisit,
    ReceptionDay,
    ReceptionRecord,
    ReceptionRule,
    ReceptionStatus,
    RuleKind,
    Station,
)
from lianluo.stations.selectors import can_manage_station

# Generation covers at most this many days at once (a year and a day: a leap year's 逢6).
MAX_GENERATE_DAYS = 366


class ReceptionError:
    """Stable codes of reception refusals (the message is translated where raised)."""

    INVALID_VALUE = "invalid_value"
    INVALID_PERIOD = "invalid_period"
    TOO_LATE = "publish_too_late"
    INVALID_STATUS = "invalid_status"
    NOT_MEMBER = "not_member"
    UNAVAILABLE = "unavailable"
    FULL = "full"
    NOT_SIGNUP = "not_signup"
    PAST = "past"
    NOT_A_DEPUTY = "not_a_deputy"
    FUTURE = "future"


def _require_manage(actor: User, station: Station) -> None:
    if not can_manage_station(actor, station):
        raise NotFound("not_found", _("No station has this code."))


def _day_label(day: ReceptionDay) -> str:
    return f"{date_format(day.date, 'Y-m-d')} {day.start:%H:%M}–{day.end:%H:%M}"


# ---- rules --------------------------------------------------------------------------------


def _clean_rule(
    *, kind: str, values: list[Any], start: time, end: time, deputies_per_day: int, assignment: str
) -> list[Any]:
    if kind not in RuleKind.values:
        raise DomainError(ReceptionError.INVALID_VALUE, _("Unknown kind of rule."), field="kind")
    if assignment not in Assignment.values:
        raise DomainError(
            ReceptionError.INVALID_VALUE, _("Unknown kind of assignment."), field="assignment"
        )
    if end <= start:
        raise DomainError(
            ReceptionError.INVALID_VALUE, _("The end must be after the start."), field="end"
        )
    if not 1 <= deputies_per_day <= 20:
        raise DomainError(
            ReceptionError.INVALID_VALUE,
            _("Between 1 and 20 deputies on duty."),
            field="deputies_per_day",
        )
    try:
        if kind == RuleKind.MONTH_DAYS:
            cleaned: list[Any] = R.parse_month_days(",".join(str(v) for v in values))
        elif kind == RuleKind.WEEKDAYS:
            cleaned = sorted({int(v) for v in values})
            if not cleaned or any(not 0 <= v <= 6 for v in cleaned):
                raise R.RuleValueError("")
        else:
            cleaned = R.parse_market_days(",".join(str(v) for v in values))
    except (R.RuleValueError, ValueError) as exc:
        messages = {
            RuleKind.MONTH_DAYS: _("Give days of the month between 1 and 31, e.g. 6, 16, 26."),
            RuleKind.WEEKDAYS: _("Choose at least one weekday."),
            RuleKind.MARKET_DAYS: _("Give market days as dates, e.g. 2026-12-03, 2026-12-08."),
        }
        raise DomainError(
            ReceptionError.INVALID_VALUE, messages[RuleKind(kind)], field="values"
        ) from exc
    return cleaned


def reception_rule_save(
    *,
    actor: User,
    station: Station,
    rule: ReceptionRule | None = None,
    kind: str,
    values: list[Any],
    start: time,
    end: time,
    deputies_per_day: int = 2,
    assignment: str = Assignment.ROTATION,
    valid_from: date | None = None,
    valid_until: date | None = None,
    active: bool = True,
) -> ReceptionRule:
    """Create a rule of the station, or change `rule`. Days already generated keep their times
    and duties; the change applies to the next generation."""
    _require_manage(actor, station)
    if rule is not None and rule.station_id != station.pk:
        raise NotFound("not_found", _("Reception rule not found."))
    cleaned = _clean_rule(
        kind=kind,
        values=values,
        start=start,
        end=end,
        deputies_per_day=deputies_per_day,
        assignment=assignment,
    )
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(
            ReceptionError.INVALID_VALUE,
            _("“Valid until” must not be before “valid from”."),
            field="valid_until",
        )
    with transaction.atomic():
        created = rule is None
        target = rule or ReceptionRule(station=station)
        target.kind = kind
        target.values = cleaned
        target.start = start
        target.end = end
        target.deputies_per_day = deputies_per_day
        target.assignment = assignment
        target.valid_from = valid_from
        target.valid_until = valid_until
        target.active = active
        target.save()
        audit_record(
            actor=actor,
            verb="reception_rule.create" if created else "reception_rule.change",
            target=target,
            data={"station": station.code, "kind": kind, "values": cleaned, "active": active},
        )
    return target


def reception_rule_set_active(*, actor: User, rule: ReceptionRule, active: bool) -> ReceptionRule:
    """Deactivate (or reactivate) a rule: generation ignores inactive rules."""
    _require_manage(actor, rule.station)
    with transaction.atomic():
        rule.active = active
        rule.save(update_fields=["active"])
        audit_record(
            actor=actor,
            verb="reception_rule.activate" if active else "reception_rule.deactivate",
            target=rule,
        )
    return rule


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
    _require_manage(actor, station)
    today = timezone.localdate()
    if end < start:
        raise DomainError(
            ReceptionError.INVALID_PERIOD, _("The end must not be before the start."), field="end"
        )
    if start < today:
        raise DomainError(
            ReceptionError.INVALID_PERIOD,
            _("Reception days can only be generated from today on."),
            field="start",
        )
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise DomainError(
            ReceptionError.INVALID_PERIOD,
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
            named = R.rule_dates(
                kind=rule.kind,
                values=rule.values,
                start=start,
                end=end,
                valid_from=rule.valid_from,
                valid_until=rule.valid_until,
            )
            planned += [(d, rule) for d in named if d not in result.holidays]
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
        _require_manage(actor, day.station)
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
            ReceptionError.TOO_LATE
            if day.status == ReceptionStatus.DRAFT
            else ReceptionError.INVALID_STATUS
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
            body = "；".join(_day_label(d) for d in own)
        outbox_enqueue(
            recipients=[user],
            kind="duty_scheduled",
            subject=subject,
            body=body,
            link=reverse("stations:my_duties"),
        )


def reception_day_cancel(*, actor: User, day: ReceptionDay, reason: str = "") -> ReceptionDay:
    """Withdraw a coming day. A published one stays in the feeds as cancelled, and the
    deputies on duty are told."""
    _require_manage(actor, day.station)
    with transaction.atomic():
        day = (
            ReceptionDay.objects.select_for_update(of=("self",))
            .select_related("station")
            .get(pk=day.pk)
        )
        if day.status == ReceptionStatus.CANCELLED:
            raise DomainError(ReceptionError.INVALID_STATUS, _("This day is already cancelled."))
        if day.date < timezone.localdate():
            raise DomainError(ReceptionError.PAST, _("A past day cannot be cancelled."))
        was_published = day.status == ReceptionStatus.PUBLISHED
        day.status = ReceptionStatus.CANCELLED
        day.save(update_fields=["status"])
        audit_record(actor=actor, verb="reception_day.cancel", target=day, data={"reason": reason})
        if was_published:
            for user, _own in _duty_users([day]).values():
                with override("zh-hans"):
                    subject = _("Reception day cancelled: %(day)s") % {"day": _day_label(day)}
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
    _require_manage(actor, day.station)
    members = set(
        Deputy.objects.filter(memberships__station=day.station).values_list("id", flat=True)
    )
    with transaction.atomic():
        day = (
            ReceptionDay.objects.select_for_update(of=("self",))
            .select_related("station")
            .get(pk=day.pk)
        )
        if day.status == ReceptionStatus.CANCELLED:
            raise DomainError(ReceptionError.INVALID_STATUS, _("This day is cancelled."))
        if day.date < timezone.localdate():
            raise DomainError(
                ReceptionError.PAST, _("Who was on duty on a past day cannot be changed.")
            )
        wanted = {d.pk: d for d in deputies}
        current = set(day.duty.values_list("deputy_id", flat=True))
        for deputy in wanted.values():
            if deputy.pk not in members:
                raise DomainError(
                    ReceptionError.NOT_MEMBER,
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
                ReceptionError.UNAVAILABLE,
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


def _signup_day(actor: User, day: ReceptionDay) -> tuple[Deputy, ReceptionDay]:
    deputy = deputy_of(user=actor)
    if deputy is None:
        raise DomainError(ReceptionError.NOT_A_DEPUTY, _("Only deputies sign up for duty."))
    locked = (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("station", "rule")
        .filter(pk=day.pk, station__memberships__deputy=deputy)
        .first()
    )
    if locked is None:
        raise NotFound("not_found", _("Reception day not found."))
    day = locked
    if day.rule is None or day.rule.assignment != Assignment.SIGNUP:
        raise DomainError(
            ReceptionError.NOT_SIGNUP, _("The officer sets who is on duty on this day.")
        )
    if day.status == ReceptionStatus.CANCELLED:
        raise DomainError(ReceptionError.INVALID_STATUS, _("This day is cancelled."))
    if day.date < timezone.localdate():
        raise DomainError(ReceptionError.PAST, _("This day is past."))
    return deputy, day


def duty_signup(*, actor: User, day: ReceptionDay) -> tuple[Duty, bool]:
    """A deputy signs up for a sign-up day of their station; returns (duty, created).

    The day's row is locked, so two deputies taking the last place cannot both get it
    (capacity = the rule's deputies per day). Signing up twice returns the same duty."""
    with transaction.atomic():
        deputy, day = _signup_day(actor, day)
        existing = Duty.objects.filter(reception_day=day, deputy=deputy).first()
        if existing is not None:
            return existing, False
        capacity = day.rule.deputies_per_day  # type: ignore[union-attr]
        if Duty.objects.filter(reception_day=day).count() >= capacity:
            raise DomainError(
                ReceptionError.FULL,
                _("This day already has %(count)d deputies on duty.") % {"count": capacity},
            )
        if Unavailability.objects.filter(
            deputy=deputy, start__lte=day.date, end__gte=day.date
        ).exists():
            raise DomainError(
                ReceptionError.UNAVAILABLE,
                _("You have said you are not available that day."),
            )
        duty = Duty.objects.create(reception_day=day, deputy=deputy, source=DutySource.SIGNUP)
        audit_record(actor=actor, verb="duty.signup", target=duty, data={"day": day.pk})
    return duty, True


def duty_withdraw(*, actor: User, day: ReceptionDay) -> None:
    """A deputy withdraws their own sign-up from a coming day."""
    with transaction.atomic():
        deputy, day = _signup_day(actor, day)
        duty = Duty.objects.filter(
            reception_day=day, deputy=deputy, source=DutySource.SIGNUP
        ).first()
        if duty is None:
            raise NotFound("not_found", _("You are not signed up for this day."))
        audit_record(actor=actor, verb="duty.withdraw", target=duty, data={"day": day.pk})
        duty.delete()


# ---- reminders ----------------------------------------------------------------------------


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
                subject = _("Reminder: you are on duty %(day)s") % {"day": _day_label(day)}
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


# ---- reception records --------------------------------------------------------------------


@dataclass
class OfficialIn:
    """An official of a government department who joined the reception (国家机关负责人进站)."""

    name: str
    title: str = ""
    department: Department | None = None


def reception_record_save(
    *,
    actor: User,
    day: ReceptionDay,
    deputies_present: list[Deputy],
    citizens_received: int,
    summary: str = "",
    officials: list[OfficialIn] | None = None,
    case_ids: list[int] | None = None,
) -> ReceptionRecord:
    """Write (or rewrite) what happened on a reception day: who came, how many citizens were
    received, the officials who joined, and which of the station's cases of that day were
    taken at it (those link back to the day; the others linked before are unlinked)."""
    _require_manage(actor, day.station)
    if day.date > timezone.localdate():
        raise DomainError(
            ReceptionError.FUTURE, _("A record can be written on or after the day itself.")
        )
    if day.status == ReceptionStatus.CANCELLED:
        raise DomainError(ReceptionError.INVALID_STATUS, _("This day is cancelled."))
    if citizens_received < 0:
        raise DomainError(
            ReceptionError.INVALID_VALUE,
            _("The number of citizens cannot be negative."),
            field="citizens_received",
        )
    allowed = set(
        Deputy.objects.filter(memberships__station=day.station).values_list("id", flat=True)
    ) | set(day.duty.values_list("deputy_id", flat=True))
    for deputy in deputies_present:
        if deputy.pk not in allowed:
            raise DomainError(
                ReceptionError.NOT_MEMBER,
                _("%(name)s does not belong to this station.") % {"name": deputy.name},
                field="deputies_present",
            )
    officials = [o for o in (officials or []) if o.name.strip()]
    for official in officials:
        # The same rule as a case's assignment (core.scope): the station's line of areas only.
        if official.department is not None and not department_serves(
            official.department, day.station.area.path
        ):
            raise DomainError(
                ReceptionError.INVALID_VALUE,
                _("Select a valid choice. That choice is not one of the available choices."),
                field="officials",
            )
    with transaction.atomic():
        record, created = ReceptionRecord.objects.select_for_update().get_or_create(
            reception_day=day,
            defaults={"citizens_received": citizens_received, "recorded_by": actor},
        )
        record.citizens_received = citizens_received
        record.summary = summary
        record.recorded_by = actor
        record.save()
        record.deputies_present.set(deputies_present)
        # Duty points: each deputy present is credited once per day (a correction reverses).
        from lianluo.duty.services import points_for_reception

        points_for_reception(day=day, deputies=list(deputies_present), actor=actor)
        record.officials.all().delete()
        OfficialVisit.objects.bulk_create(
            [
                OfficialVisit(
                    record=record,
                    name=o.name.strip(),
                    title=o.title.strip(),
                    department=o.department,
                )
                for o in officials
            ]
        )
        if case_ids is not None:
            candidates = day.station.cases.filter(created_at__date=day.date)
            chosen = set(case_ids)
            unknown = (
                chosen
                - set(candidates.filter(pk__in=chosen).values_list("pk", flat=True))
                - set(day.cases.values_list("pk", flat=True))
            )
            if unknown:
                raise DomainError(
                    ReceptionError.INVALID_VALUE,
                    _("Only the station's cases of that day can be linked."),
                    field="cases",
                )
            day.cases.exclude(pk__in=chosen).update(reception_day=None)
            candidates.filter(pk__in=chosen).update(reception_day=day)
        audit_record(
            actor=actor,
            verb="reception_record.create" if created else "reception_record.change",
            target=record,
            data={
                "day": day.pk,
                "citizens": citizens_received,
                "deputies": sorted(d.pk for d in deputies_present),
                "officials": len(officials),
                "cases": sorted(case_ids or []),
            },
        )
    return record


# ---- holidays listed by a congress --------------------------------------------------------


def _require_congress(actor: User, congress: Congress) -> None:
    scope = scope_for(actor)
    if not scope.covers_path(congress.area.path, acting=True):
        raise NotFound("not_found", _("Congress not found."))


def holiday_save(*, actor: User, congress: Congress, day: date, name: str) -> Holiday:
    """List a holiday of a congress (its staff, or staff above it): generation skips it at the
    congress's stations and at those of every congress below."""
    _require_congress(actor, congress)
    name = name.strip()
    if not name:
        raise DomainError(ReceptionError.INVALID_VALUE, _("Give the holiday a name."), field="name")
    with transaction.atomic():
        holiday, created = Holiday.objects.update_or_create(
            congress=congress, date=day, defaults={"name": name}
        )
        audit_record(
            actor=actor,
            verb="holiday.create" if created else "holiday.change",
            target=holiday,
            data={"congress": congress.pk, "date": day.isoformat(), "name": name},
        )
    return holiday


def holiday_delete(*, actor: User, holiday: Holiday) -> None:
    """Remove a listed holiday (days already generated are not added back by themselves)."""
    _require_congress(actor, holiday.congress)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="holiday.delete",
            target=holiday,
            data={"date": holiday.date.isoformat(), "name": holiday.name},
        )
        holiday.delete()


# ---- a deputy's own unavailability ----------------------------------------------------------


def unavailability_declare(
    *, actor: User, start: date, end: date, reason: str = ""
) -> tuple[Unavailability, list[ReceptionDay]]:
    """A deputy says they cannot be on duty from `start` to `end`: the rotation and sign-up
    skip them. Returns the coming days they are already on duty in that period; the officers
    of those stations are told, since only they change a published roster."""
    deputy = deputy_of(user=actor)
    if deputy is None:
        raise DomainError(ReceptionError.NOT_A_DEPUTY, _("Only deputies declare this."))
    if end < start:
        raise DomainError(
            ReceptionError.INVALID_PERIOD, _("The end must not be before the start."), field="end"
        )
    if end < timezone.localdate():
        raise DomainError(ReceptionError.PAST, _("This period is past."), field="end")
    with transaction.atomic():
        row = Unavailability.objects.create(
            deputy=deputy, start=start, end=end, reason=reason.strip()[:200]
        )
        clashes = list(
            ReceptionDay.objects.filter(
                duty__deputy=deputy,
                date__range=(max(start, timezone.localdate()), end),
                status__in=[ReceptionStatus.DRAFT, ReceptionStatus.PUBLISHED],
            )
            .select_related("station")
            .order_by("date", "start")
        )
        audit_record(
            actor=actor,
            verb="unavailability.declare",
            target=row,
            data={"clashes": [d.pk for d in clashes]},
        )
        for station_id in {d.station_id for d in clashes}:
            own = [d for d in clashes if d.station_id == station_id]
            officers = [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=Role.LIAISON, station_id=station_id, user__is_active=True
                ).select_related("user")
            ]
            with override("zh-hans"):
                subject = _("%(name)s cannot be on duty on %(days)s") % {
                    "name": deputy.name,
                    "days": "、".join(date_format(d.date, "Y-m-d") for d in own),
                }
            if officers:
                outbox_enqueue(
                    recipients=officers,
                    kind="duty_unavailable",
                    subject=subject,
                    body=reason.strip(),
                    link=reverse("stations:day", kwargs={"pk": own[0].pk}),
                )
    return row, clashes


def unavailability_withdraw(*, actor: User, row: Unavailability) -> None:
    """A deputy removes a period they declared."""
    deputy = deputy_of(user=actor)
    if deputy is None or row.deputy_id != deputy.pk:
        raise NotFound("not_found", _("Not found."))
    with transaction.atomic():
        audit_record(actor=actor, verb="unavailability.withdraw", target=row)
        row.delete()
