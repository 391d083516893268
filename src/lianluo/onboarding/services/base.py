"""What the onboarding writes share: the refusal codes and the station manager's check."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from lianluo.core.errors import Forbidden
from lianluo.core.models import User
from lianluo.onboarding.permissions import can_manage_station, can_see_station
from lianluo.stations.models import Station
from lianluo.stations.services import station_require_manager


class OnboardingCode(StrEnum):
    """Stable codes of onboarding refusals (the message is translated where raised)."""

    NOT_ALLOWED = "not_allowed"
    NOT_READY = "not_ready"
    INVALID_VALUE = "invalid_value"
    NOT_A_CANDIDATE = "not_a_candidate"


def _require_manager(actor: User, station: Station) -> None:
    """The stations' manager check, but a station the actor may read is forbidden (403), not
    hidden: whoever manages a station also sees it."""
    if can_see_station(actor, station) and not can_manage_station(actor, station):
        raise Forbidden(OnboardingCode.NOT_ALLOWED, _("You may only look at this station."))
    station_require_manager(actor, station)
