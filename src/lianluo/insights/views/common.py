"""What every dashboard page reads from its query: the target (scoped) and the period."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lianluo.core.errors import DomainError, form_error
from lianluo.core.http import AuthedRequest
from lianluo.insights.dashboard import preset_period
from lianluo.insights.figures import Period, Target
from lianluo.insights.forms import PeriodForm
from lianluo.insights.selectors import period_from, target_for

DEFAULT_PRESET = "this_year"


@dataclass
class Asked:
    form: PeriodForm
    target: Target
    period: Period | None  # None when the dates were refused (the form says why)
    preset: str


def asked(request: AuthedRequest, *, default: str = DEFAULT_PRESET) -> Asked:
    """The target the viewer asks for (403 outside their scope, 404 unknown: raised, and
    shown as those pages by the middleware) and the period: a preset, or the dates given."""
    g = request.GET
    target = target_for(request.user, g.get("scope"))
    preset = g.get("period", "")
    raw_from, raw_to = g.get("from", ""), g.get("to", "")
    if not preset and not (raw_from or raw_to):
        preset = default
    period = preset_period(preset, timezone.localdate())
    data = {"scope": target.code, "period": preset or "custom", "from": raw_from, "to": raw_to}
    error: DomainError | None = None
    if period is None:
        data["period"] = "custom"
        try:
            period = period_from(raw_from or None, raw_to or None)
        except DomainError as exc:
            error = exc
    if period is not None:
        data.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    form = PeriodForm(data)
    form.is_valid()
    if error is not None:
        form_error(form, error)
    return Asked(form=form, target=target, period=period, preset=data["period"])
