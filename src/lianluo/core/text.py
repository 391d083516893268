"""Small text helpers shared by apps."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE = re.compile(r"^\+?\d[\d\- ]{5,18}\d$")


def mask_phone(phone: str) -> str:
    """138****5678: keep the first 3 and last 4 digits of a mobile number."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return f"{'*' * (len(digits) - 4)}{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """张** : only the family name stays visible."""
    name = (name or "").strip()
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else ""


TEXT_TOO_LONG = "text_too_long"


def text_max_chars() -> int:
    """The one limit on a citizen's message (LIANLUO_TEXT_MAX_CHARS), for the public form, the
    API, the reception form and the counter under the textarea."""
    return int(settings.LIANLUO_TEXT_MAX_CHARS)


def text_check_length(text: str) -> None:
    """Refuse a message over the limit, saying both numbers (code `text_too_long`).

    Forms check this in `clean_text`, never with `max_length`: Django renders that as the
    textarea's `maxlength`, and a browser then silently cuts a longer paste."""
    limit = text_max_chars()
    if len(text) > limit:
        raise ValidationError(
            _(
                "A message can have at most %(limit)d characters; this one has %(count)d. "
                "Please shorten it and send it again."
            ),
            code=TEXT_TOO_LONG,
            params={"limit": limit, "count": len(text)},
        )


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "")


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE.match(value or ""))
