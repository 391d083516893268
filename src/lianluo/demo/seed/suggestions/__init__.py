"""Deputy suggestions (代表建议) in every state, across departments and two congresses (the
county's and the 城关镇's), ideas and research reports, key suggestions with their progress log,
and two suggestions formed from citizens' cases that the citizens follow by their tracking code.

Every step goes through the services (`suggestion_new`, `suggestion_transition`,
`suggestion_file_from_cases`) at its own moment in the past: the clock the services read
(`django.utils.timezone.now`) is set to that moment for the step, and the few rows whose
timestamp is a model default (replies, ratings, contacts, the cases' timeline) are moved to it
afterwards, the way the case seed moves its cases into the past.
"""

from __future__ import annotations

from lianluo.cases.models import Case
from lianluo.core.models import Congress
from lianluo.demo.seed.base import demo_deputy_login
from lianluo.demo.seed.suggestions.citizens import suggestions_from_cases, township_suggestions
from lianluo.demo.seed.suggestions.county import county_suggestions
from lianluo.demo.seed.suggestions.story import Story
from lianluo.deputies.models import Deputy, Mandate
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import congresses_of
from lianluo.suggestions.states import ANSWERED

__all__ = ["seed_suggestions"]


def _seats(
    congress: Congress, n: int, *, but: list[Deputy], station_prefix: str = ""
) -> list[Deputy]:
    """`n` deputies of the congress (not those in `but`; grouped at a station whose code
    starts with `station_prefix`), those who can sign in first: only the few the stories use
    get a login made (each costs a password hash)."""
    ids = Mandate.objects.filter(congress=congress, active=True).values_list("deputy_id")
    found = Deputy.objects.filter(pk__in=ids).exclude(pk__in=[d.pk for d in but])
    if station_prefix:
        found = found.filter(memberships__station__code__startswith=station_prefix).distinct()
    chosen = sorted(found, key=lambda d: (d.user_id is None, d.code))[:n]
    return [d for d in chosen if demo_deputy_login(d) is not None]


def seed_suggestions(ctx: dict) -> None:
    """Suggestions in every state, built once: when no item has been registered yet (the
    converted cases' drafts and the research visit's filed suggestion come before this)."""
    ctx["suggestion_tracking_code"] = _tracking_code()
    if Suggestion.objects.exclude(registered_at=None).exists():
        return
    story = Story(ctx)
    county: Congress = ctx["county_congress"]
    town = Congress.objects.get(area=ctx["townships"][0])
    own: Deputy = ctx["deputy"]
    others = _seats(county, 5, but=[own])
    # The 河口 case's suggestion: by a county deputy grouped there (who may answer for it).
    hekou = _seats(county, 1, but=[own, *others], station_prefix="hk-")
    town_seats = _seats(town, 3, but=[own, *others])
    if (
        county not in congresses_of(own)
        or len(others) < 5
        or not hekou
        or len(town_seats) < 3
        or len(story.depts) < 3
    ):
        return  # the demo's deputies or logins were changed: these stories are not the demo's
    # Five county deputies write most items (a deputy files several a year).
    county_suggestions(story, county, own, (others * 4)[:18])
    township_suggestions(story, town, town_seats)
    suggestions_from_cases(story, ctx, county, own, hekou[0])
    ctx["suggestion_tracking_code"] = _tracking_code()


def _tracking_code() -> str:
    """A citizen's tracking code whose case a suggestion carries (answered ones first)."""
    cases = Case.objects.filter(suggestion__number__isnull=False).order_by("pk")
    case = cases.filter(suggestion__status__in=ANSWERED).first() or cases.first()
    return case.tracking_code if case else ""
