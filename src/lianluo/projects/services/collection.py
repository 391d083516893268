"""Writes of collection (征集) and the reserve pool (储备库).

A congress's staff open one collection window per year; while it is open, citizens (the public
form), deputies of the congress and department handlers send proposals; staff may add one at any
time, and turn a citizen's case into one. Staff then merge duplicates (one kept, the others
`merged` with `merged_into`), decline with a reason, and file proposals into the pool: a
`Project` in state `pool` linking one or more proposals. Every write is one transaction with its
audit row (`core.services.audit_record`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import IdempotencyConflict
from lianluo.cases.models import Case
from lianluo.cases.permissions import can_see
from lianluo.cases.services.events import event_append
from lianluo.cases.services.intake import new_tracking_code
from lianluo.core.errors import Conflict, CoreCode, DomainError, Forbidden, NotFound
from lianluo.core.models import Area, Congress, Department, User
from lianluo.core.scope import path_within, scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.projects.models import (
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Source,
    Window,
)
from lianluo.projects.selectors.collection import (
    can_manage,
    deputy_congresses,
    window_open_for,
)
from lianluo.stations.models import Station


class CollectionCode(StrEnum):
    """Codes of collection and the pool (the projects app's codes may gather here)."""

    WINDOW_CLOSED = "window_closed"
    WINDOW_EXISTS = "window_exists"
    NO_WINDOW = "no_window"
    BAD_DATES = "bad_dates"
    NOT_OPEN = "proposal_not_open"
    NOT_IN_POOL = "project_not_in_pool"
    OTHER_YEAR = "other_congress_or_year"


OPEN = (ProposalStatus.NEW, ProposalStatus.POOLED)


def require_manager(actor: User | None, congress: Congress) -> None:
    """Only the congress's staff (or an administrator) act on its collection and pool."""
    if not can_manage(actor, congress):
        raise Forbidden(CoreCode.NOT_ALLOWED, _("Only the congress's staff may do this."))


# ---- windows ---------------------------------------------------------------------------------


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise DomainError(
            CollectionCode.BAD_DATES,
            _("The window cannot close before it opens."),
            field="closes_on",
        )


@transaction.atomic
def window_open(
    *,
    actor: User,
    congress: Congress,
    year: int,
    opens_on: date,
    closes_on: date,
    intro: str = "",
) -> Window:
    """Open the collection window of a congress for one year's projects (one per year)."""
    require_manager(actor, congress)
    _check_dates(opens_on, closes_on)
    if Window.objects.filter(congress=congress, year=year).exists():
        raise Conflict(
            CollectionCode.WINDOW_EXISTS,
            _("This congress already has a collection window for %(year)s.") % {"year": year},
        )
    window = Window.objects.create(
        congress=congress, year=year, opens_on=opens_on, closes_on=closes_on, intro=intro
    )
    audit_record(
        actor=actor,
        verb="project_window_open",
        target=window,
        data={"year": year, "opens_on": str(opens_on), "closes_on": str(closes_on)},
    )
    return window


@transaction.atomic
def window_update(
    *, actor: User, window: Window, opens_on: date, closes_on: date, intro: str = ""
) -> Window:
    """Change a window's dates (extend it, close it early) or its introduction."""
    require_manager(actor, window.congress)
    _check_dates(opens_on, closes_on)
    window = Window.objects.select_for_update().get(pk=window.pk)
    before = {"opens_on": str(window.opens_on), "closes_on": str(window.closes_on)}
    window.opens_on, window.closes_on, window.intro = opens_on, closes_on, intro
    window.save(update_fields=["opens_on", "closes_on", "intro"])
    audit_record(
        actor=actor,
        verb="project_window_update",
        target=window,
        data={"before": before, "opens_on": str(opens_on), "closes_on": str(closes_on)},
    )
    return window


def _window_now(congress: Congress) -> Window:
    window = window_open_for(congress=congress)
    if window is None:
        raise DomainError(
            CollectionCode.WINDOW_CLOSED,
            _("%(congress)s is not collecting project proposals now.")
            % {"congress": congress.name},
        )
    return window


# ---- proposals -------------------------------------------------------------------------------


def proposal_submit_citizen(
    *,
    congress: Congress,
    title: str,
    text: str,
    place: str = "",
    name: str = "",
    phone: str = "",
    consent: bool = False,
    station: Station | None = None,
    deputy: Deputy | None = None,
    idempotency_key: str = "",
) -> tuple[Proposal, bool]:
    """A citizen's proposal through the public form, only while the congress's window is open;
    returns (proposal, created). Name and phone are kept only with the citizen's consent. The
    same key with the same content returns the proposal it made (created=False); with other
    content `IdempotencyConflict` (409), as for cases."""
    window = _window_now(congress)
    if not consent:
        name, phone = "", ""
    fields: dict[str, Any] = {
        "congress": congress,
        "year": window.year,
        "source": Source.CITIZEN,
        "title": title,
        "text": text,
        "place": place,
        "station": station,
        "deputy": deputy,
        "citizen_name": name,
        "citizen_phone": phone,
    }
    for last_try in (False, True):
        if idempotency_key:
            existing = Proposal.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if any(getattr(existing, k) != v for k, v in fields.items()):
                    raise IdempotencyConflict()
                return existing, False
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    **fields, idempotency_key=idempotency_key, tracking_code=new_tracking_code()
                )
                audit_record(
                    actor=None,
                    verb="project_proposal_submit",
                    target=proposal,
                    data={"source": Source.CITIZEN, "year": window.year},
                )
            return proposal, True
        except IntegrityError:  # a retry racing this one took the key first
            if last_try or not idempotency_key:
                raise
    raise AssertionError("unreachable")


