"""What every activity write shares: the refusal codes, the permission checks, the row lock,
and who is told."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lianluo.activities.models import Activity, Signup
from lianluo.activities.permissions import can_manage
from lianluo.core.errors import Conflict, CoreCode, DomainError, Forbidden, NotFound
from lianluo.core.models import Role, User
from lianluo.core.selectors import users_with_role
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user as deputy_of
from lianluo.stations.models import Station


class ActivityCode(StrEnum):
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


_BY_STATUS: dict[int, type[DomainError]] = {403: Forbidden, 404: NotFound, 409: Conflict}


def _refuse(
    code: str, message: str | Promise, *, status: int = 422, field: str | None = None
) -> DomainError:
    """The refusal as the error class of its status (a page lets a 403/404 through to the
    middleware; the API answers with the class's status)."""
    return _BY_STATUS.get(status, DomainError)(code, message, field=field)


def _not_found() -> NotFound:
    return NotFound(CoreCode.NOT_FOUND, _("Activity not found."))


def _require_manage(actor: User, station: Station) -> None:
    if not can_manage(actor, station):
        raise _refuse(
            ActivityCode.NOT_ALLOWED, _("You do not run this station's activities."), status=403
        )


def _require_deputy(actor: User) -> Deputy:
    deputy = deputy_of(actor)
    if deputy is None:
        raise _refuse(
            ActivityCode.NOT_ALLOWED,
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
