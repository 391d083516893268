"""Cases built through the services: submitted with `case_submit`, then walked through
`case_transition` — a case in a later state is never written with `status=`."""

from __future__ import annotations

from typing import Any

from lianluo.cases.models import Case
from lianluo.cases.services import case_submit, case_transition
from lianluo.core.models import User
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station

Step = str | tuple[str, dict[str, Any]]


def case_walk(case: Case, *steps: Step, actor: User) -> Case:
    """Apply each step, an action or (action, fields), as `actor`."""
    for step in steps:
        action, fields = step if isinstance(step, tuple) else (step, {})
        case = case_transition(case=case, actor=actor, action=action, **fields)
    return case


def make_case(
    *steps: Step,
    station: Station | None = None,
    deputy: Deputy | None = None,
    actor: User | None = None,
    text: str = "村口路灯坏了",
    phone: str = "13812345678",
    name: str = "张三",
    **fields: Any,
) -> Case:
    """A case sent to `station` (or to `deputy`, whose station the intake rule picks), then
    walked through `steps` by `actor` (needed when there are steps)."""
    case, _created = case_submit(
        station=None if deputy else station,
        deputy=deputy,
        text=text,
        phone=phone,
        name=name,
        **fields,
    )
    if steps:
        assert actor is not None, "steps need an actor"
        case = case_walk(case, *steps, actor=actor)
    return case
