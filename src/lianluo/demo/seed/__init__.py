"""Demo data: one fictional county with its congress, townships in the "1+5" station shape,
60+ deputies over all five levels, departments, staff, and cases in every state.

Everything after the structure is built through the services, as a user would. Fictional
people, realistic structure. Used by `make demo` and by the browser tests.

The one import path for the seed is this package (`from lianluo.demo.seed import seed_demo`);
its parts, one module each: `structure` (with `reception`), `cases`, `activities`,
`onboarding`, `points`, `suggestions`, `board`, `projects` (livelihood projects and
votes).
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from lianluo.cases.models import Case
from lianluo.demo.seed.activities import seed_activities
from lianluo.demo.seed.base import DEMO_PASSWORD, SURNAMES
from lianluo.demo.seed.board import seed_board
from lianluo.demo.seed.cases import CASE_TEXTS, seed_cases
from lianluo.demo.seed.insights import seed_insights
from lianluo.demo.seed.loop import seed_loop
from lianluo.demo.seed.onboarding import seed_onboarding
from lianluo.demo.seed.points import seed_points
from lianluo.demo.seed.projects import seed_projects
from lianluo.demo.seed.structure import seed_structure
from lianluo.demo.seed.suggestions import seed_suggestions

__all__ = [
    "CASE_TEXTS",
    "DEMO_PASSWORD",
    "SURNAMES",
    "seed_board",
    "seed_demo",
    "seed_onboarding",
    "seed_structure",
]


@transaction.atomic
def seed_demo(*, cases: int = 45, seed: int = 2026, today: date | None = None) -> dict:
    """The whole demo, safe to run again over anything users made since (`make demo` runs it
    on every start). The rules a re-run follows:

    - a row is created only when its natural key (code, username, station and kind, …) is
      missing; a row that exists is never changed, whoever made it, so nothing a user edited
      is overwritten and nothing is deleted (a demo row a user deleted comes back);
    - nothing assumes a uniqueness the database does not enforce (reception rules, role
      assignments, the county-wide categories): those are checked with exists(), never get();
    - each part built through the services (cases, activities, checklist, masters, points,
      suggestions, board, projects) runs once, when its kind of record does not exist yet;
    - what keeps the demo current runs each time but only adds: the next 30 days of reception
      days are generated where missing, and the days of the demo's own rules published;
    - logins get the public demo password only when the seed creates them.

    One transaction: a seed that fails leaves nothing half-made. `today` is the date the demo
    is built around (the command passes the clock's)."""
    rng = random.Random(seed)
    ctx = seed_structure(rng, today=today)
    if not Case.objects.exists():
        ctx["cases"] = seed_cases(ctx, rng, cases)
    seed_activities(ctx)
    seed_onboarding(ctx, roster_file=True)
    seed_points(ctx)
    seed_suggestions(ctx)
    seed_board(ctx)
    seed_projects(ctx)
    seed_insights(ctx, today=ctx["today"])
    seed_loop(ctx)
    return ctx
