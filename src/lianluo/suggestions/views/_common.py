"""What the suggestion pages share, and the one hook through which the apps above tell them
which of their records an item carries (cases: the citizens' cases it took up)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext_lazy as _

from lianluo.core.models import User
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.selectors import is_due_soon, is_overdue
from lianluo.suggestions.states import Action

# Actions whose plain label other apps translate otherwise ("Register" is 登记 at reception,
# "Withdraw" 取消报名 for activities): the pages name them without the ambiguity.
PAGE_LABELS: dict[str, object] = {
    Action.REGISTER: _("Register as a suggestion"),
    Action.WITHDRAW: _("Withdraw the suggestion"),
}


def action_label(action: str) -> str:
    if action in PAGE_LABELS:
        return str(PAGE_LABELS[action])
    if action == "remind":
        return str(_("Reminder sent"))
    return str(Action(action).label) if action in Action.values else action


# (viewer, item) -> [(label, url)]: filled by the apps above in their AppConfig.ready (as they
# connect to signals), because suggestions may not import them.
LinkedRecords = Callable[[User, Suggestion], list[tuple[str, str]]]
linked_records: list[LinkedRecords] = []


def linked_for(user: User, item: Suggestion) -> list[tuple[str, str]]:
    return [row for provider in linked_records for row in provider(user, item)]


def deadline_state(item: Suggestion, today: date) -> str:
    """ "overdue", "due_soon" or "" — the badge next to a deadline."""
    if is_overdue(item, today):
        return "overdue"
    if is_due_soon(item, today):
        return "due_soon"
    return ""


def days_overdue(item: Suggestion, today: date) -> int:
    return (today - item.deadline).days if item.deadline and is_overdue(item, today) else 0