def proposal_source_for(actor: User, congress: Congress) -> str:
    """Which source a signed-in user's proposal counts as: the congress's staff, else a deputy
    of the congress, else a department handler of a department on its line; 403 otherwise."""
    if can_manage(actor, congress):
        return Source.STAFF
    deputy = deputy_for_user(actor)
    if deputy is not None and congress in deputy_congresses(deputy):
        return Source.DEPUTY
    if _department_for(actor, congress) is not None:
        return Source.DEPARTMENT
    raise Forbidden(CoreCode.NOT_ALLOWED, _("You may not send proposals to this congress."))


def _department_for(actor: User, congress: Congress) -> Department | None:
    ids = scope_for(actor).department_ids
    for dept in Department.objects.filter(pk__in=ids, active=True).select_related("area"):
        a, c = dept.area.path, congress.area.path
        if path_within(a, c) or path_within(c, a):
            return dept
    return None


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    congress: Congress,
    title: str,
    text: str,
    place: str = "",
    area: Area | None = None,
    estimated_cost: Decimal | None = None,
    year: int | None = None,
) -> Proposal:
    """A proposal from a signed-in deputy, department handler or staff member; the source
    follows from who they are (`proposal_source_for`). Deputies and departments send only
    while the window is open; staff may add one to any year that has a window."""
    source = proposal_source_for(actor, congress)
    if source == Source.STAFF:
        window = (
            Window.objects.filter(congress=congress, year=year).first()
            if year
            else window_open_for(congress=congress)
        )
        if window is None:
            raise DomainError(
                CollectionCode.NO_WINDOW,
                _("Open a collection window for this year first."),
                field="year",
            )
    else:
        window = _window_now(congress)
    if area is not None and not path_within(area.path, congress.area.path):
        area = None
    proposal = Proposal.objects.create(
        congress=congress,
        year=window.year,
        source=source,
        title=title,
        text=text,
        place=place,
        area=area,
        estimated_cost=estimated_cost,
        deputy=deputy_for_user(actor) if source == Source.DEPUTY else None,
        department=_department_for(actor, congress) if source == Source.DEPARTMENT else None,
        submitted_by=actor,
        tracking_code=new_tracking_code(),
    )
    audit_record(
        actor=actor,
        verb="project_proposal_submit",
        target=proposal,
        data={"source": source, "year": window.year},
    )
    return proposal


def from_case_window(*, actor: User, case: Case) -> Window:
    """The window a case would be proposed into: the open one of the case's congress, or for
    its staff the latest one."""
    window = window_open_for(congress=case.congress)
    if window is None and can_manage(actor, case.congress):
        window = Window.objects.filter(congress=case.congress).order_by("-year").first()
    if window is None:
        raise DomainError(
            CollectionCode.WINDOW_CLOSED,
            _("%(congress)s is not collecting project proposals now.")
            % {"congress": case.congress.name},
        )
    return window


