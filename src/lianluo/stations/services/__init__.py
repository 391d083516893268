"""Writes of station operations: reception rules, generated reception days, the duty roster
(rotation, sign-up, manual changes), publication with its lead time, reminders, holidays and a
deputy's unavailability. Every write takes the acting user and checks that they may make it.

The reception record (what happened on a day, the cases taken at it) files cases and credits
duty points, so it lives above both: `lianluo.cases.reception`."""

from lianluo.stations.services.common import ReceptionCode, day_label, station_require_manager
from lianluo.stations.services.days import (
    MAX_GENERATE_DAYS,
    GenerateResult,
    PublishResult,
    publish_refusal,
    reception_day_cancel,
    reception_day_publish,
    reception_day_set_deputies,
    reception_days_generate,
    reception_days_publish,
)
from lianluo.stations.services.holidays import holiday_delete, holiday_save
from lianluo.stations.services.reminders import duty_reminders_send, reminder_days
from lianluo.stations.services.rules import reception_rule_save, reception_rule_set_active
from lianluo.stations.services.signup import (
    duty_signup,
    duty_withdraw,
    unavailability_declare,
    unavailability_withdraw,
)

__all__ = [
    "MAX_GENERATE_DAYS",
    "GenerateResult",
    "PublishResult",
    "ReceptionCode",
    "day_label",
    "duty_reminders_send",
    "duty_signup",
    "duty_withdraw",
    "holiday_delete",
    "holiday_save",
    "publish_refusal",
    "reception_day_cancel",
    "reception_day_publish",
    "reception_day_set_deputies",
    "reception_days_generate",
    "reception_days_publish",
    "reception_rule_save",
    "reception_rule_set_active",
    "reminder_days",
    "station_require_manager",
    "unavailability_declare",
    "unavailability_withdraw",
]
