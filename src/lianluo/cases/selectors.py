"""Reads of the case ledger, all scoped by the viewer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lianluo.analysis.duplicates import similar
from lianluo.cases.errors import CaseCode
from lianluo.cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    DeclineReason,
    DuplicateProposal,
)
from lianluo.cases.permissions import (
    can_handle,
    case_category,
    case_decline_reasons,
    case_departments,
    responsible_deputies,
    visible_q,
)
from lianluo.cases.states import AWAITING_ANSWER, Action, CaseStatus, Rating
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, Department, RoleAssignment, User
from lianluo.core.scope import on_line_q, scope_for
from lianluo.core.selectors import first_or_not_found
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station
from lianluo.stations.selectors import congresses_managed, stations_of


def case_queryset(*, viewer: User) -> QuerySet[Case]:
    """Every case the viewer may see (the scope rule), with what lists display."""
    qs = Case.objects.select_related(
        "station", "congress", "category", "department", "responsible_deputy"
    )
    q = visible_q(scope_for(viewer))
    return qs if q is None else qs.filter(q)


@dataclass
class CaseFilters:
    status: str = ""
    station: str = ""  # station code
    channel: str = ""  # a Channel value: how the case came in
    triage: str = ""
    category: str = ""  # category code
    deadline: str = ""  # "overdue" | "due_soon"
    q: str = ""


def case_list(*, viewer: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The ledger list: scoped, filtered, newest first. Constant number of queries per page."""
    f = filters or CaseFilters()
    qs = case_queryset(viewer=viewer)
    if f.status == "open":
        qs = qs.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.DECLINED])
    elif f.status == CaseStatus.CONVERTED:
        # Converted for good: the case follows its suggestion into answered, rated, closed.
        qs = qs.filter(suggestion__isnull=False)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.station:
        qs = qs.filter(station__code=f.station)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.triage:
        qs = qs.filter(triage=f.triage)
    if f.category:
        qs = qs.filter(category__code=f.category)
    now = timezone.now()
    if f.deadline == "overdue":
        qs = qs.filter(status__in=AWAITING_ANSWER, deadline__lt=now)
    elif f.deadline == "due_soon":
        # Each congress sets its own window; the distinct windows are few (one query).
        windows = Congress.objects.values_list("due_soon_days", flat=True).distinct()
        soon = Q(pk__in=[])
        for days in windows:
            soon |= Q(congress__due_soon_days=days, deadline__lt=now + timedelta(days=days))
        qs = qs.filter(soon, status__in=AWAITING_ANSWER, deadline__gte=now)
    qs = qs.annotate(
        merged_into_number=F("merged_into__number"),
        # 可能重复: at triage, with a proposed duplicate still open (one subquery per page).
        likely_duplicate=ExpressionWrapper(
            Q(status__in=TRIAGE_STATES)
            & Exists(
                DuplicateProposal.objects.filter(case=OuterRef("pk")).exclude(
                    other__status__in=[CaseStatus.CLOSED, CaseStatus.DECLINED]
                )
            ),
            output_field=BooleanField(),
        ),
    )
    if f.q:
        # Substring match works for Chinese (no word segmentation needed) on SQLite and PG.
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(title__icontains=term)
            | Q(text__icontains=term)
            | Q(place__icontains=term)
        )
    return qs


def case_get(*, viewer: User, number: str) -> Case:
    """One case by ledger number; missing and not-yours are the same NotFound."""
    case = case_queryset(viewer=viewer).filter(number=number).first()
    if case is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    return case


