"""Every figure, defined once: what it counts, and the date that places it in a period.

The public station page, the station-of-the-year scorecard, the dashboard, the stats API and the
briefing all read their numbers here; nothing else counts cases, receptions or activities.

A target is an area (with every area below it) or one station; a period is two local dates, both
inclusive. Counts are the events of the period, each placed by its own date:

- received: cases submitted in the period (their `created_at`), by channel. A case passed up to
  the congress above is the same matter: its copy upstairs (channel "escalation") is never
  counted again, so a matter counts once, where it was received.
- accepted, closed: cases accepted (`accepted_at`), closed out (销号, `closed_at`) in the period.
- answered on the spot, assigned, escalated, converted: cases with that step in the period (a
  case assigned twice, before and after a reopening, counts once).
- closed on time: of the cases closed in the period, those answered by their deadline (a case
  without a deadline was answered when it was accepted).
- rated, satisfied, basically satisfied, dissatisfied: the standing rating of the cases closed in
  the period (a reopened case counts with the rating it closed with, once).
- overdue: cases waiting for an answer whose deadline has passed, now (not a period figure).
- receptions: reception days in the period that were held, i.e. have their record (接待记录);
  citizens received: the sum of those records' head counts.
- activities: station activities held (status done) that started in the period.
- suggestions formed: the deputies' suggestions that cases of the target were converted into in
  the period (several cases carried by one suggestion count once).
- deputies, deputies active: the deputies grouped into the target's stations, and those of them
  present at a held reception day or checked in at an activity of those stations in the period.

Rates are percentages with one decimal, None ("—") when there is nothing to divide:
- 办结率 closure rate: of the cases received in the period and accepted by its end, the share
  closed out by its end (a cohort: it never passes 100 %);
- 按时办结率 on-time rate: closed on time ÷ closed;
- 满意率 satisfaction rate: (satisfied + basically satisfied) ÷ rated;
- participation rate: deputies active ÷ deputies.
"""

from lianluo.insights.figures.counting import (
    Figures,
    activities_held,
    case_records,
    deputies_taking_part,
    figures_of,
    figures_of_areas,
    figures_of_stations,
    figures_of_targets,
    receptions_held,
)
from lianluo.insights.figures.definitions import (
    CASE_FIGURES,
    CHANNELS,
    DEFINITIONS,
    EVENT_FIGURES,
    OTHER_FIGURES,
    RATES,
    Definition,
    rate,
)
from lianluo.insights.period import Period, Target

__all__ = [
    "CASE_FIGURES",
    "CHANNELS",
    "DEFINITIONS",
    "EVENT_FIGURES",
    "OTHER_FIGURES",
    "RATES",
    "Definition",
    "Figures",
    "Period",
    "Target",
    "activities_held",
    "case_records",
    "deputies_taking_part",
    "figures_of",
    "figures_of_areas",
    "figures_of_stations",
    "figures_of_targets",
    "rate",
    "receptions_held",
]
