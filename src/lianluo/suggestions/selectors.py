"""Reads of suggestions: what a user may see, the ledger with overdue first, a department's
queue, one item's record, the public page, and the statistics."""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Assignment, Reply, Suggestion
from lianluo.suggestions.permissions import can_see
from lianluo.suggestions.states import (
    ANSWERED,
    HANDLING,
    REGISTERED_GROUP,
    AssignmentRole,
    SuggestionRating,
    SuggestionStatus,
)

DUE_SOON_DAYS = 30


def visible_q(user: User) -> Q | None:
    """The filter of the items a user may see (None: everything)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    for path in scope.staff_paths:
        q |= Q(congress__area__path__startswith=path)
    for path in scope.leader_paths:
        q |= Q(congress__area__path__startswith=path) & ~Q(status=SuggestionStatus.DRAFT)
    if scope.deputy_ids:
        q |= Q(deputy_id__in=scope.deputy_ids) | Q(signers__deputy_id__in=scope.deputy_ids)
        q |= Q(merged__deputy_id__in=scope.deputy_ids)  # answered through the item it joined
    if scope.department_ids:
        q |= Q(assignments__department_id__in=scope.department_ids) & ~Q(
            status=SuggestionStatus.DRAFT
        )
    return q


def suggestions_visible(user: User) -> QuerySet[Suggestion]:
    qs = Suggestion.objects.select_related("congress__area", "deputy")
    q = visible_q(user)
    if q is not None:
        qs = qs.filter(pk__in=Suggestion.objects.filter(q).values("pk"))
    return qs


def suggestion_for(user: User, number: str) -> Suggestion:
    """The item with this number (or, for drafts that have none yet, `d<id>`) if the user may
    see it; else 404 — missing and not-yours are the same answer."""
    qs = Suggestion.objects.select_related(
        "congress__area", "deputy", "merged_into"
    ).prefetch_related("signers__deputy", "assignments__department")
    if number.startswith("d") and number[1:].isdigit():
        item = qs.filter(pk=int(number[1:]), number=None).first()
    else:
        item = qs.filter(number=number).first()
    if item is None or not can_see(user, item):
        raise NotFound(SuggestionCode.NOT_FOUND, _("Suggestion not found."))
    return item


def ref(item: Suggestion) -> str:
    """The item's reference in URLs: its number, or d<id> while a draft has none."""
    return item.number or f"d{item.pk}"


def overdue_q(today: date) -> Q:
    """Late: departments past the reply deadline, or staff past the registration day."""
    return Q(status__in=HANDLING, deadline__lt=today) | Q(
        status=SuggestionStatus.FILED, register_due__lt=today
    )


def due_date(item: Suggestion) -> date | None:
    """The day the item's current step is due: registration while filed, the reply while
    departments handle it; None when nothing is due."""
    if item.status == SuggestionStatus.FILED:
        return item.register_due
    if item.status in HANDLING:
        return item.deadline
    return None


