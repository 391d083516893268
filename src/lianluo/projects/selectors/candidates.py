"""Reads of the candidates stage: a congress's slate of one year, its reserve pool, its
candidates, and who may see or change them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress, Department, User
from lianluo.core.scope import scope_for
from lianluo.projects.models import Project, ProjectStatus, Slate


def congress_for(viewer: User | None, pk: int) -> Congress:
    """A congress whose projects the viewer may read (its staff and leaders); else 404."""
    congress = Congress.objects.select_related("area").filter(pk=pk).first()
    if congress is None or not scope_for(viewer).covers_path(congress.area.path):
        raise NotFound(CoreCode.NOT_FOUND, _("No such congress."))
    return congress


def may_manage(viewer: User | None, congress: Congress) -> bool:
    return scope_for(viewer).covers_path(congress.area.path, acting=True)


def slate_of(congress: Congress, year: int) -> Slate | None:
    return Slate.objects.select_related("vote").filter(congress=congress, year=year).first()


def pool_of(congress: Congress, year: int) -> list[Project]:
    """The year's reserve pool, not yet on the list."""
    return list(
        Project.objects.filter(congress=congress, year=year, status=ProjectStatus.POOL)
        .select_related("area")
        .order_by("pk")
    )


def candidates_of(slate: Slate | None) -> list[Project]:
    """Everything on the list: candidates, and after the vote the approved and the others
    (approved first, by votes for)."""
    if slate is None:
        return []
    return list(
        slate.projects.select_related("department").order_by("-votes_for", "pk")
        if slate.vote_id
        else slate.projects.select_related("department").order_by("pk")
    )


def candidate_for(slate: Slate, pk: int) -> Project:
    project = slate.projects.select_related("department").filter(pk=pk).first()
    if project is None:
        raise NotFound(CoreCode.NOT_FOUND, _("This project is not on the list."))
    return project


def departments_for(congress: Congress) -> list[Department]:
    """The departments of the congress's area, the areas above it (a township's projects are
    often carried out by the county's bureaus) and the areas below it."""
    path = congress.area.path
    return [
        d
        for d in Department.objects.filter(active=True).select_related("area").order_by("name")
        if d.area.path.startswith(path) or path.startswith(d.area.path)
    ]
