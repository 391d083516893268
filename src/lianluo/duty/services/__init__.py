"""Writes of the duty archive and points ledger (履职档案 · 积分管理).

Points are an append-only ledger (PointEntry). Three sources write it:

* automatic, from the platform event that did the work (`credit`): the services of the apps
  above call `points_credit_event` or a `points_for_*` hook inside their own transaction;
* registered by a liaison officer (or congress staff) with evidence: counted at once (`entries`);
* self-reported by the deputy: pending until an officer approves or rejects it (with a reason).

Corrections are reversing entries (`points_reverse`), never edits; a reversal reverses once.
The yearly cap of an item is applied when an entry starts to count: an entry that would pass the
cap is credited with the points that remain, and when nothing remains an automatic event credits
nothing, while a registration or an approval is refused with `cap_reached`. The catalog
(`catalog`) changes only what is credited afterwards.

The ledger imports no app above it: it knows events by their kind and key. The replay of a
year's events reads the apps that send them, so it lives above them (`lianluo.board.replay`).
"""

from lianluo.duty.services._common import MAX_RECREDITS, EvidenceFile, PointsCode
from lianluo.duty.services.catalog import catalog_copy_year, catalog_install_default, duty_item_save
from lianluo.duty.services.credit import (
    CASE_WORK,
    auto_item,
    case_worker,
    duty_report_submit,
    home_congress,
    points_credit_event,
    points_for_activity,
    points_for_case,
    points_for_case_record,
    points_for_reception,
    points_for_suggestion,
    points_withdraw_event,
    reverse_entry,
)
from lianluo.duty.services.entries import (
    points_register,
    points_reverse,
    points_self_report,
    points_verify,
)

__all__ = [
    "CASE_WORK",
    "MAX_RECREDITS",
    "EvidenceFile",
    "PointsCode",
    "auto_item",
    "case_worker",
    "catalog_copy_year",
    "catalog_install_default",
    "duty_item_save",
    "duty_report_submit",
    "home_congress",
    "points_credit_event",
    "points_for_activity",
    "points_for_case",
    "points_for_case_record",
    "points_for_reception",
    "points_for_suggestion",
    "points_reverse",
    "points_register",
    "points_self_report",
    "points_verify",
    "points_withdraw_event",
    "reverse_entry",
]
