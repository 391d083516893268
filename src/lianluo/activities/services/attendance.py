"""Attendance: sign-up under a capacity, and QR check-in with time-limited signed codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.activities.models import Activity, ActivityStatus, Signup
from lianluo.activities.permissions import is_member
from lianluo.activities.services.base import (
    ActivityCode,
    _lock,
    _not_found,
    _refuse,
    _require_deputy,
    _require_manage,
    _when,
)
from lianluo.activities.states import OPEN
from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy

# Check-in codes are shown (and accepted) from this long before the start until the end.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)
_CHECKIN_SALT = "lianluo.activities.checkin"


# ---- sign-up ----------------------------------------------------------------------------------


def _take_seat(activity: Activity, deputy: Deputy) -> Signup:
    """Count and insert under the activity's row lock, so two last-seat requests cannot both
    win (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE transaction is the lock)."""
    if activity.capacity is not None:
        taken = Signup.objects.filter(activity=activity).count()
        if taken >= activity.capacity:
            raise _refuse(
                ActivityCode.FULL,
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
                    ActivityCode.NOT_OPEN,
                    _("This activity is not open for sign-up."),
                    status=409,
                )
            if activity.start <= timezone.now():
                raise _refuse(
                    ActivityCode.STARTED,
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
            ActivityCode.CHECKED_IN,
            _("You have checked in: your attendance stays recorded."),
            status=409,
        )
    if activity.start <= timezone.now():
        raise _refuse(
            ActivityCode.STARTED,
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
            ActivityCode.NOT_OPEN, _("This activity is not open for check-in."), status=409
        )
    opens = activity.start - CHECKIN_OPENS_BEFORE
    if now < opens:
        raise _refuse(
            ActivityCode.TOO_EARLY,
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
        ActivityCode.INVALID_TOKEN,
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
            ActivityCode.EXPIRED,
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
            ActivityCode.WRONG_ACTIVITY,
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
                ActivityCode.NOT_OPEN, _("This activity is not open for check-in."), status=409
            )
        if signup is None:
            if not is_member(deputy, activity.station):
                raise _refuse(
                    ActivityCode.NOT_MEMBER,
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
