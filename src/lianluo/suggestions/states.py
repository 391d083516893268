"""The suggestion workflow (代表建议办理), declared once: kinds, states, actions, the transition
table, the groups that lists and dashboards use, and the guards beyond the table.

A deputy's suggestion runs filed → registered (立案) → assigned (交办) → replied (答复) → rated
(满意度测评) → closed, with re-handling (重新办理) after a first dissatisfied rating and a
face-to-face meeting after a second. Ideas (金点子) and research reports (调研成果) take the
lighter road filed → registered → adopted / not adopted → closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")  # 代表建议 (a motion treated as one included)
    IDEA = "idea", _("Idea")  # 金点子
    RESEARCH = "research", _("Research report")  # 调研成果


class Period(models.TextChoices):
    SESSION = "session", _("During the session")  # 大会期间
    RECESS = "recess", _("During the recess")  # 闭会期间


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # written (or made from a case), not yet filed
    FILED = "filed", _("Filed")  # with the congress, waiting for registration
    REGISTERED = "registered", _("Registered")  # 立案: accepted, waiting for assignment
    DECLINED = "declined", _("Not registered")  # 不予立案: a deputy letter, or returned
    MERGED = "merged", _("Merged")  # 并案: answered through the suggestion it joined
    ASSIGNED = "assigned", _("Assigned")  # 交办: departments are handling it
    REPLIED = "replied", _("Replied")  # 答复: waiting for the lead deputy's rating
    RATED = "rated", _("Rated")  # the lead deputy rated the reply
    REHANDLING = "rehandling", _("Being handled again")  # 重新办理 after dissatisfaction
    ADOPTED = "adopted", _("Adopted")  # ideas and reports: taken up
    NOT_ADOPTED = "not_adopted", _("Not adopted")  # ideas and reports: not taken up
    CLOSED = "closed", pgettext_lazy("suggestion status", "Closed")  # 办结 (a case's is 销号)
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the author withdrew it in writing


class Action(models.TextChoices):
    FILE = "file", _("File")
    COSIGN = "cosign", _("Confirm co-signing")
    COSIGN_REFUSE = "cosign_refuse", _("Decline co-signing")
    REGISTER = "register", pgettext_lazy("suggestion action", "Register")  # 立案
    DECLINE = "decline", _("Do not register")
    MERGE = "merge", _("Merge into another")
    ASSIGN = "assign", _("Assign")
    REQUEST_CHANGE = "request_change", _("Ask to change the assignment")
    DECIDE_CHANGE = "decide_change", _("Decide on the change request")
    OFFICER = "officer", _("Name the responsible leader and officer")
    CONTACT = "contact", _("Record contact with the deputy")
    OPINION = "opinion", _("Send the co-department's opinion")
    REQUEST_EXTENSION = "request_extension", _("Ask for more time")
    EXTEND = "extend", _("Extend the deadline")
    REPLY = "reply", _("Reply")
    FURTHER_REPLY = "further_reply", _("Further reply")
    RATE = "rate", _("Rate the reply")
    REHANDLE = "rehandle", _("Send back for handling again")
    MEET = "meet", _("Record the face-to-face meeting")
    MARK_KEY = "mark_key", _("Mark as a key suggestion")
    PROGRESS = "progress", _("Log progress")
    ADOPT = "adopt", _("Adopt")
    NOT_ADOPT = "not_adopt", _("Do not adopt")
    OUTCOME = "outcome", pgettext_lazy("suggestion action", "Record the outcome")
    CLOSE = "close", _("Close")
    WITHDRAW = "withdraw", pgettext_lazy("suggestion action", "Withdraw")


class Mode(models.TextChoices):
    LEAD = "lead", _("Lead department with co-departments")  # 主办 + 协办/会办
    SEPARATE = "separate", _("Separate handling")  # 分办: each replies for its part


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead department")  # 主办
    CO = "co", _("Co-department")  # 协办
    SEPARATE = "separate", _("Handles its part")  # 分办


class ContactMethod(models.TextChoices):
    FACE = "face", _("Face to face")  # 面商
    PHONE = "phone", _("Phone")  # 电话
    MEETING = "meeting", _("Meeting")  # 座谈


class SuggestionRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    NO_ANSWER = "no_answer", _("No answer within the time")  # never counted as satisfied


class DeclineReason(models.TextChoices):
    """Why an item is not registered as a suggestion (不予立案的情形)."""

    OUTSIDE_POWERS = "outside_powers", _("Outside this level's powers")
    PERSONAL = "personal", _("The deputy's own or relatives' personal matter")
    JUDICIAL = "judicial", _("A specific judicial case")
    FORWARDED_LETTER = "forwarded_letter", _("A letter from the public, forwarded")
    ACADEMIC = "academic", _("Academic discussion")
    PROMOTION = "promotion", _("Promotion of a product, firm or person")
    NO_CONTENT = "no_content", _("No real content")
    OTHER = "other", _("Other")


class DeclineOutcome(models.TextChoices):
    LETTER = "letter", _("Handled as a deputy letter")  # 转为代表来信
    RETURNED = "returned", _("Returned to the deputy")  # 退回


class Category(models.TextChoices):
    ECONOMY = "economy", _("Economy and finance")
    URBAN_RURAL = "urban_rural", _("Urban and rural construction")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    EDUCATION = "education", _("Education, science and culture")
    HEALTH = "health", _("Health and social security")
    ENVIRONMENT = "environment", _("Environment and resources")
    TRANSPORT = "transport", _("Transport")
    LAW = "law", _("Law, public security and government")
    OTHER = "other", _("Other")


S = SuggestionStatus
A = Action

# States in which departments handle the item (the answer deadline applies).
HANDLING = frozenset({S.ASSIGNED, S.REHANDLING})
# Withdrawal is possible until the departments have replied.
WITHDRAWABLE = frozenset({S.DRAFT, S.FILED, S.REGISTERED, S.ASSIGNED})

# action -> (states it may start from, state it leads to; None: the state does not change)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    A.FILE: (frozenset({S.DRAFT}), S.FILED),
    A.COSIGN: (frozenset({S.DRAFT, S.FILED}), None),
    A.COSIGN_REFUSE: (frozenset({S.DRAFT, S.FILED}), None),
    A.REGISTER: (frozenset({S.FILED}), S.REGISTERED),
    A.DECLINE: (frozenset({S.FILED}), S.DECLINED),
    A.MERGE: (frozenset({S.FILED, S.REGISTERED}), S.MERGED),
    A.ASSIGN: (frozenset({S.REGISTERED}), S.ASSIGNED),
    A.REQUEST_CHANGE: (HANDLING, None),
    A.DECIDE_CHANGE: (HANDLING, None),
    A.OFFICER: (HANDLING, None),
    A.CONTACT: (HANDLING, None),
    A.OPINION: (HANDLING, None),
    A.REQUEST_EXTENSION: (HANDLING, None),
    A.EXTEND: (HANDLING, None),
    # The last reply a round needs moves the item to REPLIED (services decide "last").
    A.REPLY: (HANDLING, S.REPLIED),
    A.FURTHER_REPLY: (frozenset({S.REPLIED, S.RATED, S.CLOSED}), None),
    A.RATE: (frozenset({S.REPLIED}), S.RATED),
    A.REHANDLE: (frozenset({S.RATED}), S.REHANDLING),
    A.MEET: (frozenset({S.RATED}), None),
    A.MARK_KEY: (frozenset({S.REGISTERED, S.ASSIGNED, S.REHANDLING}), None),
    A.PROGRESS: (frozenset({S.REGISTERED, S.ASSIGNED, S.REHANDLING, S.REPLIED}), None),
    A.ADOPT: (frozenset({S.REGISTERED}), S.ADOPTED),
    A.NOT_ADOPT: (frozenset({S.REGISTERED}), S.NOT_ADOPTED),
    A.OUTCOME: (frozenset({S.ADOPTED}), S.CLOSED),
    A.CLOSE: (frozenset({S.REPLIED, S.RATED, S.NOT_ADOPTED}), S.CLOSED),
    A.WITHDRAW: (WITHDRAWABLE, S.WITHDRAWN),
}

# Which kind an action belongs to (absent: suggestions only).
FOR_ALL_KINDS = frozenset(
    {A.FILE, A.COSIGN, A.COSIGN_REFUSE, A.REGISTER, A.DECLINE, A.MERGE, A.CLOSE, A.WITHDRAW}
)
FOR_IDEAS = frozenset({A.ADOPT, A.NOT_ADOPT, A.OUTCOME})

# Who may take each action: "author" (lead deputy), "cosigner", "staff" (congress staff acting
# for the congress's area), "department" (a department assigned to the item).
ACTORS: dict[str, frozenset[str]] = {
    A.FILE: frozenset({"author", "staff"}),
    A.COSIGN: frozenset({"cosigner"}),
    A.COSIGN_REFUSE: frozenset({"cosigner"}),
    A.REGISTER: frozenset({"staff"}),
    A.DECLINE: frozenset({"staff"}),
    A.MERGE: frozenset({"staff"}),
    A.ASSIGN: frozenset({"staff"}),
    A.REQUEST_CHANGE: frozenset({"department"}),
    A.DECIDE_CHANGE: frozenset({"staff"}),
    A.OFFICER: frozenset({"department"}),
    A.CONTACT: frozenset({"department"}),
    A.OPINION: frozenset({"department"}),
    A.REQUEST_EXTENSION: frozenset({"department"}),
    A.EXTEND: frozenset({"staff"}),
    A.REPLY: frozenset({"department"}),
    A.FURTHER_REPLY: frozenset({"department"}),
    A.RATE: frozenset({"author"}),
    A.REHANDLE: frozenset({"staff"}),
    A.MEET: frozenset({"staff"}),
    A.MARK_KEY: frozenset({"staff"}),
    A.PROGRESS: frozenset({"staff"}),
    A.ADOPT: frozenset({"staff"}),
    A.NOT_ADOPT: frozenset({"staff"}),
    A.OUTCOME: frozenset({"staff"}),
    A.CLOSE: frozenset({"staff"}),
    A.WITHDRAW: frozenset({"author"}),
}

# Named groups: lists and dashboards use these, never lists of states.
OPEN = frozenset({S.FILED, S.REGISTERED, S.ASSIGNED, S.REPLIED, S.RATED, S.REHANDLING, S.ADOPTED})
ENDED = frozenset({S.DECLINED, S.MERGED, S.NOT_ADOPTED, S.CLOSED, S.WITHDRAWN})
# Registered as suggestions (counted in the statistics as 立案).
REGISTERED_GROUP = frozenset(
    {S.REGISTERED, S.ASSIGNED, S.REPLIED, S.RATED, S.REHANDLING, S.CLOSED, S.ADOPTED}
)
ANSWERED = frozenset({S.REPLIED, S.RATED, S.CLOSED})

# Reply classes of the national practice (the default list; a congress may configure its own).
DEFAULT_REPLY_CLASSES: list[tuple[str, str, bool]] = [
    # code, label (zh, as staff know them), tracked until solved
    ("A", "所提问题已经解决或者基本解决", False),
    ("B", "正在解决或者列入规划（计划）逐步解决", True),
    ("C", "因目前条件限制或者其他原因需待以后解决", True),
    ("D", "留作参考", False),
]


def _rehandle_allowed(item: Any) -> bool:
    # A first dissatisfied rating sends it back once; a second leads to a meeting instead.
    return item.last_rating == SuggestionRating.DISSATISFIED and item.round < 2


def _meet_allowed(item: Any) -> bool:
    return item.last_rating == SuggestionRating.DISSATISFIED and item.round >= 2


def _close_allowed(item: Any) -> bool:
    if item.status == S.RATED and _meet_allowed(item):
        return item.met_on is not None  # after a second dissatisfaction, the meeting first
    if item.status == S.RATED:
        return item.last_rating != SuggestionRating.DISSATISFIED
    return True  # from REPLIED: the service checks the rating window has passed


def _kind_fits(action: str, item: Any) -> bool:
    if action in FOR_ALL_KINDS:
        return True
    if action in FOR_IDEAS:
        return item.kind != Kind.SUGGESTION
    return item.kind == Kind.SUGGESTION


GUARDS: dict[str, Callable[[Any], bool]] = {
    A.REHANDLE: _rehandle_allowed,
    A.MEET: _meet_allowed,
    A.CLOSE: _close_allowed,
    A.FURTHER_REPLY: lambda item: item.tracking,
    A.MARK_KEY: lambda item: not item.key,
}


def guard_passes(action: str, item: Any) -> bool:
    if not _kind_fits(action, item):
        return False
    guard = GUARDS.get(action)
    return guard is None or guard(item)


def allowed_actions(item: Any) -> list[str]:
    """The actions the item's state and guards allow (who may take them is decided elsewhere)."""
    return [
        action
        for action, (sources, _to) in TRANSITIONS.items()
        if item.status in sources and guard_passes(action, item)
    ]