def cases_by_numbers(*, viewer: User, numbers: list[str]) -> list[Case]:
    """The cases these ledger numbers name, each one the viewer may see; NotFound if any is
    missing or not theirs (which one, is not said)."""
    wanted = {n.strip() for n in numbers if n.strip()}
    found = list(case_queryset(viewer=viewer).filter(number__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    return found


def case_photos(*, viewer: User, case: Case) -> list[CasePhoto]:
    """A case's photos, for the people handling it; nobody else sees any (personal data)."""
    return list(case.photos.all()) if can_handle(viewer, case) else []


def case_photo_get(*, viewer: User, case: Case, photo_id: int) -> CasePhoto:
    """One photo of a case for someone handling it; otherwise, or missing, NotFound."""
    item = case.photos.filter(pk=photo_id).first() if can_handle(viewer, case) else None
    if item is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    return item


def case_escalated_to(*, case: Case) -> str | None:
    """The number of the case this one was escalated into, if any."""
    return Case.objects.filter(escalated_from=case).values_list("number", flat=True).first()


def categories_all() -> list[Category]:
    """Every category code once, for the ledger's filter (it filters by code, whichever congress
    owns the row; every congress has the defaults, so a code is listed once, not per congress)."""
    first = Category.objects.values("code").annotate(first=Min("pk")).values("first")
    return list(Category.objects.filter(pk__in=first).order_by("code"))


def departments_assignable(*, viewer: User) -> QuerySet[Department]:
    """The active departments the viewer may assign cases to: on the line of the areas they act
    for (the same rule as the assignment itself, core.scope)."""
    scope = scope_for(viewer)
    qs = Department.objects.filter(active=True).select_related("area")
    if scope.everything:
        return qs
    paths = scope.staff_paths + tuple(
        s.area.path for s in stations_of(user=viewer) if s.id in scope.station_ids
    )
    q = Q(pk__in=[])
    for path in paths:
        q |= on_line_q(path)
    return qs.filter(q)


def case_decline_reason(case: Case, reason: str) -> DeclineReason | None:
    """The catalog reason a code or name (either language) stands for, the congress's own before
    a shared one; None for free text."""
    for row in case_decline_reasons(case):
        if reason in (row.code, row.name, row.name_en):
            return row
    return None


def case_references(
    case: Case, *, category: str | None, deputy: str | None, department: str | None
) -> tuple[Category | None, Deputy | None, Department | None]:
    """The records a transition names by code, found only among those this case may name
    (cases.permissions): one outside the case's scope is as unknown as one that does not exist
    (422 `invalid_value` at its field; case_transition checks the records again)."""
    found_category = found_deputy = found_department = None
    if category:
        found_category = case_category(case, category)
        if found_category is None:
            raise DomainError(CaseCode.INVALID_VALUE, _("Unknown category."), field="category")
    if deputy:
        found_deputy = responsible_deputies(case).filter(code=deputy).first()
        if found_deputy is None:
            raise DomainError(CaseCode.INVALID_VALUE, _("Unknown deputy."), field="deputy")
    if department:
        found_department = case_departments(case).filter(code=department).first()
        if found_department is None:
            raise DomainError(CaseCode.INVALID_VALUE, _("Unknown department."), field="department")
    return found_category, found_deputy, found_department


# ---- intake ---------------------------------------------------------------------------------


def deputy_intake_station(*, deputy: Deputy) -> Station | None:
    """The station a message addressed to a deputy goes to: the deputy's primary station among
    the active ones they are grouped into, else the first of those. The one rule for the form,
    the API and case_submit (the case is numbered in this station's congress)."""
    return (
        Station.objects.filter(memberships__deputy=deputy, active=True)
        .order_by("-memberships__primary", "id")
        .select_related("area", "congress__area")
        .first()
    )


def role_users(role: str, **where: Any) -> list[User]:
    """The active users holding `role` where the assignment matches `where` (a station, a
    department, an area)."""
    rows = RoleAssignment.objects.filter(role=role, **where).select_related("user")
    return [ra.user for ra in rows if ra.user.is_active]


def case_tracked(*, code: str) -> Case | None:
    """The case a tracking code names (as typed: spaces and case do not matter), or None."""
    return (
        Case.objects.select_related("congress", "station")
        .filter(tracking_code=code.strip().upper())
        .first()
    )


# A duplicate merged into a case that was itself merged later follows the chain to its end.
MERGE_CHAIN_LIMIT = 20


def case_for_tracking(*, code: str) -> tuple[Case, Case | None]:
    """The case a tracking code names and, when it was merged as a duplicate, the open (or
    since answered) case that carries it on — the one whose answer the citizen reads and
    rates. NotFound for an unknown code."""
    own = case_by_tracking_code(code=code)
    survivor = None
    next_pk = own.merged_into_id
    for _hop in range(MERGE_CHAIN_LIMIT):
        if next_pk is None:
            break
        survivor = Case.objects.select_related("congress", "station").get(pk=next_pk)
        next_pk = survivor.merged_into_id
    return own, survivor


def case_by_tracking_code(*, code: str) -> Case:
    case = case_tracked(code=code)
    if case is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No case has this tracking code."))
    return case


# ---- what the public may read of a case (the public board, the briefing) ------------------------

_DIGITS = re.compile(r"\d[\d\s\-]{5,}\d")


def scrub(text: str) -> str:
    """Hide long digit runs (phone, ID and house numbers) in text shown to the public."""
    return _DIGITS.sub("****", text)


def approved_summary(case: Case) -> str:
    """What staff approved the public may read of the case (cases.services.publication), or ""
    until they have: nothing the citizen wrote is published without that review."""
    if case.summary_approved_at is None or not case.public_summary:
        return ""
    return scrub(case.public_summary)


def public_title(case: Case, *, words: int = 20) -> str:
    """The case's title, or its first words when it has none; never the name, phone or place."""
    if case.title.strip():
        return scrub(case.title.strip())
    text = " ".join(case.text.split())
    return scrub(text[:words] + ("…" if len(text) > words else ""))


def _pick(data: dict[str, Any], key: str) -> str:
    if get_language() == "en" and data.get(f"{key}_en"):
        return str(data[f"{key}_en"])
    return str(data.get(key, ""))


def event_public_text(event: CaseEvent) -> str:
    """What the citizen reads for one step, in the viewer's language; never personal data."""
    d = event.data or {}
    parts: list[str] = []
    if event.action == "submit":
        parts.append(_("Received and numbered %(number)s.") % {"number": d.get("number", "")})
    elif event.action == Action.ACCEPT:
        parts.append(_("Accepted for handling."))
    elif event.action == Action.DECLINE:
        if d.get("reason"):
            parts.append(_pick(d, "reason"))
        if d.get("guidance"):
            parts.append(_pick(d, "guidance"))
    elif event.action == Action.ASSIGN:
        parts.append(
            _("Passed to %(department)s for handling.")
            % {"department": _pick(d, "department_name")}
        )
    elif event.action == Action.ESCALATE:
        parts.append(_("Reported to %(congress)s.") % {"congress": d.get("congress", "")})
    elif event.action == Action.CONVERT:
        parts.append(_("Taken up by a deputy as a formal suggestion."))
    elif event.action == Action.FOLLOW_UP:
        parts.append(_("We asked you how the answer worked out."))
    elif event.action == Action.RATE and d.get("rating") and d.get("by") == "staff":
        parts.append(
            _("Your rating, recorded by staff at a follow-up: %(rating)s")
            % {"rating": Rating(d["rating"]).label}
        )
    elif event.action == Action.RATE and d.get("rating"):
        parts.append(_("Your rating: %(rating)s") % {"rating": Rating(d["rating"]).label})
    elif event.action == Action.REOPEN:
        parts.append(_("Handled again after a dissatisfied rating."))
    elif event.action == Action.CLOSE:
        parts.append(_("Closed out."))
    elif event.action == "suggestion":
        parts.append(suggestion_step_text(d))
    elif event.action == Action.MERGE and d.get("into"):
        # Translators: 您反映的问题已与 %(number)s 合并办理。
        parts.append(
            _("Your message is handled together with case %(number)s.") % {"number": d["into"]}
        )
    elif event.action == Action.MERGE and d.get("merged"):
        parts.append(
            _("Messages about the same problem were merged into this case: %(count)d.")
            % {"count": len(d["merged"])}
        )
    if event.public_note:
        parts.append(event.public_note)
    return "\n".join(p for p in parts if p)


def suggestion_step_text(d: dict[str, Any]) -> str:
    """One step of the suggestion that carries a converted case, as the citizen reads it."""
    number, step = d.get("number", ""), d.get("step")
    texts = {
        "file": _("The deputy filed suggestion %(number)s with the congress."),
        "register": _("Suggestion %(number)s was registered by the congress."),
        "decline": _("Suggestion %(number)s was not registered as a suggestion."),
        "assign": _("Suggestion %(number)s was assigned to %(department)s; reply due by %(day)s."),
        "decide_change": _("Suggestion %(number)s was reassigned to %(new)s."),
        "extend": _("The reply to suggestion %(number)s is now due by %(until)s."),
        "reply": _("A department replied to suggestion %(number)s."),
        "further_reply": _("A further reply to suggestion %(number)s."),
        "rehandle": _("Suggestion %(number)s is being handled again."),
        "adopt": _("Suggestion %(number)s was adopted."),
        "not_adopt": _("Suggestion %(number)s was not adopted."),
        "outcome": _("The outcome of suggestion %(number)s was recorded."),
        "close": _("The handling of suggestion %(number)s is closed."),
        "withdraw": _("The deputy withdrew suggestion %(number)s."),
    }
    text = texts.get(str(step))
    if text is None:
        return ""
    return text % {
        "number": number,
        "department": d.get("lead_name", ""),
        "day": d.get("deadline", ""),
        "new": d.get("new_name", ""),
        "until": d.get("until", ""),
    }


def case_public_timeline(*, case: Case) -> list[dict[str, Any]]:
    """The citizen's timeline: status, time and public text of each step."""
    return [
        {
            "at": e.at,
            "status": e.to_status,
            "status_label": str(CaseStatus(e.to_status).label),
            "action": e.action,
            "note": event_public_text(e),
        }
        for e in case.events.all()
    ]


def case_staff_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").all()


# ---- published cases and 我也遇到 ---------------------------------------------------------------


def cases_published_of(*, station: Station) -> QuerySet[Case]:
    """The station's cases the public may read (its page lists them) and say "me too" to:
    closed out with the citizen's consent, not merged into another case."""
    return Case.objects.filter(
        station=station,
        status=CaseStatus.CLOSED,
        consent_publish=True,
        merged_into__isnull=True,
    )


def case_published_get(*, station: Station, number: str) -> Case:
    """One published case of the station by ledger number; any other is NotFound."""
    case = cases_published_of(station=station).filter(number=number).first()
    if case is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    return case


# ---- likely duplicates at triage -----------------------------------------------------------------

DUPLICATE_WINDOW = timedelta(days=90)
DUPLICATE_CANDIDATES = 300
TRIAGE_STATES = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED)


@dataclass
class LikelyDuplicate:
    case: Case
    score: float  # 0–1: how alike the two texts are


def duplicates_among(rows: QuerySet[Case], *, case: Case, limit: int = 5) -> list[LikelyDuplicate]:
    """The cases of `rows` that report the same problem at the same place as `case`, best
    first: open cases of the same station (or, without a station, the same area) received
    within 90 days of it, compared by lianluo.analysis.duplicates.similar (which keeps apart
    texts that name different places or numbers). The one rule of likely_duplicates (a
    viewer's) and of the proposals written after intake (cases.services.duplicates)."""
    rows = rows.exclude(pk=case.pk).exclude(status__in=[CaseStatus.CLOSED, CaseStatus.DECLINED])
    rows = (
        rows.filter(station=case.station_id)
        if case.station_id
        else rows.filter(station__isnull=True, scope_path=case.scope_path)
    )
    rows = rows.filter(
        created_at__gte=case.created_at - DUPLICATE_WINDOW,
        created_at__lte=case.created_at + DUPLICATE_WINDOW,
    ).order_by("-created_at")[:DUPLICATE_CANDIDATES]
    by_pk = {c.pk: c for c in rows}
    found = similar(
        f"{case.title} {case.text} {case.place}",
        [(pk, f"{c.title} {c.text} {c.place}") for pk, c in by_pk.items()],
    )
    return [LikelyDuplicate(case=by_pk[pk], score=score) for pk, score in found[:limit]]


def likely_duplicates(*, viewer: User, case: Case, limit: int = 5) -> list[LikelyDuplicate]:
    """Cases the viewer can see that likely repeat `case` (duplicates_among), shown at triage
    to be merged into it: first those proposed when it came in (DuplicateProposal), then any
    found now; only while the case is at triage."""
    if case.status not in TRIAGE_STATES:
        return []
    visible = case_queryset(viewer=viewer)
    proposed = [
        LikelyDuplicate(case=p.other, score=p.score)
        for p in DuplicateProposal.objects.filter(case=case)
        .exclude(other__status__in=[CaseStatus.CLOSED, CaseStatus.DECLINED])
        .filter(other__in=visible)
        .select_related("other__station", "other__congress")
    ]
    seen = {d.case.pk for d in proposed}
    found = [d for d in duplicates_among(visible, case=case, limit=limit) if d.case.pk not in seen]
    return (proposed + found)[:limit]


# --- the catalogs' settings pages (cases.settings_views) ---


def catalog_of(*, congress: Congress) -> tuple[list[Category], list[DeclineReason]]:
    """A congress's own categories and decline reasons, active and not, for its staff to edit."""
    categories = Category.objects.filter(congress=congress).select_related("guidance_reason")
    reasons = DeclineReason.objects.filter(congress=congress)
    return list(categories.order_by("-active", "code")), list(reasons.order_by("-active", "code"))


def catalog_category_get(*, viewer: User, pk: int) -> Category:
    """A congress's category its staff may edit; any other is not found."""
    return first_or_not_found(
        Category.objects.select_related("congress__area").filter(
            pk=pk, congress__in=congresses_managed(viewer=viewer)
        ),
        _("Not found."),
    )


def catalog_reason_get(*, viewer: User, pk: int) -> DeclineReason:
    """A congress's decline reason its staff may edit; any other is not found."""
    return first_or_not_found(
        DeclineReason.objects.select_related("congress__area").filter(
            pk=pk, congress__in=congresses_managed(viewer=viewer)
        ),
        _("Not found."),
    )
