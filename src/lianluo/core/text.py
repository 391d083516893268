"""Small text helpers shared by apps."""

from __future__ import annotations

import re

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


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "")


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE.match(value or ""))