@transaction.atomic
def proposal_from_case(
    *, actor: User, case: Case, title: str, text: str, place: str = ""
) -> Proposal:
    """Turn a citizen's case into a proposal (source `case`, linked to it) for someone who sees
    the case: the congress's staff, or a deputy of that congress. The citizen's name and phone
    stay on the case; its timeline notes the step."""
    if not can_see(actor, case):
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    if not can_manage(actor, case.congress):
        deputy = deputy_for_user(actor)
        if deputy is None or case.congress not in deputy_congresses(deputy):
            raise Forbidden(
                CoreCode.NOT_ALLOWED,
                _("Only the congress's staff and deputies may propose a project from a case."),
            )
    window = from_case_window(actor=actor, case=case)
    proposal = Proposal.objects.create(
        congress=case.congress,
        year=window.year,
        source=Source.CASE,
        title=title,
        text=text,
        place=place or case.place,
        station=case.station,
        deputy=deputy_for_user(actor),
        case=case,
        submitted_by=actor,
        tracking_code=new_tracking_code(),
    )
    event_append(
        case,
        action="project_proposal",
        from_status=case.status,
        actor=actor,
        public_note=_("Proposed as a livelihood project for %(year)s.") % {"year": window.year},
        data={"proposal": proposal.pk},
    )
    audit_record(
        actor=actor,
        verb="project_proposal_from_case",
        target=proposal,
        data={"case": case.number, "year": window.year},
    )
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("congress__area").get(pk=proposal.pk)


def _require_open(proposal: Proposal, field: str | None = None) -> None:
    if proposal.status not in OPEN:
        raise DomainError(
            CollectionCode.NOT_OPEN,
            _("Proposal “%(title)s” is already %(status)s.")
            % {"title": proposal.title, "status": proposal.get_status_display()},
            field=field,
        )


@transaction.atomic
def proposal_merge(
    *, actor: User, keep: Proposal, others: list[Proposal], note: str = ""
) -> Proposal:
    """Merge duplicates into `keep`: each of `others` becomes `merged` with `merged_into`; the
    kept one lists them (`keep.merged`). All of one congress and year, none merged or declined."""
    keep = _locked(keep)
    require_manager(actor, keep.congress)
    _require_open(keep)
    merged = []
    for other in others:
        other = _locked(other)
        if other.pk == keep.pk:
            continue
        if (other.congress_id, other.year) != (keep.congress_id, keep.year):
            raise DomainError(
                CollectionCode.OTHER_YEAR,
                _("Only proposals of the same congress and year can be merged."),
                field="others",
            )
        _require_open(other, field="others")
        other.status, other.merged_into = ProposalStatus.MERGED, keep
        other.note = note[:500]
        other.save(update_fields=["status", "merged_into", "note"])
        merged.append(other.pk)
    audit_record(actor=actor, verb="project_proposal_merge", target=keep, data={"merged": merged})
    return keep


