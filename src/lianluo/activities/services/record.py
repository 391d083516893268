"""After the activity: the record (attendance, photos, suggestions, duty points), and the
monthly reminder that announces the next month's activities."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    MonthlyReminder,
    MonthlyTheme,
    Signup,
)
from lianluo.activities.services.base import (
    ActivityCode,
    _lock,
    _member_users,
    _officer_users,
    _refuse,
    _require_manage,
    _when,
)
from lianluo.activities.services.lifecycle import _transition, month_start
from lianluo.cases.services import Photo
from lianluo.core.models import User
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_create

# ---- the record afterwards --------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionDraft:
    """A suggestion the activity produced, filed as a draft for the deputy named."""

    title: str
    text: str
    deputy: Deputy | None = None


@transaction.atomic
def activity_record(
    *,
    actor: User,
    activity: Activity,
    attended: Iterable[Deputy],
    summary: str,
    photos: Sequence[Photo] = (),
    suggestions: Iterable[Suggestion] = (),
    new_suggestions: Sequence[SuggestionDraft] = (),
) -> Activity:
    """Record what happened, once the activity has begun; marks it held (it may be recorded
    again to correct it).

    `attended` is the final attendance: QR check-ins stand unless the officer unticks them, and
    deputies ticked by hand (no phone, late) are added. Photos are appended (already re-encoded
    without EXIF by the form). Suggestions it produced are linked, new ones filed as drafts.
    """
    activity = _lock(activity)
    station = activity.station
    _require_manage(actor, station)
    target = _transition(activity, "record")
    now = timezone.now()
    if activity.start > now:
        raise _refuse(
            ActivityCode.INVALID_TRANSITION,
            _("An activity is recorded once it has begun."),
            status=409,
        )
    signups = {s.deputy_id: s for s in Signup.objects.filter(activity=activity)}
    wanted = {d.pk: d for d in attended}
    members_all = set(station.memberships.values_list("deputy_id", flat=True))
    members = members_all & set(wanted)
    strangers = [d.name for pk, d in wanted.items() if pk not in members and pk not in signups]
    if strangers:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("Not deputies of this station: %(names)s.") % {"names": ", ".join(strangers)},
            field="attended",
        )
    added, removed = [], []
    # Marked by hand: present at the activity, so stamped with its start (the audit entry
    # below keeps who marked whom, and when).
    marked_at = activity.start
    for pk, deputy in wanted.items():
        signup = signups.get(pk)
        if signup is None:
            Signup.objects.create(activity=activity, deputy=deputy, checked_in_at=marked_at)
            added.append(deputy.code)
        elif signup.checked_in_at is None:
            signup.checked_in_at = marked_at
            signup.save(update_fields=["checked_in_at"])
            added.append(deputy.code)
    for pk, signup in signups.items():
        if pk not in wanted and signup.checked_in_at is not None:
            signup.checked_in_at = None
            signup.save(update_fields=["checked_in_at"])
            removed.append(pk)
    # What the record may name is what its form offers: the station's deputies and those signed
    # up (the people of the activity), their suggestions to the station's congress.
    people = members_all | set(signups)
    linked = list(suggestions)
    foreign = [
        s
        for s in linked
        if s.congress_id != station.congress_id
        or (s.deputy_id is not None and s.deputy_id not in people)
    ]
    if foreign:
        raise _refuse(
            ActivityCode.INVALID_VALUE,
            _("A suggestion of another congress cannot be linked here."),
            field="suggestions",
        )
    for draft in new_suggestions:
        if not draft.title.strip() or not draft.text.strip():
            raise _refuse(
                ActivityCode.INVALID_VALUE,
                _("A new suggestion needs a title and a text."),
                field="new_suggestion",
            )
        if draft.deputy is not None and draft.deputy.pk not in people:
            raise _refuse(
                ActivityCode.INVALID_VALUE,
                _("Not deputies of this station: %(names)s.") % {"names": draft.deputy.name},
                field="new_deputy",
            )
        linked.append(
            suggestion_create(
                actor=actor,
                congress=station.congress,
                deputy=draft.deputy,
                title=draft.title.strip(),
                text=draft.text.strip(),
            )
        )
    if linked:
        activity.suggestions.add(*linked)
    for photo in photos:
        ActivityPhoto.objects.create(
            activity=activity,
            file=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.{photo.content_type[6:]}"),
            content_type=photo.content_type,
        )
    activity.summary = summary.strip()
    activity.status = target
    activity.save(update_fields=["summary", "status"])
    # Duty points: the final attendance is credited once each; those unticked are reversed.
    from lianluo.duty.services import points_for_activity

    points_for_activity(activity=activity, deputies=list(wanted.values()), actor=actor)
    audit_record(
        actor=actor,
        verb="activity_record",
        target=activity,
        data={
            "marked_present": added,
            "unmarked": removed,
            "attended": len(wanted),
            "photos": len(photos),
            "suggestions": [s.pk for s in linked],
        },
    )
    return activity


# ---- monthly reminders ------------------------------------------------------------------------


def monthly_reminders_send(*, today: date | None = None) -> int:
    """站内活动月提醒: each station's deputies and officers get one notification with the month's
    theme and published activities. Idempotent: a MonthlyReminder row, written in the same
    transaction as the outbox rows, marks the station and month done; a re-run, a run later in
    the month, or a second worker sends nothing twice. A station with nothing published yet
    is told so (a nudge for its officer). Returns the stations reminded."""
    today = today or timezone.localdate()
    month = month_start(today)
    next_month = (month + timedelta(days=32)).replace(day=1)
    lo = timezone.make_aware(datetime.combine(month, datetime.min.time()))
    hi = timezone.make_aware(datetime.combine(next_month, datetime.min.time()))
    done = MonthlyReminder.objects.filter(month=month).values("station_id")
    themes = {t.station_id: t for t in MonthlyTheme.objects.filter(month=month)}
    activities: dict[int, list[Activity]] = {}
    for a in Activity.objects.filter(
        status=ActivityStatus.PUBLISHED, start__gte=lo, start__lt=hi
    ).order_by("start"):
        activities.setdefault(a.station_id, []).append(a)
    due = Station.objects.filter(active=True).exclude(pk__in=done).order_by("pk")
    sent = 0
    for station in due:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    MonthlyReminder.objects.create(station=station, month=month)
            except IntegrityError:
                continue  # another run got there first
            theme = themes.get(station.pk)
            items = activities.get(station.pk, [])
            with override("zh-hans"):
                subject = _("%(station)s: activities in %(month)s") % {
                    "station": station.name,
                    "month": formats.date_format(month, "YEAR_MONTH_FORMAT"),
                }
                lines = []
                if theme is not None:
                    lines.append(_("Theme of the month: %(title)s") % {"title": theme.title})
                for a in items:
                    lines.append(f"· {_when(a.start)} {a.title}（{a.place}）")
                if not items:
                    lines.append(_("No activity is published for this month yet."))
            outbox_enqueue(
                recipients=_member_users(station) + _officer_users(station),
                kind="activity_monthly",
                subject=subject,
                body="\n".join(str(line) for line in lines),
                link=reverse("activities:list") + f"?station={station.code}",
            )
            sent += 1
    return sent
