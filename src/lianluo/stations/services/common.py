"""What the station writes share: the refusal codes, who may run a station, a day's label."""

from __future__ import annotations

from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import User
from lianluo.stations.models import ReceptionDay, Station
from lianluo.stations.selectors import can_manage_station


class ReceptionCode(StrEnum):
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


def station_require_manager(actor: User, station: Station) -> None:
    """Refuse (as not found) an actor who does not run the station's reception days."""
    if not can_manage_station(actor, station):
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))


def day_label(day: ReceptionDay) -> str:
    return f"{date_format(day.date, 'Y-m-d')} {day.start:%H:%M}–{day.end:%H:%M}"
