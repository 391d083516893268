"""Writes of reception rules: the days of the month, weekdays or market days a station receives."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import User
from lianluo.core.services import audit_record
from lianluo.stations import rules as R
from lianluo.stations.models import Assignment, ReceptionRule, RuleKind, Station
from lianluo.stations.services.common import ReceptionCode, station_require_manager


def _clean_rule(
    *, kind: str, values: list[Any], start: time, end: time, deputies_per_day: int, assignment: str
) -> list[Any]:
    if kind not in RuleKind.values:
        raise DomainError(ReceptionCode.INVALID_VALUE, _("Unknown kind of rule."), field="kind")
    if assignment not in Assignment.values:
        raise DomainError(
            ReceptionCode.INVALID_VALUE, _("Unknown kind of assignment."), field="assignment"
        )
    if end <= start:
        raise DomainError(
            ReceptionCode.INVALID_VALUE, _("The end must be after the start."), field="end"
        )
    if not 1 <= deputies_per_day <= 20:
        raise DomainError(
            ReceptionCode.INVALID_VALUE,
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
            ReceptionCode.INVALID_VALUE, messages[RuleKind(kind)], field="values"
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
    station_require_manager(actor, station)
    if rule is not None and rule.station_id != station.pk:
        raise NotFound(CoreCode.NOT_FOUND, _("Reception rule not found."))
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
            ReceptionCode.INVALID_VALUE,
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
    station_require_manager(actor, rule.station)
    with transaction.atomic():
        rule.active = active
        rule.save(update_fields=["active"])
        audit_record(
            actor=actor,
            verb="reception_rule.activate" if active else "reception_rule.deactivate",
            target=rule,
        )
    return rule
