"""Family support pairing (结对帮扶): families in difficulty, the deputies paired with them, the
support plan, and the visits and support given, so the bulletins' figures (走访慰问人次,
捐赠款物万元) are added up from records.

Minimal personal data: a family is a label (张某某家, surname only), a situation, a household
size and a contact phone, which is shown masked; revealing it is audited.

Who handles a family: congress staff whose area covers the family's area, liaison officers of a
station whose area covers it, and the deputies paired with it; the system administrator. For
anyone else a family does not exist (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.board.errors import BoardCode
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Area, User
from lianluo.core.scope import Scope, path_within, scope_for
from lianluo.core.services import audit_record
from lianluo.core.text import is_valid_phone, mask_phone, normalize_phone
from lianluo.deputies.models import Deputy
from lianluo.duty.models import Family, Pairing, SupportKind, SupportRecord
from lianluo.duty.selectors import deputy_reach
from lianluo.stations.models import Station


def _not_found() -> NotFound:
    return NotFound(CoreCode.NOT_FOUND, _("No family has this number."))


def _acting_paths(scope: Scope) -> tuple[str, ...]:
    """Area paths under which the scope manages families: staff areas and officers' stations'."""
    station_paths = tuple(
        Station.objects.filter(pk__in=scope.station_ids).values_list("area__path", flat=True)
    )
    return scope.staff_paths + station_paths


def can_manage_families(user: User | None, area: Area) -> bool:
    scope = scope_for(user)
    return scope.everything or any(area.path.startswith(p) for p in _acting_paths(scope))


def _handles(user: User | None, family: Family) -> bool:
    if can_manage_families(user, family.area):
        return True
    deputy_ids = scope_for(user).deputy_ids
    return bool(deputy_ids) and family.pairings.filter(deputy_id__in=deputy_ids).exists()


def family_areas(*, viewer: User) -> list[Area]:
    """The areas in which the viewer may register a family (their areas and everything below)."""
    scope = scope_for(viewer)
    qs = Area.objects.order_by("path")
    if scope.everything:
        return list(qs.filter(level__in=["county", "township", "village"]))
    paths = _acting_paths(scope)
    if not paths:
        return []
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return list(qs.filter(q))


def _check_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise DomainError(BoardCode.MISSING_FIELD, _("Give the family a label."), field="label")
    if "某" not in label:
        raise DomainError(
            BoardCode.PERSONAL_DATA,
            _("Write the family as a label with the surname only, such as 张某某家."),
            field="label",
        )
    return label


@transaction.atomic
def family_create(
    *,
    actor: User,
    area: Area,
    label: str,
    members: int = 1,
    situation: str = "",
    contact_phone: str = "",
    plan: str = "",
) -> Family:
    """Register a family in difficulty in an area the actor manages; audited."""
    if not can_manage_families(actor, area):
        raise NotFound(CoreCode.NOT_FOUND, _("No area of yours has this code."))
    label = _check_label(label)
    phone = normalize_phone(contact_phone)
    if phone and not is_valid_phone(phone):
        raise DomainError(
            BoardCode.INVALID_PHONE, _("This is not a valid phone number."), field="contact_phone"
        )
    family = Family.objects.create(
        area=area,
        label=label,
        members=max(1, members),
        situation=situation.strip(),
        contact_phone=phone,
        plan=plan.strip(),
    )
    audit_record(actor=actor, verb="family.create", target=family, data={"area": area.code})
    return family


@transaction.atomic
def family_plan_save(*, actor: User, family: Family, plan: str) -> Family:
    """Update the support plan (帮扶方案); managers only; audited."""
    if not can_manage_families(actor, family.area):
        raise _not_found()
    family.plan = plan.strip()
    family.save(update_fields=["plan"])
    audit_record(actor=actor, verb="family.plan", target=family)
    return family


def deputy_serves_area(deputy: Deputy, path: str) -> bool:
    """Whether one of the deputy's stations or active mandates lies on the line of the area at
    `path` (the area itself, above or below it)."""
    return any(
        path_within(path, own) or path_within(own, path) for own in deputy_reach(deputy).paths
    )


@transaction.atomic
def family_pair(
    *, actor: User, family: Family, deputy: Deputy, start: date | None = None
) -> Pairing:
    """Pair a deputy with the family (once; pairing again is refused). Managers only. The
    deputy must belong on the family's line (a station or a mandate in the family's area, above
    it or below it, never a sibling township's): an outside code is refused like an unknown one."""
    if not can_manage_families(actor, family.area):
        raise _not_found()
    if not deputy_serves_area(deputy, family.area.path):
        raise DomainError(BoardCode.INVALID_VALUE, _("No deputy has this code."), field="deputy")
    if Pairing.objects.filter(family=family, deputy=deputy).exists():
        raise DomainError(
            BoardCode.ALREADY_PAIRED,
            _("This deputy is already paired with the family."),
            field="deputy",
        )
    pairing = Pairing.objects.create(
        family=family, deputy=deputy, start=start or timezone.localdate()
    )
    audit_record(actor=actor, verb="family.pair", target=family, data={"deputy": deputy.code})
    return pairing


