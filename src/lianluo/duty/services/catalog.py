"""The catalog of duty items (履职积分目录): installed per congress and year, copied from an earlier
year, edited item by item. An edit changes only what is credited afterwards: every entry keeps
the points it was credited with."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.duty.catalog import DEFAULT_ITEMS, DefaultItem
from lianluo.duty.models import AutoEvent, DutyItem
from lianluo.duty.services._common import PointsCode


def _require_congress_staff(actor: User | None, congress: Congress) -> None:
    """Congress staff whose area covers the congress (or the system administrator)."""
    if actor is None:
        return  # the system itself (demo, commands)
    if not scope_for(actor).covers_path(congress.area.path, acting=True):
        raise NotFound(CoreCode.NOT_FOUND, _("Congress not found."))


def _items_add(
    *, congress: Congress, year: int, templates: Iterable[tuple[int, bool, DefaultItem | DutyItem]]
) -> tuple[list[DutyItem], list[DutyItem]]:
    """Create the year's items from (order, active, template) rows, the template a default item
    or an earlier year's; codes the year already has are skipped. Returns (rows meant, rows
    created)."""
    existing = set(
        DutyItem.objects.filter(congress=congress, year=year).values_list("code", flat=True)
    )
    rows = [
        DutyItem(
            congress=congress,
            year=year,
            code=t.code,
            name=t.name,
            name_en=t.name_en,
            points=t.points,
            yearly_cap=t.yearly_cap,
            evidence_required=t.evidence_required,
            auto_event=t.auto_event,
            order=order,
            active=active,
        )
        for order, active, t in templates
        if t.code not in existing
    ]
    return rows, DutyItem.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def catalog_install_default(*, congress: Congress, year: int, actor: User | None) -> list[DutyItem]:
    """Install the default catalog (27 items) for a congress and year; items whose code the
    year already has are kept as they are, so installing twice changes nothing. Returns the
    items created."""
    _require_congress_staff(actor, congress)
    rows, created = _items_add(
        congress=congress,
        year=year,
        templates=[((n + 1) * 10, True, d) for n, d in enumerate(DEFAULT_ITEMS)],
    )
    if created:
        audit_record(
            actor=actor,
            verb="duty_catalog.install",
            target=congress,
            data={"year": year, "items": [r.code for r in rows]},
        )
    return created


@transaction.atomic
def catalog_copy_year(
    *, congress: Congress, year: int, actor: User | None, from_year: int | None = None
) -> list[DutyItem]:
    """Start a year's catalog from an earlier year's (the latest before it by default), item by
    item as edited there; codes the year already has are left alone. Returns the new items."""
    _require_congress_staff(actor, congress)
    if from_year is None:
        from_year = (
            DutyItem.objects.filter(congress=congress, year__lt=year).aggregate(y=Max("year"))["y"]
            or 0
        )
    source = list(DutyItem.objects.filter(congress=congress, year=from_year))
    if not source:
        raise DomainError(
            PointsCode.NO_CATALOG,
            _("There is no earlier catalog to copy. Install the default catalog instead."),
        )
    rows, created = _items_add(
        congress=congress, year=year, templates=[(s.order, s.active, s) for s in source]
    )
    audit_record(
        actor=actor,
        verb="duty_catalog.copy",
        target=congress,
        data={"from": from_year, "year": year, "items": [r.code for r in rows]},
    )
    return created


# What an edit of an item may change (the catalog page's form shows the same fields).
ITEM_FIELDS = (
    "name",
    "name_en",
    "points",
    "yearly_cap",
    "evidence_required",
    "auto_event",
    "order",
    "active",
)


@transaction.atomic
def duty_item_save(*, actor: User, item: DutyItem, changes: dict[str, Any]) -> DutyItem:
    """Edit one catalog item (its points, cap, evidence rule, automatic event, order, active).
    Entries already credited keep their points: the change applies from now on. Audited with
    the values before and after."""
    item = (
        DutyItem.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .get(pk=item.pk)
    )
    _require_congress_staff(actor, item.congress)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise DomainError(PointsCode.INVALID_VALUE, _("Unknown field."), field=sorted(unknown)[0])
    points = changes.get("points", item.points)
    if points is None or Decimal(points) <= 0:
        raise DomainError(
            PointsCode.INVALID_VALUE, _("Points must be more than zero."), field="points"
        )
    cap = changes.get("yearly_cap", item.yearly_cap)
    if cap is not None and Decimal(cap) < Decimal(points):
        raise DomainError(
            PointsCode.INVALID_VALUE,
            _("The yearly cap cannot be lower than the points of one entry."),
            field="yearly_cap",
        )
    event = changes.get("auto_event", item.auto_event) or ""
    if event not in AutoEvent.values:
        raise DomainError(PointsCode.INVALID_VALUE, _("Unknown event."), field="auto_event")
    if (
        event
        and changes.get("active", item.active)
        and DutyItem.objects.filter(
            congress=item.congress, year=item.year, auto_event=event, active=True
        )
        .exclude(pk=item.pk)
        .exists()
    ):
        raise DomainError(
            PointsCode.INVALID_VALUE,
            _("Another active item of this year is already credited by this event."),
            field="auto_event",
        )
    before = {f: str(getattr(item, f)) for f in ITEM_FIELDS}
    for name, value in changes.items():
        setattr(item, name, value)
    item.auto_event = event
    item.save()
    after = {f: str(getattr(item, f)) for f in ITEM_FIELDS}
    audit_record(
        actor=actor,
        verb="duty_item.change",
        target=item,
        data={
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": {k: v for k, v in after.items() if before[k] != v},
        },
    )
    return item
