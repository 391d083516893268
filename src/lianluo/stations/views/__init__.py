"""Reception pages: officers run rules, generation, publication and the roster; deputies sign
up for duty; anyone subscribes to a station's or a deputy's calendar. The reception record's
pages are in lianluo.cases.reception.views (they file cases)."""

from lianluo.stations.views.calendar import deputy_ics, station_ics
from lianluo.stations.views.days import day_cancel, day_deputies, day_detail, day_publish
from lianluo.stations.views.duty import away_declare, away_withdraw, my_duties, signup, withdraw
from lianluo.stations.views.holidays import holiday_remove, holidays
from lianluo.stations.views.reception import (
    generate,
    publish,
    reception,
    reception_index,
    rule_active,
    rule_edit,
    rule_new,
    rule_text,
)

__all__ = [
    "away_declare",
    "away_withdraw",
    "day_cancel",
    "day_deputies",
    "day_detail",
    "day_publish",
    "deputy_ics",
    "generate",
    "holiday_remove",
    "holidays",
    "my_duties",
    "publish",
    "reception",
    "reception_index",
    "rule_active",
    "rule_edit",
    "rule_new",
    "rule_text",
    "signup",
    "station_ics",
    "withdraw",
]