@transaction.atomic
def support_record_add(
    *,
    actor: User,
    family: Family,
    deputy: Deputy,
    on: date,
    kind: str,
    value_yuan: Decimal = Decimal(0),
    note: str = "",
) -> SupportRecord:
    """Record a visit or support given by a paired deputy: by the managers or by that deputy.
    Money and goods need a positive value in yuan; a plain visit has none. Not in the future."""
    if not _handles(actor, family):
        raise _not_found()
    scope = scope_for(actor)
    if not can_manage_families(actor, family.area) and deputy.pk not in scope.deputy_ids:
        raise DomainError(
            BoardCode.NOT_ALLOWED, _("You may record only your own visits."), field="deputy"
        )
    if not Pairing.objects.filter(family=family, deputy=deputy).exists():
        raise DomainError(
            BoardCode.NOT_PAIRED, _("This deputy is not paired with the family."), field="deputy"
        )
    if kind not in SupportKind.values:
        raise DomainError(BoardCode.INVALID_VALUE, _("Choose the kind of support."), field="kind")
    if on > timezone.localdate():
        raise DomainError(
            BoardCode.INVALID_DATE, _("The date cannot be in the future."), field="date"
        )
    value = Decimal(value_yuan or 0)
    if value < 0:
        raise DomainError(
            BoardCode.INVALID_VALUE, _("The value cannot be negative."), field="value_yuan"
        )
    if kind in (SupportKind.MONEY, SupportKind.IN_KIND) and value <= 0:
        raise DomainError(
            BoardCode.INVALID_VALUE,
            _("Give the value in yuan of the money or goods."),
            field="value_yuan",
        )
    if kind == SupportKind.VISIT:
        value = Decimal(0)
    return SupportRecord.objects.create(
        family=family,
        deputy=deputy,
        date=on,
        kind=kind,
        value_yuan=value,
        note=note.strip()[:500],
        created_by=actor,
    )


def family_phone_reveal(*, actor: User, family: Family) -> str:
    """The family's full contact phone, for those who handle it; every reveal is audited."""
    if not _handles(actor, family):
        raise _not_found()
    audit_record(actor=actor, verb="family.reveal_phone", target=family)
    return family.contact_phone


# ---- selectors ---------------------------------------------------------------------------------


def _visible_q(viewer: User) -> Q | None:
    scope = scope_for(viewer)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    for path in _acting_paths(scope):
        q |= Q(area__path__startswith=path)
    if scope.deputy_ids:
        q |= Q(pk__in=Pairing.objects.filter(deputy_id__in=scope.deputy_ids).values("family_id"))
    return q


def families_for(*, viewer: User) -> QuerySet[Family]:
    """Families the viewer handles, with their area and paired deputies (three queries)."""
    qs = (
        Family.objects.select_related("area")
        .prefetch_related("pairings__deputy")
        .annotate(records=Count("support"))
        .order_by("area__path", "label")
    )
    q = _visible_q(viewer)
    return qs if q is None else qs.filter(q)


def family_get(*, viewer: User, pk: int) -> Family:
    family = families_for(viewer=viewer).filter(pk=pk).first()
    if family is None:
        raise _not_found()
    return family


def masked_phone(family: Family) -> str:
    return mask_phone(family.contact_phone)


def support_of(*, family: Family) -> list[SupportRecord]:
    return list(family.support.select_related("deputy").order_by("-date", "-pk"))


@dataclass(frozen=True)
class SupportFigures:
    """What the bulletins report: 走访慰问人次 (records: one deputy, one visit, with or without
    support) and 捐赠款物 in 万元 (money and goods)."""

    visits: int
    value_wan: Decimal
    families: int


def support_figures(*, area_path: str, start: date, end: date) -> SupportFigures:
    """Figures of the support given to families in an area (and below) within [start, end]."""
    qs = SupportRecord.objects.filter(
        family__area__path__startswith=area_path, date__gte=start, date__lte=end
    )
    row = qs.aggregate(
        visits=Count("pk"), value=Sum("value_yuan"), families=Count("family", distinct=True)
    )
    value = Decimal(row["value"] or 0) / Decimal(10000)
    return SupportFigures(
        visits=row["visits"] or 0,
        value_wan=value.quantize(Decimal("0.01")),
        families=row["families"] or 0,
    )


def figures_for(*, viewer: User, start: date, end: date) -> SupportFigures | None:
    """The figures over the viewer's widest area (None when the viewer manages no area)."""
    scope = scope_for(viewer)
    if scope.everything:
        return support_figures(area_path="/", start=start, end=end)
    paths = sorted(_acting_paths(scope) + scope.leader_paths, key=len)
    if not paths:
        return None
    return support_figures(area_path=paths[0], start=start, end=end)


def deputy_by_code(code: str) -> Deputy | None:
    """The deputy an officer names by code to pair with a family (any deputy: the pairing
    checks that they serve the family's area)."""
    return Deputy.objects.filter(code=code.strip()).first()
