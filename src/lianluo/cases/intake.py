"""One intake path: the citizen's form on the station and deputy pages, the public API and the
reception record all validate a message with `CaseSubmitForm` (or a form built on
`CaseMessageForm`) and record it with `case_intake` → `case_submit`, the one place that checks the
idempotency key. One rule decides the station of a message addressed to a deputy
(`cases.selectors.deputy_intake_station`), and so the categories the form offers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from lianluo.cases.addressees import StaleAddressee, addressees_forget, intake_station_get
from lianluo.cases.errors import CaseCode
from lianluo.cases.forms import CaseSubmitForm
from lianluo.cases.models import Case
from lianluo.cases.selectors import deputy_intake_station
from lianluo.cases.services import case_submit
from lianluo.core.errors import CoreCode, DomainError
from lianluo.core.models import Congress, User
from lianluo.core.text import TEXT_TOO_LONG
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_public_get
from lianluo.stations.models import ReceptionDay, Station


def intake_addressee(
    *, station_code: str | None, deputy_code: str | None
) -> tuple[Station | None, Deputy | None]:
    """Who a message is sent to, by code: a station (active), else a deputy; 404 for an unknown
    code, 422 `missing_field` when neither is given."""
    if station_code:
        return intake_station_get(code=station_code), None
    if deputy_code:
        return None, deputy_public_get(code=deputy_code)
    raise DomainError(
        CaseCode.MISSING_FIELD, _("Give a station or a deputy code."), field="station"
    )


def intake_congress(*, station: Station | None, deputy: Deputy | None) -> Congress | None:
    """The congress the case will be numbered in, whose categories the form offers."""
    if station is None and deputy is not None:
        station = deputy_intake_station(deputy=deputy)
    return station.congress if station is not None else None


def intake_form(
    data: Any = None,
    files: Any = None,
    *,
    station: Station | None = None,
    deputy: Deputy | None = None,
    initial: dict[str, Any] | None = None,
) -> CaseSubmitForm:
    """The citizen's form for a message to this station or deputy."""
    congress = intake_congress(station=station, deputy=deputy)
    return CaseSubmitForm(data, files, congress=congress, initial=initial)


def intake_submission(
    form: forms.Form,
    *,
    station: Station | None = None,
    deputy: Deputy | None = None,
    channel: str | None = None,
    reception_day: ReceptionDay | None = None,
    occurred_at: date | datetime | None = None,
) -> dict[str, Any]:
    """The content arguments of `case_submit` from a valid form (the digest is taken over
    these); fields a smaller form lacks count as empty."""
    data = form.cleaned_data
    submission: dict[str, Any] = {
        "station": station,
        "deputy": deputy,
        "text": data["text"],
        "title": data.get("title", ""),
        "category": getattr(form, "category_obj", None),
        "category_text": getattr(form, "category_text", ""),
        "place": data.get("place", ""),
        "name": data.get("name", ""),
        "phone": data.get("phone", ""),
        "consent_publish": data.get("consent_publish", False),
        "photos": data.get("photos") or [],
    }
    # Only when given: a digest counts what was sent, and these are not sent by citizens.
    if channel is not None:
        submission["channel"] = channel
    if reception_day is not None:
        submission["reception_day"] = reception_day
    if occurred_at is not None:
        submission["occurred_at"] = occurred_at
    return submission


def intake_refusal(form: forms.Form) -> DomainError:
    """An invalid form's first error as the API answers it: 422 `text_too_long` or `invalid`,
    at its field."""
    name, errors = next(iter(form.errors.as_data().items()))
    error = errors[0]
    code = TEXT_TOO_LONG if error.code == TEXT_TOO_LONG else CoreCode.INVALID
    return DomainError(code, str(next(iter(error))), field=name)


def case_intake(
    *,
    form: forms.Form,
    station: Station | None = None,
    deputy: Deputy | None = None,
    channel: str | None = None,
    actor: User | None = None,
    reception_day: ReceptionDay | None = None,
    occurred_at: date | datetime | None = None,
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """Record the message of a valid form as a case; returns (case, created) as `case_submit`.

    An invalid form raises `intake_refusal(form)` (422). The key is `idempotency_key` if given
    (the page may reuse its session's key), else the form's own; `IdempotencyConflict` (409)
    comes from case_submit. `occurred_at` dates a matter recorded after the fact and
    `actor` is who recorded it (see cases.record).
    """
    if not form.is_valid():
        raise intake_refusal(form)
    key = idempotency_key or form.cleaned_data.get("idempotency_key") or None
    submission = intake_submission(
        form,
        station=station,
        deputy=deputy,
        channel=channel,
        reception_day=reception_day,
        occurred_at=occurred_at,
    )
    try:
        return case_submit(**submission, idempotency_key=key, actor=actor)
    except StaleAddressee:
        # The station changed since this process kept it: submit again with what the
        # database says now, read afresh and not kept (so this try is not checked against a
        # generation again); a closed station is a 404, as it would have been.
        addressees_forget()
        if station is not None:
            submission["station"] = intake_station_get(code=station.code, keep=False)
        return case_submit(**submission, idempotency_key=key, actor=actor)
