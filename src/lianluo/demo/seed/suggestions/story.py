"""What every suggestion story shares: the clock set to a step's moment, the department
logins, and an item replied by one department."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock

from django.utils import timezone

from lianluo.cases.models import CaseEvent
from lianluo.core.models import Congress, Department, Role, RoleAssignment, User
from lianluo.demo.seed.base import demo_deputy_login, demo_today
from lianluo.deputies.models import Deputy
from lianluo.suggestions.models import Contact, Feedback, Reply, Suggestion
from lianluo.suggestions.services import suggestion_new, suggestion_transition

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

    def new(self, days: int, *, actor: User | None = None, **fields: Any) -> Suggestion:
        with self.at(days) as moment:
            item = suggestion_new(actor=actor or self.staff, **fields)
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


def replied(
    story: Story,
    deputy: Deputy,
    department: Department,
    *,
    title: str,
    text: str,
    category: str,
    days: tuple[int, int, int, int],
    code: str,
    reply: str,
    congress: Congress,
) -> Suggestion:
    """An item filed, registered, assigned to one department, contacted and replied, on the
    days (filed, registered, assigned, replied) ago; contacted halfway."""
    filed, registered, assigned, replied = days
    item = story.new(
        filed,
        actor=user_of(deputy),
        deputy=deputy,
        congress=congress,
        title=title,
        text=text,
        category=category,
    )
    story.step(item, "register", registered)
    story.step(item, "assign", assigned, lead=department)
    contacted = (assigned + replied) // 2
    story.step(
        item,
        "contact",
        contacted,
        actor=story.dept(department),
        method="phone",
        date=story.today - timedelta(days=contacted),
    )
    return story.step(item, "reply", replied, actor=story.dept(department), code=code, text=reply)