def suggestion_ledger(
    user: User,
    *,
    status: str | None = None,
    department: str | None = None,
    overdue: bool | None = None,
    kind: str | None = None,
    congress: Congress | None = None,
    key: bool | None = None,
    search: str | None = None,
    today: date | None = None,
) -> QuerySet[Suggestion]:
    """The items the user may see, filtered; overdue first, then by deadline, then newest."""
    today = today or timezone.localdate()
    qs = suggestions_visible(user)
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(assignments__department__code=department, assignments__active=True)
    if overdue is True:
        qs = qs.filter(overdue_q(today))
    elif overdue is False:
        qs = qs.exclude(overdue_q(today))
    if kind:
        qs = qs.filter(kind=kind)
    if congress is not None:
        qs = qs.filter(congress=congress)
    if key is not None:
        qs = qs.filter(key=key)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(number__icontains=search))
    return (
        qs.distinct()
        .annotate(
            late=Case(
                When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("late", F("deadline").asc(nulls_last=True), "-id")  # same on SQLite and PG
    )


def is_overdue(item: Suggestion, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    due = due_date(item)
    return due is not None and due < today


def days_overdue(item: Suggestion, today: date | None = None) -> int:
    today = today or timezone.localdate()
    due = due_date(item)
    return (today - due).days if due is not None and due < today else 0


def is_due_soon(item: Suggestion, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    due = due_date(item)
    return due is not None and today <= due <= today + timedelta(days=DUE_SOON_DAYS)


def department_queue(user: User, *, today: date | None = None) -> list[Assignment]:
    """What the user's departments have to handle: overdue first, then due soonest, then the
    replied items still under tracking (B/C: a further reply is owed when solved)."""
    today = today or timezone.localdate()
    ids = scope_for(user).department_ids
    tracked = Q(suggestion__tracking=True, suggestion__status__in=ANSWERED) & ~Q(
        role=AssignmentRole.CO
    )
    rows = (
        Assignment.objects.filter(department_id__in=ids, active=True)
        .filter(Q(suggestion__status__in=HANDLING) | tracked)
        .select_related("suggestion__congress__area", "suggestion__deputy", "department")
        .order_by("suggestion__deadline", "pk")
    )
    out = list(rows)
    out.sort(
        key=lambda a: (
            a.suggestion.status not in HANDLING,
            not is_overdue(a.suggestion, today),
            a.suggestion.deadline or today,
        )
    )
    return out


def suggestion_record(item: Suggestion) -> dict[str, Any]:
    """One item's whole record: authors, assignments with contacts, replies, ratings, events."""
    return {
        "signers": list(item.signers.select_related("deputy")),
        "assignments": list(
            item.assignments.select_related("department").prefetch_related("contacts")
        ),
        "replies": list(item.replies.select_related("assignment__department")),
        "ratings": list(item.ratings.all()),
        "events": list(item.events.select_related("actor")),
        "merged": list(item.merged.all()),
    }


def public_replies(congress: Congress) -> list[dict[str, Any]]:
    """The congress's public page: replied items with their departments, classification and the
    public part of each reply; nothing the deputy marked private (their text) and no internal
    note; withdrawn, declined and draft items are not shown."""
    items = (
        Suggestion.objects.filter(congress=congress, status__in=ANSWERED)
        .select_related("deputy")
        .prefetch_related(
            "assignments__department",
            Prefetch(
                "replies",
                queryset=Reply.objects.filter(opinion=False)
                .exclude(public_text="")
                .select_related("assignment__department")
                .order_by("at", "id"),
                to_attr="public_replies",
            ),
        )
        .order_by("-replied_at", "-id")
    )
    out = []
    for item in items:
        replies = item.public_replies
        out.append(
            {
                "number": item.number,
                "title": item.title,
                "text": "" if item.private else item.text,
                "deputy": item.deputy.name if item.deputy else "",
                "classification": item.reply_class,
                "departments": sorted(
                    {a.department.name for a in item.assignments.all() if a.active}
                ),
                "replies": [
                    {"department": r.assignment.department.name, "text": r.public_text, "at": r.at}
                    for r in replies
                ],
            }
        )
    return out


@dataclass
class DepartmentStats:
    code: str
    name: str
    assigned: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    classes: Tally[str] = field(default_factory=Tally)
    ratings: Tally[str] = field(default_factory=Tally)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def satisfied_share(self) -> float | None:
        rated = sum(self.ratings.values())
        good = (
            self.ratings[SuggestionRating.SATISFIED]
            + self.ratings[SuggestionRating.BASICALLY_SATISFIED]
        )
        return good / rated if rated else None


def suggestion_stats(
    user: User,
    *,
    congress: Congress | None = None,
    year: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Per department and in total: registered, assigned, answered (on time), overdue, reply
    classes and the deputies' ratings (the first round's, as the law counts them)."""
    today = today or timezone.localdate()
    qs = suggestions_visible(user).filter(kind="suggestion").exclude(status=SuggestionStatus.DRAFT)
    if congress is not None:
        qs = qs.filter(congress=congress)
    if year is not None:
        qs = qs.filter(year=year)
    items = list(qs.prefetch_related("assignments__department", "ratings"))
    per: dict[str, DepartmentStats] = {}
    total = DepartmentStats(code="", name=_("All departments"))
    registered = sum(1 for i in items if i.status in REGISTERED_GROUP)
    for item in items:
        first = {r.round: r.rating for r in item.ratings.all()}.get(1)
        on_time = bool(
            item.replied_at
            and item.deadline
            and timezone.localdate(item.replied_at) <= item.deadline
        )
        counted = [total]
        for a in item.assignments.all():
            if a.active and a.role != AssignmentRole.CO:
                row = per.setdefault(
                    a.department.code,
                    DepartmentStats(code=a.department.code, name=a.department.name),
                )
                counted.append(row)
        if item.assigned_at is None:
            continue
        for row in counted:
            row.assigned += 1
            if item.replied_at:
                row.answered += 1
                row.on_time += on_time
                row.classes[item.reply_class] += 1
            if is_overdue(item, today):
                row.overdue += 1
            if first:
                row.ratings[first] += 1
    return {
        "filed": len(items),
        "registered": registered,
        "total": total,
        "departments": sorted(per.values(), key=lambda r: r.code),
    }


# ---- reports: the ledger page, key suggestions, the public page ---------------------------------

# Imported here, not at the top, so this section stays one appended block.
from collections.abc import Sequence  # noqa: E402

from django.db.models import Prefetch  # noqa: E402

from lianluo.core.models import Department  # noqa: E402
from lianluo.deputies.models import Mandate  # noqa: E402
from lianluo.suggestions.models import Event  # noqa: E402
from lianluo.suggestions.states import Action, Kind  # noqa: E402


def can_read_reports(user: User) -> bool:
    """The ledger, statistics and report are for congress staff, leaders and departments (each
    sees only what `suggestions_visible` gives them); deputies have their own pages."""
    scope = scope_for(user)
    return scope.everything or bool(scope.read_paths or scope.department_ids)


def congresses_in_view(user: User) -> list[Congress]:
    """The congresses whose items the user sees (filter choices, the report's congress)."""
    ids = suggestions_visible(user).values("congress_id")
    return list(Congress.objects.filter(pk__in=ids).select_related("area").order_by("area__path"))


def departments_in_view(user: User) -> list[Department]:
    """The departments the user's items were assigned to (filter choices)."""
    ids = Assignment.objects.filter(suggestion__in=suggestions_visible(user)).values(
        "department_id"
    )
    return list(Department.objects.filter(pk__in=ids).order_by("code"))


def congress_by_code(user: User, code: str | None) -> Congress | None:
    """The congress (by its area's code) among those the user sees; None when not given or not
    theirs — a filter, not a door."""
    if not code:
        return None
    return next((c for c in congresses_in_view(user) if c.area.code == code), None)


def constituencies(items: Sequence[Suggestion]) -> dict[tuple[int, int], str]:
    """(deputy id, congress id) -> the electing unit (选举单位) of the lead deputy's seat in the
    item's congress, in one query."""
    pairs = {(i.deputy_id, i.congress_id) for i in items if i.deputy_id is not None}
    rows = Mandate.objects.filter(
        deputy_id__in={d for d, _c in pairs}, congress_id__in={c for _d, c in pairs}
    ).order_by("-active", "-term")
    out: dict[tuple[int, int], str] = {}
    for m in rows:
        out.setdefault((m.deputy_id, m.congress_id), m.constituency)
    return out


@dataclass
class LedgerRow:
    """One line of the ledger (the page and the Excel export read the same rows)."""

    item: Suggestion
    ref: str
    lead: list[str]  # lead (or separately handling) departments
    co: list[str]  # co-departments
    co_signers: list[str]
    constituency: str
    days_overdue: int | None
    due_soon: bool


def ledger_rows(user: User, *, year: int | None = None, **filters: Any) -> QuerySet[Suggestion]:
    """`suggestion_ledger` (same filters) with the year filter and what each row shows
    prefetched."""
    qs = suggestion_ledger(user, **filters)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.prefetch_related("assignments__department", "signers__deputy", "ratings")


def ledger_lines(items: Sequence[Suggestion], today: date | None = None) -> list[LedgerRow]:
    """The rows of a page (or of the export) with departments, co-signers and electing unit."""
    today = today or timezone.localdate()
    units = constituencies(items)
    out = []
    for item in items:
        active = [a for a in item.assignments.all() if a.active]
        late = is_overdue(item, today)
        out.append(
            LedgerRow(
                item=item,
                ref=ref(item),
                lead=[a.department.name for a in active if a.role != AssignmentRole.CO],
                co=[a.department.name for a in active if a.role == AssignmentRole.CO],
                co_signers=[
                    s.deputy.name for s in item.signers.all() if s.confirmed_at is not None
                ],
                constituency=units.get((item.deputy_id or 0, item.congress_id), ""),
                days_overdue=(today - item.deadline).days if late and item.deadline else None,
                due_soon=is_due_soon(item, today),
            )
        )
    return out


@dataclass
class KeyRow:
    """A key suggestion in the assignment table (重点建议交办表), with its progress log."""

    line: LedgerRow
    progress: list[Event]


def key_suggestions(
    user: User, *, congress: Congress | None = None, year: int | None = None
) -> list[KeyRow]:
    """The key suggestions the user sees, by number, each with its events of action
    "progress" (oldest first)."""
    items = list(
        ledger_rows(user, key=True, congress=congress, year=year)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(action=Action.PROGRESS).order_by("at", "id"),
                to_attr="progress_log",
            )
        )
        .order_by("number", "id")
    )
    return [
        KeyRow(line=line, progress=list(getattr(line.item, "progress_log", [])))
        for line in ledger_lines(items)
    ]


def public_congress(code: str) -> Congress:
    """A congress's public page, by its area's code (404 when there is none)."""
    found = Congress.objects.select_related("area").filter(area__code=code).first()
    if found is None:
        raise NotFound(SuggestionCode.NOT_FOUND, _("Congress not found."))
    return found


def public_congresses() -> list[Congress]:
    """The congresses with at least one answered suggestion to show the public."""
    ids = Suggestion.objects.filter(status__in=ANSWERED).values("congress_id")
    return list(Congress.objects.filter(pk__in=ids).select_related("area").order_by("area__path"))


def tracked_items(user: User, *, congress: Congress | None, year: int | None) -> list[Suggestion]:
    """Items still under tracking (B/C replies, 跟踪办理) for the annual report."""
    qs = suggestions_visible(user).filter(tracking=True, kind=Kind.SUGGESTION)
    if congress is not None:
        qs = qs.filter(congress=congress)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.prefetch_related("assignments__department").order_by("number"))
