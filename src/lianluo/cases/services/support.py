"""我也遇到 ("me too"): a citizen says a published case's problem is theirs too.

Counted once per device and once per phone: the supporter is known only by keyed hashes (HMAC
under SECRET_KEY, so a leaked table names nobody and hashes of other installations do not
match), stored in `CaseSupport` rows whose unique constraints decide; the case's
`support_count` grows in the same transaction, in the database (F()).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case, CaseSupport
from lianluo.core.errors import DomainError
from lianluo.core.text import is_valid_phone, normalize_phone


def supporter_hash(kind: str, value: str) -> str:
    """The keyed hash a device id or a phone number is stored as ("" for nothing)."""
    if not value:
        return ""
    if kind == "phone":
        value = normalize_phone(value)
    message = f"lianluo.case_support:{kind}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Supported:
    count: int  # the case's support count now
    added: bool  # False when this device or phone had already said so


@transaction.atomic
def case_support_add(*, case: Case, device: str = "", phone: str = "") -> Supported:
    """Count one more citizen affected by `case` (the caller found it among the published
    cases and applied the throttle).

    `device` is the client's device id (the page's signed cookie, or what an app sends), `phone`
    optional; at least one is needed (422 `missing_field`), a phone must look like one (422
    `invalid_value` at `phone`). Already counted for this device or this phone: nothing
    changes (`added` False).
    """
    device = device.strip()[:200]
    phone = normalize_phone(phone or "")
    if phone and not is_valid_phone(phone):
        raise DomainError(
            CaseCode.INVALID_VALUE,
            _("Enter a phone number such as 13812345678."),
            field="phone",
        )
    if not device and not phone:
        raise DomainError(
            CaseCode.MISSING_FIELD, _("Say which device or phone this comes from."), field="device"
        )
    device_hash, phone_hash = supporter_hash("device", device), supporter_hash("phone", phone)
    seen = Q(pk__in=[])
    if device_hash:
        seen |= Q(device_hash=device_hash)
    if phone_hash:
        seen |= Q(phone_hash=phone_hash)
    added = False
    if not CaseSupport.objects.filter(seen, case=case).exists():
        try:
            with transaction.atomic():
                CaseSupport.objects.create(
                    case=case, device_hash=device_hash, phone_hash=phone_hash
                )
        except IntegrityError:  # the same tap twice at once: the other one counted
            pass
        else:
            Case.objects.filter(pk=case.pk).update(support_count=F("support_count") + 1)
            added = True
    count = Case.objects.values_list("support_count", flat=True).get(pk=case.pk)
    return Supported(count=count, added=added)