@transaction.atomic
def proposal_decline(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Not taken up, with the reason (kept as the staff's note)."""
    proposal = _locked(proposal)
    require_manager(actor, proposal.congress)
    if proposal.status != ProposalStatus.NEW:
        _require_open(proposal)
        if proposal.status == ProposalStatus.POOLED:
            raise DomainError(
                CollectionCode.NOT_OPEN,
                _("This proposal is in the reserve pool already."),
            )
    if not reason.strip():
        raise DomainError(CoreCode.INVALID, _("Say why it is not taken up."), field="reason")
    proposal.status, proposal.note = ProposalStatus.DECLINED, reason.strip()[:500]
    proposal.save(update_fields=["status", "note"])
    audit_record(
        actor=actor,
        verb="project_proposal_decline",
        target=proposal,
        data={"reason": proposal.note},
    )
    return proposal


def proposal_reveal_phone(*, actor: User, proposal: Proposal) -> str:
    """The citizen's full phone number, for the staff handling the proposal; audited."""
    if not can_manage(actor, proposal.congress):
        raise NotFound(CoreCode.NOT_FOUND, _("Proposal not found."))
    audit_record(actor=actor, verb="reveal_phone", target=proposal, data={"pk": proposal.pk})
    return proposal.citizen_phone


# ---- the reserve pool ------------------------------------------------------------------------


def _link(actor: User, project: Project, proposals: list[Proposal]) -> list[int]:
    linked = []
    for proposal in proposals:
        proposal = _locked(proposal)
        if (proposal.congress_id, proposal.year) != (project.congress_id, project.year):
            raise DomainError(
                CollectionCode.OTHER_YEAR,
                _("Only proposals of the same congress and year go into one entry."),
                field="proposals",
            )
        if proposal.status != ProposalStatus.NEW:
            _require_open(proposal, field="proposals")
            if proposal.project_id not in (None, project.pk):
                raise DomainError(
                    CollectionCode.NOT_OPEN,
                    _("“%(title)s” is in another entry of the pool already.")
                    % {"title": proposal.title},
                    field="proposals",
                )
        proposal.status, proposal.project = ProposalStatus.POOLED, project
        proposal.save(update_fields=["status", "project"])
        # What was merged into it follows it into the pool.
        Proposal.objects.filter(merged_into=proposal).update(project=project)
        linked.append(proposal.pk)
    return linked


@transaction.atomic
def pool_file(
    *,
    actor: User,
    congress: Congress,
    year: int,
    proposals: list[Proposal],
    title: str,
    content: str,
    tags: str = "",
    estimated_cost: Decimal | None = None,
    area: Area | None = None,
    place: str = "",
) -> Project:
    """File one or more proposals into the reserve pool as a new entry (a `Project` in state
    pool) of their congress and year."""
    require_manager(actor, congress)
    if not proposals:
        raise DomainError(CoreCode.INVALID, _("Choose at least one proposal."), field="proposals")
    if area is not None and not path_within(area.path, congress.area.path):
        area = None
    project = Project.objects.create(
        congress=congress,
        year=year,
        title=title,
        content=content,
        tags=tags,
        estimated_cost=estimated_cost,
        area=area,
        place=place,
        status=ProjectStatus.POOL,
    )
    linked = _link(actor, project, proposals)
    audit_record(actor=actor, verb="project_pool_file", target=project, data={"proposals": linked})
    return project


def _require_pool(project: Project) -> None:
    if project.status != ProjectStatus.POOL:
        raise DomainError(
            CollectionCode.NOT_IN_POOL,
            _("“%(title)s” is no longer in the reserve pool.") % {"title": project.title},
        )


@transaction.atomic
def pool_add(*, actor: User, project: Project, proposals: list[Proposal]) -> Project:
    """Add proposals to an existing entry of the pool."""
    project = (
        Project.objects.select_for_update().select_related("congress__area").get(pk=project.pk)
    )
    require_manager(actor, project.congress)
    _require_pool(project)
    linked = _link(actor, project, proposals)
    audit_record(actor=actor, verb="project_pool_add", target=project, data={"proposals": linked})
    return project


POOL_FIELDS = ("title", "content", "tags", "estimated_cost", "area", "place")


@transaction.atomic
def pool_edit(*, actor: User, project: Project, **changes: Any) -> Project:
    """Edit an entry of the pool: any of title, content, tags, estimated cost, area, place."""
    project = (
        Project.objects.select_for_update().select_related("congress__area").get(pk=project.pk)
    )
    require_manager(actor, project.congress)
    _require_pool(project)
    unknown = set(changes) - set(POOL_FIELDS)
    if unknown:
        raise DomainError(CoreCode.INVALID, _("These fields cannot be edited here."))
    area = changes.get("area")
    if area is not None and not path_within(area.path, project.congress.area.path):
        changes["area"] = None
    changed = {}
    for name, value in changes.items():
        if getattr(project, name) != value:
            changed[name] = str(value) if value is not None else ""
            setattr(project, name, value)
    if changed:
        project.save(update_fields=list(changed))
    audit_record(actor=actor, verb="project_pool_edit", target=project, data=changed)
    return project


@transaction.atomic
def pool_withdraw(*, actor: User, project: Project, reason: str) -> Project:
    """Take an entry out of the pool (it stays on record; its proposals stay linked)."""
    project = (
        Project.objects.select_for_update().select_related("congress__area").get(pk=project.pk)
    )
    require_manager(actor, project.congress)
    _require_pool(project)
    if not reason.strip():
        raise DomainError(CoreCode.INVALID, _("Say why it is taken out."), field="reason")
    project.status = ProjectStatus.WITHDRAWN
    project.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="project_pool_withdraw",
        target=project,
        data={"reason": reason.strip()[:500], "at": timezone.now().isoformat()},
    )
    return project
