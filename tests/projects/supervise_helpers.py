"""Shared builders of the supervision tests: an approved project of the demo county (the
candidates' services are another part of the loop; here the project starts approved), its plan
and a confirmed group, built through the services."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from PIL import Image

from lianluo.deputies.models import Deputy, Mandate
from lianluo.projects.models import Project, ProjectStatus
from lianluo.projects.services.implementation import plan_set
from lianluo.projects.services.supervision import group_confirm, member_add


def approved_project(demo, *, year: int = 2026, **fields) -> Project:
    defaults = {
        "title": "城关镇主干道路面改造",
        "content": "改造城关镇主干道路面和排水。",
        "tags": "交通,道路",
        "area": demo["townships"][0],
    }
    defaults.update(fields)
    return Project.objects.create(
        congress=demo["county_congress"], year=year, status=ProjectStatus.APPROVED, **defaults
    )


def with_plan(project: Project, demo, users, *, start=date(2026, 1, 1), end=date(2026, 12, 31)):
    plan_set(
        actor=users["staff"],
        project=project,
        department=demo["departments"][0],
        budget=Decimal("120.00"),
        starts_on=start,
        ends_on=end,
        team="住建局 工程科",
    )
    return project


def county_deputies(demo) -> list[Deputy]:
    ids = Mandate.objects.filter(congress=demo["county_congress"], active=True).values("deputy_id")
    return list(Deputy.objects.filter(pk__in=ids).order_by("pk"))


def with_group(project: Project, users, deputies: list[Deputy], leader: Deputy | None = None):
    for d in deputies:
        member_add(actor=users["staff"], project=project, deputy=d)
    group_confirm(
        actor=users["staff"],
        project=project,
        deputy_ids=[d.pk for d in deputies],
        leader_id=(leader or deputies[0]).pk,
    )
    return project


def jpeg_with_gps() -> bytes:
    """A real JPEG carrying EXIF metadata (as a phone's photo does)."""
    img = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (22.0, 30.0, 0.0)}  # GPS latitude
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()
