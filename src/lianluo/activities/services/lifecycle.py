"""The activity's life: the station's theme of the month, then create, change, publish and
cancel (each one transaction with its audit entry; deputies are told through the outbox)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.activities.models import Activity, ActivityStatus, ActivityType, MonthlyTheme
from lianluo.activities.services.base import (
    ActivityCode,
    _link,
    _lock,
    _member_users,
    _refuse,
    _require_manage,
    _signed_up_users,
    _when,
)
from lianluo.activities.states import EDITABLE, TRANSITIONS
from lianluo.core.models import User
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.stations.models import Station

# ---- monthly theme ----------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def theme_set(
    *, actor: User, station: Station, month: date, title: str, description: str = ""
) -> MonthlyTheme:
    """Set the station's theme of the month (每月一主题); setting it again replaces it."""
    _require_manage(actor, station)
    title = title.strip()
    if not title:
        raise _refuse(ActivityCode.INVALID_VALUE, _("Give the theme."), field="title")
    theme, created = MonthlyTheme.objects.update_or_create(
        station=station,
        month=month_start(month),
        defaults={"title": title[:100], "description": description.strip()},
    )
    audit_record(
        actor=actor,
        verb="theme_set",
        target=theme,
        data={"station": station.code, "month": theme.month.isoformat(), "created": created},
    )
    return theme


# ---- the activity -----------------------------------------------------------------------------


class ActivityFields(TypedDict):
    """What the officer fills in for an activity, when it is created or changed."""

    type: str
    title: str
    place: str
    start: datetime
    end: datetime
    capacity: NotRequired[int | None]
    description: NotRequired[str]
    theme: NotRequired[MonthlyTheme | None]


def _cleaned(station: Station, fields: ActivityFields) -> dict[str, Any]:
    """The fields checked and trimmed, every one present (the optional ones at their default):
    the values to store on the activity."""
    type, start, end = fields["type"], fields["start"], fields["end"]
    title, place = fields["title"].strip(), fields["place"].strip()
    capacity, theme = fields.get("capacity"), fields.get("theme")
    if type not in ActivityType.values:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": type, "choices": ", ".join(ActivityType.values)},
            field="type",
        )
    if not title:
        raise _refuse(ActivityCode.INVALID_VALUE, _("Give the activity a title."), field="title")
    if not place:
        raise _refuse(ActivityCode.INVALID_VALUE, _("Say where it takes place."), field="place")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise _refuse(ActivityCode.INVALID_VALUE, _("Times need a time zone."), field="start")
    if end < start:
        raise _refuse(ActivityCode.INVALID_VALUE, _("The end comes before the start."), field="end")
    if capacity is not None and capacity < 1:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("The capacity is at least 1; leave it empty for no limit."),
            field="capacity",
        )
    if theme is not None and theme.station_id != station.pk:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("This theme belongs to another station."),
            field="theme",
        )
    return {
        "type": type,
        "title": title,
        "place": place,
        "start": start,
        "end": end,
        "capacity": capacity,
        "description": fields.get("description", "").strip(),
        "theme": theme,
    }


@transaction.atomic
def activity_create(*, actor: User, station: Station, **fields: Unpack[ActivityFields]) -> Activity:
    """A draft activity of the station; deputies see it once it is published."""
    _require_manage(actor, station)
    activity = Activity.objects.create(
        station=station,
        **_cleaned(station, fields),
        status=ActivityStatus.DRAFT,
        created_by=actor,
    )
    audit_record(
        actor=actor, verb="activity_create", target=activity, data={"station": station.code}
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: Activity, **fields: Unpack[ActivityFields]
) -> Activity:
    """Change a draft or published activity. The capacity never drops below the sign-ups
    already taken; when a published activity moves in time or place, the deputies who signed
    up are told."""
    activity = _lock(activity)
    _require_manage(actor, activity.station)
    if activity.status not in EDITABLE:
        raise _refuse(
            ActivityCode.INVALID_TRANSITION,
            _("A “%(status)s” activity cannot be changed.")
            % {"status": ActivityStatus(activity.status).label},
            status=409,
        )
    values = _cleaned(activity.station, fields)
    capacity = values["capacity"]
    taken = activity.signups.count()
    if capacity is not None and capacity < taken:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("%(count)d deputies have signed up already: the capacity cannot be lower.")
            % {"count": taken},
            field="capacity",
        )
    moved = (activity.start, activity.end, activity.place) != (
        values["start"],
        values["end"],
        values["place"],
    )
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    audit_record(actor=actor, verb="activity_update", target=activity, data={"moved": moved})
    if moved and activity.status == ActivityStatus.PUBLISHED:
        with override("zh-hans"):
            subject = _("Activity changed: %(title)s") % {"title": activity.title}
            body = f"{_when(activity.start)} · {activity.place}"
        outbox_enqueue(
            recipients=_signed_up_users(activity),
            kind="activity_changed",
            subject=subject,
            body=body,
            link=_link(activity),
        )
    return activity


def _transition(activity: Activity, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if activity.status not in sources:
        raise _refuse(
            ActivityCode.INVALID_TRANSITION,
            _("A “%(status)s” activity cannot be %(action)s.")
            % {
                "status": ActivityStatus(activity.status).label,
                "action": {
                    "publish": _("published"),
                    "cancel": _("cancelled"),
                    "record": _("recorded"),
                }[action],
            },
            status=409,
        )
    return target


@transaction.atomic
def activity_publish(*, actor: User, activity: Activity) -> Activity:
    """Open the activity for sign-up and tell the station's deputies (outbox)."""
    activity = _lock(activity)
    _require_manage(actor, activity.station)
    activity.status = _transition(activity, "publish")
    activity.published_at = timezone.now()
    activity.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, verb="activity_publish", target=activity)
    with override("zh-hans"):
        subject = _("New activity: %(title)s") % {"title": activity.title}
        body = f"{ActivityType(activity.type).label} · {_when(activity.start)} · {activity.place}"
    outbox_enqueue(
        recipients=_member_users(activity.station),
        kind="activity_published",
        subject=subject,
        body=body,
        link=_link(activity),
    )
    return activity


@transaction.atomic
def activity_cancel(*, actor: User, activity: Activity, reason: str = "") -> Activity:
    """Call the activity off; the deputies who signed up are told."""
    activity = _lock(activity)
    _require_manage(actor, activity.station)
    was_published = activity.status == ActivityStatus.PUBLISHED
    activity.status = _transition(activity, "cancel")
    activity.save(update_fields=["status"])
    audit_record(actor=actor, verb="activity_cancel", target=activity, data={"reason": reason})
    if was_published:
        with override("zh-hans"):
            subject = _("Activity cancelled: %(title)s") % {"title": activity.title}
        outbox_enqueue(
            recipients=_signed_up_users(activity),
            kind="activity_cancelled",
            subject=subject,
            body=reason or _when(activity.start),
            link=_link(activity),
        )
    return activity
