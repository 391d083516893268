"""Writes of station activities: monthly themes, the activity workflow, sign-up under a capacity,
QR check-in with time-limited codes, the record made afterwards, and the monthly reminder.

Every write is one transaction; each one that matters appends an audit entry (activities have no
event table of their own), and notifications go through the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    ActivityType,
    MonthlyReminder,
    MonthlyTheme,
    Signup,
)
from lianluo.activities.permissions import can_manage, is_member
from lianluo.activities.states import EDITABLE, OPEN, TRANSITIONS
from lianluo.cases.services import Photo
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Role, User
from lianluo.core.selectors import users_with_role
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user as deputy_of
from lianluo.stations.models import Station
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_create


class ActivityError:
    """Stable codes of activity refusals (the message is translated where raised)."""

    NOT_ALLOWED = "not_allowed"
    INVALID_VALUE = "invalid_value"
    INVALID_TRANSITION = "invalid_transition"
    NOT_OPEN = "not_open"  # not published (draft, cancelled, held) or already over
    STARTED = "started"  # sign-up and its cancellation close when the activity begins
    FULL = "full"  # every seat is taken
    NOT_MEMBER = "not_member"  # the deputy does not belong to the activity's station
    CHECKED_IN = "checked_in"  # a sign-up with a check-in is attendance, it stays
    TOO_EARLY = "too_early"  # check-in codes are shown from an hour before the start
    EXPIRED = "expired"  # the check-in code is older than its lifetime
    INVALID_TOKEN = "invalid_token"  # not a check-in code of ours (tampered, truncated)
    WRONG_ACTIVITY = "wrong_activity"  # a genuine code, of another activity


# Check-in codes are shown (and accepted) from this long before the start until the end.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)
_CHECKIN_SALT = "lianluo.activities.checkin"


def _refuse(
    code: str, message: str | Promise, *, status: int = 422, field: str | None = None
) -> DomainError:
    error = DomainError(code, message, field=field)
    error.status = status
    return error


def _not_found() -> NotFound:
    return NotFound("not_found", _("Activity not found."))


def _require_manage(actor: User, station: Station) -> None:
    if not can_manage(actor, station):
        raise _refuse(
            ActivityError.NOT_ALLOWED, _("You do not run this station's activities."), status=403
        )


def _require_deputy(actor: User) -> Deputy:
    deputy = deputy_of(actor)
    if deputy is None:
        raise _refuse(
            ActivityError.NOT_ALLOWED,
            _("Only deputies sign up and check in. Sign in with your deputy account."),
            status=403,
        )
    return deputy


def _lock(activity: Activity) -> Activity:
    """Re-read the activity under a row lock: seat counting and state changes wait here."""
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("station__area", "station__congress", "theme")
        .get(pk=activity.pk)
    )


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _link(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _member_users(station: Station) -> list[User]:
    """Users who act as a deputy grouped into the station."""
    return users_with_role(Role.DEPUTY, deputy__memberships__station=station)


def _officer_users(station: Station) -> list[User]:
    return users_with_role(Role.LIAISON, station=station)


def _signed_up_users(activity: Activity) -> list[User]:
    deputies = Signup.objects.filter(activity=activity).values("deputy_id")
    return users_with_role(Role.DEPUTY, deputy_id__in=deputies)


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
        raise _refuse(ActivityError.INVALID_VALUE, _("Give the theme."), field="title")
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


def _validate(
    *,
    station: Station,
    type: str,
    title: str,
    place: str,
    start: datetime,
    end: datetime,
    capacity: int | None,
    theme: MonthlyTheme | None,
) -> None:
    if type not in ActivityType.values:
        raise _refuse(
            ActivityError.INVALID_VALUE,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": type, "choices": ", ".join(ActivityType.values)},
            field="type",
        )
    if not title.strip():
        raise _refuse(ActivityError.INVALID_VALUE, _("Give the activity a title."), field="title")
    if not place.strip():
        raise _refuse(ActivityError.INVALID_VALUE, _("Say where it takes place."), field="place")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise _refuse(ActivityError.INVALID_VALUE, _("Times need a time zone."), field="start")
    if end < start:
        raise _refuse(
            ActivityError.INVALID_VALUE, _("The end comes before the start."), field="end"
        )
    if capacity is not None and capacity < 1:
        raise _refuse(
            ActivityError.INVALID_VALUE,
            _("The capacity is at least 1; leave it empty for no limit."),
            field="capacity",
        )
    if theme is not None and theme.station_id != station.pk:
        raise _refuse(
            ActivityError.INVALID_VALUE,
            _("This theme belongs to another station."),
            field="theme",
        )


@transaction.atomic
def activity_create(
    *,
    actor: User,
    station: Station,
    type: str,
    title: str,
    place: str,
    start: datetime,
    end: datetime,
    capacity: int | None = None,
    description: str = "",
    theme: MonthlyTheme | None = None,
) -> Activity:
    """A draft activity of the station; deputies see it once it is published."""
    _require_manage(actor, station)
    _validate(
        station=station,
        type=type,
        title=title,
        place=place,
        start=start,
        end=end,
        capacity=capacity,
        theme=theme,
    )
    activity = Activity.objects.create(
        station=station,
        type=type,
        title=title.strip(),
        place=place.strip(),
        start=start,
        end=end,
        capacity=capacity,
        description=description.strip(),
        theme=theme,
        status=ActivityStatus.DRAFT,
        created_by=actor,
    )
    audit_record(
        actor=actor, verb="activity_create", target=activity, data={"station": station.code}
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    type: str,
    title: str,
    place: str,
    start: datetime,
    end: datetime,
    capacity: int | None = None,
    description: str = "",
    theme: MonthlyTheme | None = None,
) -> Activity:
    """Change a draft or published activity. The capacity never drops below the sign-ups
    already taken; when a published activity moves in time or place, the deputies who signed
    up are told."""
    activity = _lock(activity)
    _require_manage(actor, activity.station)
    if activity.status not in EDITABLE:
        raise _refuse(
            ActivityError.INVALID_TRANSITION,
            _("A “%(status)s” activity cannot be changed.")
            % {"status": ActivityStatus(activity.status).label},
            status=409,
        )
    _validate(
        station=activity.station,
        type=type,
        title=title,
        place=place,
        start=start,
        end=end,
        capacity=capacity,
        theme=theme,
    )
    taken = activity.signups.count()
    if capacity is not None and capacity < taken:
        raise _refuse(
            ActivityError.INVALID_VALUE,
            _("%(count)d deputies have signed up already: the capacity cannot be lower.")
            % {"count": taken},
            field="capacity",
        )
    moved = (activity.start, activity.end, activity.place) != (start, end, place.strip())
    activity.type = type
    activity.title = title.strip()
    activity.place = place.strip()
    activity.start = start
    activity.end = end
    activity.capacity = capacity
    activity.description = description.strip()
    activity.theme = theme
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
            ActivityError.INVALID_TRANSITION,
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


# ---- sign-up ----------------------------------------------------------------------------------


def _take_seat(activity: Activity, deputy: Deputy) -> Signup:
    """Count and insert under the activity's row lock, so two last-seat requests cannot both
    win (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE transaction is the lock)."""
    if activity.capacity is not None:
        taken = Signup.objects.filter(activity=activity).count()
        if taken >= activity.capacity:
            raise _refuse(
                ActivityError.FULL,
                _("All %(capacity)d places are taken.") % {"capacity": activity.capacity},
                status=409,
            )
    return Signup.objects.create(activity=activity, deputy=deputy)


def signup_create(*, actor: User, activity: Activity) -> tuple[Signup, bool]:
    """Sign the acting deputy up; returns (sign-up, created). Signing up twice returns the first
    sign-up. Refused when the deputy is not of the station (as not found), the activity is not
    open or has begun, or every place is taken (code `full`)."""
    deputy = _require_deputy(actor)
    try:
        with transaction.atomic():
            activity = _lock(activity)
            if not is_member(deputy, activity.station) or activity.status == ActivityStatus.DRAFT:
                raise _not_found()
            existing = Signup.objects.filter(activity=activity, deputy=deputy).first()
            if existing is not None:
                return existing, False
            if activity.status not in OPEN:
                raise _refuse(
                    ActivityError.NOT_OPEN,
                    _("This activity is not open for sign-up."),
                    status=409,
                )
            if activity.start <= timezone.now():
                raise _refuse(
                    ActivityError.STARTED,
                    _("Sign-up closed when the activity began."),
                    status=409,
                )
            signup = _take_seat(activity, deputy)
            audit_record(
                actor=actor, verb="activity_signup", target=activity, data={"deputy": deputy.code}
            )
            return signup, True
    except IntegrityError:
        # A double tap raced past the lock (only possible without one): the first one counts.
        return Signup.objects.get(activity=activity, deputy=deputy), False


@transaction.atomic
def signup_cancel(*, actor: User, activity: Activity) -> bool:
    """Withdraw the acting deputy's sign-up before the activity begins; True if one was
    withdrawn. A checked-in sign-up is attendance and stays."""
    deputy = _require_deputy(actor)
    activity = _lock(activity)
    if not is_member(deputy, activity.station) or activity.status == ActivityStatus.DRAFT:
        raise _not_found()
    signup = Signup.objects.filter(activity=activity, deputy=deputy).first()
    if signup is None:
        return False
    if signup.checked_in_at is not None:
        raise _refuse(
            ActivityError.CHECKED_IN,
            _("You have checked in: your attendance stays recorded."),
            status=409,
        )
    if activity.start <= timezone.now():
        raise _refuse(
            ActivityError.STARTED,
            _("The activity has begun; ask the liaison officer to change your sign-up."),
            status=409,
        )
    signup.delete()
    audit_record(
        actor=actor, verb="activity_signup_cancel", target=activity, data={"deputy": deputy.code}
    )
    return True


# ---- QR check-in ------------------------------------------------------------------------------


def checkin_token_seconds() -> int:
    """How long a check-in code is accepted (LIANLUO_CHECKIN_TOKEN_SECONDS, default 600)."""
    return int(getattr(settings, "LIANLUO_CHECKIN_TOKEN_SECONDS", 600))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_CHECKIN_SALT)


def checkin_url(token: str) -> str:
    """The absolute address the QR code carries (the token's alphabet needs no escaping)."""
    return f"{settings.SITE_URL}{reverse('activities:checkin')}?t={token}"


@dataclass(frozen=True)
class CheckinCode:
    token: str
    url: str
    expires_at: datetime


def checkin_token_issue(*, actor: User, activity: Activity) -> CheckinCode:
    """A fresh check-in code for the officer's screen: the activity's id, signed with a
    timestamp. Issued from an hour before the start until the end of a published activity;
    each one is accepted for `checkin_token_seconds()`."""
    _require_manage(actor, activity.station)
    now = timezone.now()
    if activity.status not in OPEN or now > activity.end:
        raise _refuse(
            ActivityError.NOT_OPEN, _("This activity is not open for check-in."), status=409
        )
    opens = activity.start - CHECKIN_OPENS_BEFORE
    if now < opens:
        raise _refuse(
            ActivityError.TOO_EARLY,
            _("Check-in opens at %(time)s, an hour before the start.") % {"time": _when(opens)},
            status=409,
        )
    token = _signer().sign(str(activity.pk))
    return CheckinCode(
        token=token,
        url=checkin_url(token),
        expires_at=now + timedelta(seconds=checkin_token_seconds()),
    )


def _invalid_token() -> DomainError:
    return _refuse(
        ActivityError.INVALID_TOKEN,
        _("This is not a valid check-in code. Scan the code the liaison officer shows."),
        field="token",
    )


def checkin_token_activity_id(token: str) -> int:
    """The activity a genuine code names, whatever its age; refuses anything else."""
    try:
        value = _signer().unsign((token or "").strip())
        return int(value)
    except (signing.BadSignature, ValueError) as exc:
        raise _invalid_token() from exc


def _checkin_token_check_age(token: str) -> None:
    try:
        _signer().unsign(token.strip(), max_age=timedelta(seconds=checkin_token_seconds()))
    except signing.SignatureExpired as exc:
        raise _refuse(
            ActivityError.EXPIRED,
            _(
                "This check-in code has expired. Scan the code the liaison officer shows now: "
                "it is renewed every minute."
            ),
            field="token",
        ) from exc


def checkin_scan(*, actor: User, token: str, activity_id: int | None = None) -> tuple[Signup, bool]:
    """Check the acting deputy in with a scanned code; returns (sign-up, newly checked in).

    Refused, with the reason, when the code is not ours or was tampered with (`invalid_token`),
    names another activity than the one expected (`wrong_activity`), is older than its
    lifetime (`expired`), or the activity is not open. A deputy who did not sign up is signed up
    on the spot if they belong to the station and a place is free. Checking in twice is
    harmless: the first time stands.
    """
    pk = checkin_token_activity_id(token)
    if activity_id is not None and pk != activity_id:
        raise _refuse(
            ActivityError.WRONG_ACTIVITY,
            _("This check-in code belongs to another activity."),
            field="token",
        )
    _checkin_token_check_age(token)
    deputy = _require_deputy(actor)
    with transaction.atomic():
        found = Activity.objects.filter(pk=pk).first()
        if found is None:
            raise _invalid_token()  # the activity was deleted: the code means nothing now
        activity = _lock(found)
        signup = Signup.objects.filter(activity=activity, deputy=deputy).first()
        if signup is not None and signup.checked_in_at is not None:
            return signup, False
        if activity.status not in OPEN:
            raise _refuse(
                ActivityError.NOT_OPEN, _("This activity is not open for check-in."), status=409
            )
        if signup is None:
            if not is_member(deputy, activity.station):
                raise _refuse(
                    ActivityError.NOT_MEMBER,
                    _(
                        "You are not a deputy of %(station)s. Ask the liaison officer to "
                        "record your attendance."
                    )
                    % {"station": activity.station.name},
                    status=403,
                )
            signup = _take_seat(activity, deputy)
        signup.checked_in_at = timezone.now()
        signup.save(update_fields=["checked_in_at"])
        audit_record(
            actor=actor, verb="activity_checkin", target=activity, data={"deputy": deputy.code}
        )
        # Duty points: checking in credits the deputy once per activity.
        from lianluo.duty.services import points_for_activity

        points_for_activity(activity=activity, deputies=[deputy], actor=actor, complete=False)
        return signup, True


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
            ActivityError.INVALID_TRANSITION,
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
            ActivityError.INVALID_VALUE,
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
            ActivityError.INVALID_VALUE,
            _("A suggestion of another congress cannot be linked here."),
            field="suggestions",
        )
    for draft in new_suggestions:
        if not draft.title.strip() or not draft.text.strip():
            raise _refuse(
                ActivityError.INVALID_VALUE,
                _("A new suggestion needs a title and a text."),
                field="new_suggestion",
            )
        if draft.deputy is not None and draft.deputy.pk not in people:
            raise _refuse(
                ActivityError.INVALID_VALUE,
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
