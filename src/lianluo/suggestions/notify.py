"""Who hears of a suggestion's step at once, through the outbox (in the step's transaction):
staff of the congress when something waits for them, the departments when something is given to
them, the lead deputy when there is news for them. Subjects are in Chinese, the language of the
notices (the periodic reminders are in reminders.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.models import Role, User
from lianluo.core.selectors import users_with_role
from lianluo.core.services import outbox_enqueue
from lianluo.suggestions.models import Event, Suggestion
from lianluo.suggestions.states import Action


def _staff(item: Suggestion) -> list[User]:
    return users_with_role(Role.STAFF, area=item.congress.area)


def _departments(item: Suggestion) -> list[User]:
    ids = [a.department_id for a in item.assignments.all() if a.active]
    return users_with_role(Role.DEPARTMENT, department__in=ids) if ids else []


def _lead(item: Suggestion) -> list[User]:
    return users_with_role(Role.DEPUTY, deputy=item.deputy) if item.deputy_id else []


def _cosigners(item: Suggestion) -> list[User]:
    ids = [s.deputy_id for s in item.signers.all() if s.confirmed_at is None]
    return users_with_role(Role.DEPUTY, deputy__in=ids) if ids else []


def notify_step(item: Suggestion, event: Event) -> None:
    """The notices of one step (none for steps nobody waits on)."""
    action = event.action
    with override("zh-hans"):
        plan: list[tuple[list[User], str, str]] = []
        if action == Action.FILE:
            plan.append((_staff(item), "suggestion_filed", _("New suggestion to register")))
            plan.append((_cosigners(item), "suggestion_cosign", _("Please confirm co-signing")))
        elif action in (Action.REGISTER, Action.DECLINE, Action.MERGE):
            plan.append(
                (_lead(item), "suggestion_registration", _("Your suggestion: registration"))
            )
        elif action in (Action.ASSIGN, Action.REHANDLE) or (
            action == Action.DECIDE_CHANGE and event.data.get("accepted")
        ):
            plan.append(
                (_departments(item), "suggestion_assigned", _("Suggestion assigned to you"))
            )
        elif action in (Action.REQUEST_CHANGE, Action.REQUEST_EXTENSION):
            plan.append(
                (_staff(item), "suggestion_request", _("A department asks about a suggestion"))
            )
        elif action == Action.REPLY and event.data.get("complete"):
            plan.append(
                (
                    _lead(item),
                    "suggestion_replied",
                    _("Your suggestion was answered: please rate it"),
                )
            )
        elif action == Action.FURTHER_REPLY:
            plan.append(
                (_lead(item), "suggestion_replied", _("A further reply to your suggestion"))
            )
        elif action == Action.EXTEND:
            plan.append(
                (
                    _lead(item) + _departments(item),
                    "suggestion_extended",
                    _("Reply deadline extended"),
                )
            )
        elif action == Action.RATE:
            plan.append(
                (
                    _staff(item) + _departments(item),
                    "suggestion_rated",
                    _("The deputy rated the reply"),
                )
            )
        for recipients, kind, subject in plan:
            outbox_enqueue(
                recipients=recipients,
                kind=kind,
                subject=f"{subject}：{item.number or ''}",
                body=item.title,
                link=f"/suggestions/{item.number or f'd{item.pk}'}/",
            )
