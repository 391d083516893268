"""Form widgets every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (2026-12-02): `<input type=date>` reads
    nothing else, and Django would otherwise write the date in the page language's format (a
    saved date then shows as empty when a form is edited)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
