"""The window of field records: a matter a deputy found on a visit, one taken at a reception,
one staff typed in, and a reception day's record may be dated back `LIANLUO_RECORD_PAST_DAYS`
days (30 by default), never ahead of today; older matters come in through the past-years import
(onboarding), which keeps their own dates and credits no points."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError

# The channels of a matter recorded by those who heard it (not sent by the citizen): the record
# page and `POST /cases` take only these; a recorded case with a deputy credits them.
RECORDED_CHANNELS = (Channel.VISIT, Channel.RECEPTION, Channel.STAFF)


def record_past_days() -> int:
    """How many days back a field record may be dated (LIANLUO_RECORD_PAST_DAYS, default 30)."""
    return max(0, int(getattr(settings, "LIANLUO_RECORD_PAST_DAYS", 30)))


def record_window_refusal(day: date, *, today: date | None = None) -> str:
    """'future' for a day after today, 'too_old' for one before the window, '' within it."""
    today = today or timezone.localdate()
    if day > today:
        return "future"
    if day < today - timedelta(days=record_past_days()):
        return "too_old"
    return ""


def record_window_message(refusal: str) -> str:
    """What the user reads for a refusal of `record_window_refusal`."""
    if refusal == "future":
        return _("The date cannot be in the future.")
    return _(
        "Only the last %(days)s days can be recorded here; older matters come in through the "
        "import of past years."
    ) % {"days": record_past_days()}


def occurred_moment(value: date | datetime | None, *, field: str = "occurred_at") -> datetime:
    """When a recorded matter occurred, as an aware moment within the window: a moment as given,
    a date as now (today) or noon of that day (a past day); none is now. 422 at `field` outside
    the window (`date_in_future`, `date_too_old`)."""
    now = timezone.now()
    if value is None:
        return now
    if isinstance(value, datetime):
        moment = value if timezone.is_aware(value) else timezone.make_aware(value)
        refusal = "future" if moment > now else record_window_refusal(timezone.localdate(moment))
    else:
        refusal = record_window_refusal(value)
        today = timezone.localdate(now)
        moment = now if value == today else timezone.make_aware(datetime.combine(value, time(12)))
    if refusal:
        code = CaseCode.DATE_IN_FUTURE if refusal == "future" else CaseCode.DATE_TOO_OLD
        raise DomainError(code, record_window_message(refusal), field=field)
    return moment
