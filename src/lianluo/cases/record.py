"""A matter recorded by those who heard it (记录走访发现的问题): a deputy on a visit, a station's
liaison officer at a reception, congress staff at a desk. The page (`/ledger/record/`) and the
API (`POST /cases`) validate it with `FieldRecordForm` and record it with `case_record`, which
checks who may record where and for which deputy, then takes the one intake path
(`case_intake` → `case_submit`, which checks the date's window and credits the deputy)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianluo.cases.errors import CaseCode
from lianluo.cases.forms import CaseSubmitForm
from lianluo.cases.intake import case_intake, intake_refusal
from lianluo.cases.models import Case
from lianluo.cases.services.record import RECORDED_CHANNELS
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.widgets import DateInput
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.stations.models import ReceptionDay, ReceptionStatus, Station


class FieldRecordForm(CaseSubmitForm):
    """What the recorder types: the citizen's message as heard, where and when it occurred, the
    channel; the citizen's name and phone only if they gave them (and agreed)."""

    field_order = [
        "station",
        "deputy",
        "channel",
        "occurred_on",
        "text",
        "place",
        "title",
        "category",
        "name",
        "phone",
        "consent_publish",
        "photos",
        "idempotency_key",
    ]
    text_required = gettext_lazy("Describe the matter that was found.")

    # Chosen by code on the page; `case_record` checks them (the API sends them beside the form).
    station = forms.CharField(label=gettext_lazy("Station"), required=False, widget=forms.Select)
    deputy = forms.CharField(
        label=gettext_lazy("Deputy who found it"), required=False, widget=forms.Select
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("How it was found"),
        choices=[(c.value, c.label) for c in RECORDED_CHANNELS],
        initial=Channel.VISIT,
    )
    occurred_on = forms.DateField(
        label=gettext_lazy("Date it occurred"),
        required=False,
        widget=DateInput(),
    )

    def __init__(
        self,
        *args: Any,
        stations: list[Station] | None = None,
        deputies: list[Deputy] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        station_field: Any = self.fields["station"]
        station_field.widget.choices = [(s.code, s.name) for s in stations or []]
        deputy_field: Any = self.fields["deputy"]
        deputy_field.widget.choices = [("", _("— none —"))] + [
            (d.code, f"{d.name}（{d.code}）") for d in deputies or []
        ]
        self.fields["text"].label = _("The matter found")
        self.fields["text"].error_messages["required"] = self.text_required
        self.fields["name"].label = _("Citizen's name (if given, with consent)")
        self.fields["phone"].label = _("Citizen's phone (if given, with consent)")
        self.fields["consent_publish"].label = _(
            "The citizen agrees that the outcome may be published without their name"
        )
        self.fields["channel"].error_messages["invalid_choice"] = _(
            "Choose a visit, a reception or a staff entry."
        )


def record_stations(*, user: User) -> QuerySet[Station]:
    """The active stations where the user may record a matter: a deputy's own stations, a
    liaison officer's, and those in the areas congress staff act for."""
    scope = scope_for(user)
    qs = Station.objects.filter(active=True).select_related("area", "congress__area")
    if scope.everything:
        return qs.order_by("code")
    q = Q(pk__in=scope.station_ids)
    for path in scope.staff_paths:
        q |= Q(area__path__startswith=path)
    if scope.deputy_ids:
        q |= Q(memberships__deputy_id__in=scope.deputy_ids)
    return qs.filter(q).distinct().order_by("code")


def record_station_default(*, user: User) -> Station | None:
    """The station the page proposes: a deputy's primary station, else the first one."""
    stations = record_stations(user=user)
    deputy = deputy_for_user(user)
    if deputy is not None:
        primary = stations.filter(memberships__deputy=deputy, memberships__primary=True).first()
        if primary is not None:
            return primary
    return stations.first()


def record_station_get(*, user: User, code: str) -> Station:
    """A station the user may record at, by code: 403 `not_allowed` at `station` otherwise."""
    station = record_stations(user=user).filter(code=code).first() if code else None
    if station is None:
        raise Forbidden(
            CaseCode.NOT_ALLOWED, _("You may not record matters at this station."), field="station"
        )
    return station


def record_deputy(*, user: User, station: Station, code: str | None) -> Deputy | None:
    """The deputy a record is credited to: a deputy records for themselves (naming another is
    refused); staff may name one of the station's deputies, or none."""
    own = deputy_for_user(user)
    if own is not None and station.memberships.filter(deputy=own).exists():
        if code and code != own.code:
            raise DomainError(
                CaseCode.INVALID_VALUE, _("A deputy records for themselves."), field="deputy"
            )
        return own
    if not code:
        return None
    deputy = Deputy.objects.filter(code=code, memberships__station=station).first()
    if deputy is None:
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown deputy."), field="deputy")
    return deputy


def record_reception(*, station: Station, reception: int | None) -> ReceptionDay | None:
    """The station's reception day a record was taken at, or 422 at `reception`."""
    if reception is None:
        return None
    day = ReceptionDay.objects.filter(pk=reception, station=station).first()
    if day is None:
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown reception day."), field="reception")
    return day


def case_record(
    *,
    actor: User,
    form: FieldRecordForm,
    station_code: str,
    deputy_code: str | None = None,
    reception: int | None = None,
    occurred_at: date | datetime | None = None,
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """Record a matter heard in the field as a numbered case; returns (case, created).

    Refuses a station the actor may not record at (403 at `station`), an invalid form (422 at
    its field: a channel other than visit, reception or staff entry), a deputy outside the
    station's or other than the recording deputy (422 `deputy`), a reception day of another
    station (422 `reception`) and a date outside the window (422 `occurred_at`, in case_submit).
    """
    station = record_station_get(user=actor, code=station_code)
    if not form.is_valid():
        refusal = intake_refusal(form)
        if refusal.field == "occurred_on":
            refusal.field = "occurred_at"
        raise refusal
    deputy = record_deputy(user=actor, station=station, code=deputy_code)
    day = record_reception(station=station, reception=reception)
    when = occurred_at or form.cleaned_data.get("occurred_on")
    channel = form.cleaned_data["channel"]
    if day is not None and when is None:
        when = day.date if day.date != timezone.localdate() else None
    if day is None and channel == Channel.RECEPTION:
        # Taken at a reception: the station's day on that date, if there was one, links it.
        on = when.date() if isinstance(when, datetime) else (when or timezone.localdate())
        day = (
            ReceptionDay.objects.filter(station=station, date=on)
            .exclude(status=ReceptionStatus.CANCELLED)
            .order_by("start")
            .first()
        )
    return case_intake(
        form=form,
        station=station,
        deputy=deputy,
        channel=channel,
        actor=actor,
        reception_day=day,
        occurred_at=when,
        idempotency_key=idempotency_key,
    )
