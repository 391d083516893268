"""One step of a suggestion's workflow, as the action functions see it, and the small readers
of its fields they share (suggestions.services.transitions runs the steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, Forbidden, one_of
from lianluo.core.models import Department, User
from lianluo.core.scope import department_serves, scope_for
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Assignment, Suggestion
from lianluo.suggestions.states import SuggestionStatus

S = SuggestionStatus


@dataclass
class Step:
    """One action on the locked item: what was asked, and what the action's function leaves for
    the event."""

    item: Suggestion
    actor: User
    action: str
    now: datetime
    today: date
    fields: dict[str, Any]
    roles: set[str]
    to_status: str | None = None
    public: bool = False
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def need(step: Step, name: str, message: str | None = None) -> Any:
    value = step.fields.get(name)
    if value in (None, "", []):
        raise DomainError(
            SuggestionCode.MISSING_FIELD, message or _("This field is required."), field=name
        )
    return value


def need_choice(step: Step, name: str, choices: type[models.TextChoices]) -> str:
    return one_of(need(step, name), choices.values, field=name)


def need_date(step: Step, name: str) -> date:
    value = need(step, name)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise DomainError(
                SuggestionCode.INVALID_VALUE, _("Enter a date as YYYY-MM-DD."), field=name
            ) from None
    if value > step.today:
        raise DomainError(
            SuggestionCode.INVALID_VALUE, _("This date is in the future."), field=name
        )
    return value  # type: ignore[no-any-return]


def department_named(step: Step, value: Any, name: str) -> Department:
    department: Department | None = value if isinstance(value, Department) else None
    if department is None:
        department = Department.objects.select_related("area").filter(code=str(value)).first()
    if department is None or not department_serves(department, step.item.congress.area.path):
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("“%(code)s” is not a department this congress assigns to.") % {"code": value},
            field=name,
        )
    return department


def my_assignments(step: Step) -> list[Assignment]:
    """The acting department's active assignments on the item (a user may handle for several
    departments; most handle for one)."""
    ids = scope_for(step.actor).department_ids
    return [a for a in step.item.assignments.all() if a.active and a.department_id in ids]


def my_assignment(step: Step, *roles: str) -> Assignment:
    mine = [a for a in my_assignments(step) if not roles or a.role in roles]
    if not mine:
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("Your department does not handle this part."))
    return mine[0]
