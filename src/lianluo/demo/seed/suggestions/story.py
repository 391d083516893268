"""What every suggestion story shares: the clock set to a step's moment, the department
logins, and telling an item's story as data (its steps)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock

from django.utils import timezone

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.services.suggest import suggestion_file_from_cases
from lianluo.core.models import Congress, Department, Role, RoleAssignment, User
from lianluo.demo.seed.base import demo_deputy_login, demo_today
from lianluo.deputies.models import Deputy
from lianluo.suggestions.models import Contact, Feedback, Reply, Suggestion
from lianluo.suggestions.services import suggestion_new, suggestion_transition
from lianluo.suggestions.states import ACTORS

DEPARTMENT_LOGINS = ["dept", "dept2", "dept3"]
KEY_LEADERS = [
    ("县人大常委会副主任 陈立平", "县人大常委会城乡建设环境保护工作委员会"),
    ("县人大常委会主任 李国强", "县人大常委会财政经济工作委员会"),
    ("县人大常委会副主任 赵红英", "县人大常委会城乡建设环境保护工作委员会"),
]


class Story:
    """The seed's clock and actors: `step` takes one action `days` ago as `actor`."""

    def __init__(self, ctx: dict) -> None:
        self.today: date = demo_today(ctx)
        self.staff: User = ctx["staff"]
        # The demo's department logins (dept, dept2, dept3), by department code.
        self.depts: dict[str, User] = {
            ra.department.code: ra.user
            for ra in RoleAssignment.objects.filter(
                role=Role.DEPARTMENT, user__username__in=DEPARTMENT_LOGINS
            ).select_related("department", "user")
            if ra.department is not None
        }

    @contextmanager
    def at(self, days: int, hour: int = 10) -> Iterator[datetime]:
        moment = timezone.make_aware(
            datetime.combine(self.today - timedelta(days=days), time(hour))
        )
        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield moment

    def new(
        self, days: int, *, actor: User, cases: list[Case] | None = None, **fields: Any
    ) -> Suggestion:
        """File an item `days` ago (from citizens' cases, converting them, when given)."""
        with self.at(days) as moment:
            if cases:
                item = suggestion_file_from_cases(actor=actor, cases=cases, **fields)
            else:
                item = suggestion_new(actor=actor, **fields)
        settle(item, moment)
        return item

    def step(
        self, item: Suggestion, action: str, days: int, actor: User | None = None, **fields: Any
    ) -> Suggestion:
        with self.at(days, hour=10 + days % 6) as moment:
            item = suggestion_transition(
                actor=actor or self.staff, suggestion=item, action=action, **fields
            )
        settle(item, moment)
        return item

    def dept(self, department: Department) -> User:
        return self.depts[department.code]


def settle(item: Suggestion, moment: datetime) -> None:
    """Move the rows the step stamped with the real clock (model defaults) to its moment."""
    Reply.objects.filter(suggestion=item, at__gt=moment).update(at=moment)
    Feedback.objects.filter(suggestion=item, at__gt=moment).update(at=moment)
    Contact.objects.filter(assignment__suggestion=item, recorded_at__gt=moment).update(
        recorded_at=moment
    )
    carried = [item.pk, *item.merged.values_list("pk", flat=True)]
    CaseEvent.objects.filter(case__suggestion_id__in=carried, at__gt=moment).update(at=moment)


def user_of(deputy: Deputy) -> User:
    """The deputy's login (made when they have none: only the deputies a story uses get one)."""
    user = demo_deputy_login(deputy)
    assert user is not None, deputy.code
    return user


# (action, days ago, fields); `by` in the fields names who acts where the action leaves a
# choice: the co-signer who confirms, the department (default: the lead) that acts.
Steps = list[tuple[str, int, dict[str, Any]]]


def tell(
    story: Story, congress: Congress, deputy: Deputy, days: int, steps: Steps, **fields: Any
) -> Suggestion:
    """An item `deputy` files `days` ago (fields as `suggestion_new`), then each step. Who acts
    follows `ACTORS`: the lead deputy rates and withdraws, a co-signer confirms, a department
    contacts (by phone on the step's day unless told), sends its opinion, replies or asks for a
    change; staff take the rest."""
    item = story.new(days, actor=user_of(deputy), deputy=deputy, congress=congress, **fields)
    lead: Department | None = None
    for action, when, given in steps:
        more = dict(given)
        by = more.pop("by", None)
        roles = ACTORS[action]
        actor = story.staff
        if "cosigner" in roles:
            actor = user_of(by)
        elif "department" in roles:
            department = by or lead
            assert department is not None, "a department acts after the assignment"
            actor = story.dept(department)
        elif "author" in roles and "staff" not in roles:
            actor = user_of(deputy)
        if action == "assign":
            lead = more["lead"]
        if action == "contact":
            more = {"method": "phone", "date": story.today - timedelta(days=when), **more}
        item = story.step(item, action, when, actor=actor, **more)
    return item


def handled(
    department: Department,
    registered: int,
    assigned: int,
    replied: int | None = None,
    *,
    code: str = "A",
    reply: str = "",
) -> Steps:
    """Registered, assigned to one department and, when `replied` is given, contacted halfway
    and replied (days ago each)."""
    steps: Steps = [("register", registered, {}), ("assign", assigned, {"lead": department})]
    if replied is not None:
        steps.append(("contact", (assigned + replied) // 2, {}))
        steps.append(("reply", replied, {"code": code, "text": reply}))
    return steps
