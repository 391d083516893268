"""Row errors of an import: stable codes and parameters, rendered in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lianluo.core.uploads import MESSAGES as UPLOAD_MESSAGES
from lianluo.onboarding.sheets.vocab import is_zh, vocab_label, vocab_labels

# ---- messages --------------------------------------------------------------------------------

# Stable codes → translated messages. Jobs store the code and its parameters, so the page shows
# each problem in the language of whoever reads it, not of whoever uploaded the file.
MESSAGES: dict[str, str | Promise] = {
    "required": gettext_lazy("This field is required."),
    "too_long": gettext_lazy("At most %(max)d characters (this has %(length)d)."),
    "bad_choice": gettext_lazy("“%(value)s” is not one of: %(allowed)s."),
    "bad_area_code": gettext_lazy("“%(value)s” is not a 12-digit area code."),
    "unknown_area": gettext_lazy("No area has the code “%(value)s”."),
    "area_out_of_scope": gettext_lazy("The area “%(value)s” is outside your area."),
    "unknown_parent_area": gettext_lazy(
        "No area has the code “%(value)s”, neither saved nor in this file."
    ),
    "area_code_level": gettext_lazy("The code “%(value)s” is not the code of a %(level)s."),
    "area_code_parent": gettext_lazy(
        "The code “%(value)s” does not begin with the digits of its parent area %(parent)s."
    ),
    "area_level_parent": gettext_lazy("A %(level)s cannot be placed under a %(parent_level)s."),
    "area_move": gettext_lazy(
        "The area “%(value)s” already exists under another parent area; an import "
        "does not move areas."
    ),
    "village_congress": gettext_lazy("A village or community has no people's congress."),
    "bad_code": gettext_lazy(
        "“%(value)s” is not a valid code: use letters, digits, - and _ (at most 32)."
    ),
    "unknown_station": gettext_lazy("No station has the code “%(value)s”."),
    "station_out_of_scope": gettext_lazy("The station “%(value)s” is outside your area."),
    "unknown_parent_station": gettext_lazy(
        "No station has the code “%(value)s”, neither saved nor in this file."
    ),
    "parent_self": gettext_lazy("A station cannot be its own parent."),
    "parent_cycle": gettext_lazy("The parent stations go round in a circle: %(value)s."),
    "parent_area": gettext_lazy(
        "The parent station “%(value)s” is neither in this station's area nor above it."
    ),
    # The hierarchy 站—室—家 (lianluo.stations.hierarchy).
    "parent_required": gettext_lazy(
        "A %(kind)s must be placed under a parent station: %(allowed)s."
    ),
    "parent_kind": gettext_lazy(
        "A %(kind)s cannot be placed under a %(parent)s; it belongs under: %(allowed)s."
    ),
    "child_kind": gettext_lazy(
        "A %(kind)s cannot have a %(child)s under it: move the %(child)s first."
    ),
    "unknown_congress": gettext_lazy("No people's congress is known as “%(value)s”."),
    "congress_not_above": gettext_lazy(
        "The congress “%(value)s” is neither of this station's area nor above it."
    ),
    "no_congress": gettext_lazy("No people's congress exists at or above this area: name one."),
    "bad_year": gettext_lazy("“%(value)s” is not a year between %(min)d and %(max)d."),
    "bad_phone": gettext_lazy("Enter a phone number such as 13812345678."),
    "bad_term": gettext_lazy("“%(value)s” is not a term number such as 14."),
    "duplicate_code": gettext_lazy(
        "The code “%(value)s” is already on row %(first)d of this file."
    ),
    "duplicate_phone": gettext_lazy(
        "The phone number %(value)s is already on row %(first)d of this file."
    ),
    "duplicate_person": gettext_lazy(
        "The same name and birth year are already on row %(first)d of this file."
    ),
    "duplicate_deputy": gettext_lazy(
        "Row %(first)d of this file already refers to the same deputy."
    ),
    "phone_taken": gettext_lazy("This phone number belongs to another deputy (code %(value)s)."),
    "ambiguous_phone": gettext_lazy(
        "Several deputies have the phone number %(value)s: give the code."
    ),
    "ambiguous_person": gettext_lazy(
        "Several deputies have this name and birth year: give the code."
    ),
    "deputy_out_of_scope": gettext_lazy(
        "The deputy “%(value)s” belongs only to stations outside your area."
    ),
    "not_identifiable": gettext_lazy(
        "Give a code, a phone number or a birth year, so that a later "
        "import finds this deputy again."
    ),
    "unknown_group": gettext_lazy("No deputy group in your area is named “%(value)s”."),
    "ambiguous_group": gettext_lazy(
        "Several deputy groups are named “%(value)s”: rename one of them."
    ),
    "mandate_incomplete": gettext_lazy("A mandate needs a level, a congress and a term."),
    "mandate_level": gettext_lazy("The congress “%(value)s” does not elect %(level)s deputies."),
    "mandate_twice": gettext_lazy("The second mandate repeats the first (same congress and term)."),
    # Past years' ledgers.
    "bad_date": gettext_lazy("“%(value)s” is not a date such as 2023-05-06."),
    "date_range": gettext_lazy("The date %(value)s is not between %(min)s and today."),
    "bad_time": gettext_lazy("“%(value)s” is not a time such as 9:00."),
    "time_order": gettext_lazy("The reception ends (%(end)s) before it starts (%(start)s)."),
    "unknown_station_ref": gettext_lazy("No station has the code or the name “%(value)s”."),
    "ambiguous_station": gettext_lazy("Several stations are named “%(value)s”: give the code."),
    "closed_before_received": gettext_lazy(
        "The closing date %(closed)s is before the date received %(received)s."
    ),
    "closed_not_closed": gettext_lazy(
        "A closing date is given, but the matter is not closed or declined."
    ),
    "rating_not_closed": gettext_lazy("A rating is given, but the matter is not closed."),
    "unknown_deputy": gettext_lazy("No deputy has the name or the code “%(value)s”."),
    "ambiguous_deputy": gettext_lazy(
        "Several deputies are named “%(value)s”: give the deputy code."
    ),
    "duplicate_reception": gettext_lazy(
        "Row %(first)d of this file is the same reception (station, date and start)."
    ),
    "bad_count": gettext_lazy("“%(value)s” is not a whole number of 0 or more."),
    "record_exists": gettext_lazy(
        "The station already has a reception record of %(value)s written on the platform; "
        "an import does not overwrite it."
    ),
    "missing_column": gettext_lazy("The column “%(value)s” is missing from the first row."),
    "no_rows": gettext_lazy("The sheet has no rows to import."),
    "too_many_rows": gettext_lazy("At most %(max)d rows can be imported at once."),
    "unreadable": gettext_lazy("The file could not be read as an Excel workbook (.xlsx)."),
    "expired": gettext_lazy("The uploaded file is no longer kept: upload it again."),
    "internal": gettext_lazy("The import stopped on an unexpected error; nothing was written."),
}


@dataclass
class RowError:
    row: int  # the spreadsheet's own row number (the header is row 1)
    column: str  # column key, "" for the whole row
    header: str  # the column's header as written in the file
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "code": self.code,
            "params": self.params,
            "message": render_message(self.code, self.params),
        }


def render_message(code: str, params: dict[str, Any]) -> str:
    """The message of an error code in the current language."""
    template = MESSAGES.get(code) or UPLOAD_MESSAGES.get(code)
    if template is None:
        return str(params.get("message", code))
    p = dict(params)
    if "vocab" in p:
        p["allowed"] = (
            "、".join(vocab_labels(p["vocab"])) if is_zh() else ", ".join(vocab_labels(p["vocab"]))
        )
    if code in ("parent_required", "parent_kind", "child_kind"):
        for name in ("kind", "parent", "child"):
            if name in p:
                label = vocab_label("station_kind", str(p[name]))
                p[name] = label if is_zh() else label.lower()
        labels = [vocab_label("station_kind", k) for k in p.get("allowed_kinds", [])]
        p["allowed"] = ("、" if is_zh() else ", ").join(labels)
    vocab = "mandate_level" if code == "mandate_level" else "area_level"
    for name in ("level", "parent_level"):
        if name in p:
            label = vocab_label(vocab, str(p[name]))
            p[name] = label if is_zh() else label.lower()
    try:
        return str(template) % p
    except (KeyError, TypeError, ValueError):
        return str(template)
