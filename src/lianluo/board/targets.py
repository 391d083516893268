"""Targets (e.g. the deputy's and the deputy group's 五个一) and themed campaigns (主题活动).

A target counts the deputy's counted entries (approved, not reversed) of duty items with its
code, in the target set's year or the campaign's period. A group's progress is the sum over its
members; a station's or an area's is how many of its deputies have met each target.

The default codes follow the default catalog (lianluo.duty.catalog): suggestion, idea,
research, family, case_closed (a practical matter done for the people: a case closed out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.board.errors import BoardCode
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import AuditLog, Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.selectors import first_or_not_found
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy, DeputyGroup, Mandate
from lianluo.duty.models import (
    Campaign,
    EntrySource,
    EntryStatus,
    PointEntry,
    Target,
    TargetScope,
    TargetSet,
)
from lianluo.duty.selectors import can_manage_points, deputies_managed
from lianluo.stations.models import Station, StationMembership

DEPUTY_FIVE = [
    ("一件高质量建议", "suggestion"),
    ("一个金点子", "idea"),
    ("一次专题调研", "research"),
    ("结对一户困难家庭", "family"),
    ("办成一件实事", "case_closed"),
]
GROUP_FIVE = [
    ("一次集中学习", "training", 1),
    ("一次专题调研", "research", 1),
    ("一次视察", "inspection", 1),
    ("一件集体建议", "suggestion", 1),
    ("两件实事", "case_closed", 2),
]


def _staff_of(user: User | None, congress: Congress) -> bool:
    return scope_for(user).covers_path(congress.area.path, acting=True)


@transaction.atomic
def target_sets_install_default(*, actor: User, congress: Congress, year: int) -> list[TargetSet]:
    """The deputy's and the group's 五个一 for a congress and year (once); staff only."""
    if not _staff_of(actor, congress):
        raise NotFound(CoreCode.NOT_FOUND, _("No congress of yours has this number."))
    sets = []
    for scope, name, rows in (
        (TargetScope.DEPUTY, "代表“五个一”", [(lbl, code, 1) for lbl, code in DEPUTY_FIVE]),
        (TargetScope.GROUP, "代表小组“五个一”", GROUP_FIVE),
    ):
        target_set, created = TargetSet.objects.get_or_create(
            congress=congress, year=year, scope=scope, name=name
        )
        if created:
            Target.objects.bulk_create(
                [
                    Target(target_set=target_set, label=label, item_code=code, count=count)
                    for label, code, count in rows
                ]
            )
            audit_record(actor=actor, verb="targets.install", target=target_set)
        sets.append(target_set)
    return sets


# ---- progress ----------------------------------------------------------------------------------


Subject = TypeVar("Subject", Deputy, DeputyGroup)


@dataclass
class Progress(Generic[Subject]):
    """Done vs target per target, for a deputy or a group."""

    subject: Subject
    rows: list[tuple[Target, int]]

    @property
    def met(self) -> int:
        return sum(1 for target, done in self.rows if done >= target.count)

    @property
    def complete(self) -> bool:
        return self.met == len(self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.met / len(self.rows)) if self.rows else 100


def _counts(
    deputy_ids: list[int], codes: list[str], start: date, end: date
) -> dict[tuple[int, str], int]:
    """Counted entries per (deputy, item code): approved, not reversals, not reversed."""
    rows = (
        PointEntry.objects.filter(
            deputy_id__in=deputy_ids,
            item__code__in=codes,
            status=EntryStatus.APPROVED,
            occurred_on__gte=start,
            occurred_on__lte=end,
            reversed_by__isnull=True,
        )
        .exclude(source=EntrySource.REVERSAL)
        .values("deputy_id", "item__code")
        .annotate(n=Count("pk"))
        .values_list("deputy_id", "item__code", "n")
    )
    return {(d, c): n for d, c, n in rows}


def _period(target_set: TargetSet, start: date | None, end: date | None) -> tuple[date, date]:
    return start or date(target_set.year, 1, 1), end or date(target_set.year, 12, 31)


def deputy_progress(
    *,
    target_set: TargetSet,
    deputies: list[Deputy],
    start: date | None = None,
    end: date | None = None,
) -> list[Progress[Deputy]]:
    """Each deputy's progress on the set (in its year, or the period given). Three queries."""
    targets = list(target_set.targets.all())
    start, end = _period(target_set, start, end)
    counts = _counts([d.pk for d in deputies], [t.item_code for t in targets], start, end)
    return [
        Progress(deputy, [(t, counts.get((deputy.pk, t.item_code), 0)) for t in targets])
        for deputy in deputies
    ]


def group_progress(
    *,
    target_set: TargetSet,
    groups: list[DeputyGroup],
    start: date | None = None,
    end: date | None = None,
) -> list[Progress[DeputyGroup]]:
    """Each group's progress: its members' counted entries added up."""
    targets = list(target_set.targets.all())
    start, end = _period(target_set, start, end)
    members: dict[int, list[int]] = defaultdict(list)
    for pk, group_id in Deputy.objects.filter(group__in=groups).values_list("pk", "group_id"):
        members[group_id].append(pk)
    all_ids = [pk for ids in members.values() for pk in ids]
    counts = _counts(all_ids, [t.item_code for t in targets], start, end)
    out = []
    for group in groups:
        rows = [
            (t, sum(counts.get((pk, t.item_code), 0) for pk in members[group.pk])) for t in targets
        ]
        out.append(Progress(group, rows))
    return out


@dataclass
class Summary:
    """How many of a station's or area's deputies have met each target, and all of them."""

    name: str
    deputies: int
    complete: int
    per_target: list[tuple[Target, int]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.deputies) if self.deputies else 0


def summarize(name: str, progress: list[Progress[Deputy]], targets: list[Target]) -> Summary:
    return Summary(
        name=name,
        deputies=len(progress),
        complete=sum(1 for p in progress if p.complete),
        per_target=[
            (t, sum(1 for p in progress if dict((x.pk, d) for x, d in p.rows)[t.pk] >= t.count))
            for t in targets
        ],
    )


def summaries_by_station(progress: list[Progress[Deputy]], targets: list[Target]) -> list[Summary]:
    """Per station (the deputy's primary station), then per township area."""

    ids = [p.subject.pk for p in progress]
    home = {
        deputy_id: (name, area)
        for deputy_id, name, area in StationMembership.objects.filter(
            deputy_id__in=ids, primary=True
        ).values_list("deputy_id", "station__name", "station__area__name")
    }
    by_station: dict[str, list[Progress[Deputy]]] = defaultdict(list)
    by_area: dict[str, list[Progress[Deputy]]] = defaultdict(list)
    for p in progress:
        station, area = home.get(p.subject.pk, ("—", "—"))
        by_station[station].append(p)
        by_area[area].append(p)
    return [summarize(n, ps, targets) for n, ps in sorted(by_area.items())] + [
        summarize(n, ps, targets) for n, ps in sorted(by_station.items())
    ]


# ---- who: the sets and deputies a viewer follows -----------------------------------------------


def target_sets_for(*, viewer: User, year: int | None = None) -> QuerySet[TargetSet]:
    """Target sets of congresses whose area the viewer reads (staff, leaders) or whose
    deputies they run (officers: their stations' congresses), or the deputy's congresses."""
    scope = scope_for(viewer)
    qs = TargetSet.objects.select_related("congress__area").order_by("-year", "congress", "scope")
    if year is not None:
        qs = qs.filter(year=year)
    if scope.everything:
        return qs

    q = Q(congress_id__in=Station.objects.filter(pk__in=scope.station_ids).values("congress_id"))
    for path in scope.read_paths:
        q |= Q(congress__area__path__startswith=path)
    if scope.deputy_ids:
        q |= Q(
            congress_id__in=Mandate.objects.filter(
                deputy_id__in=scope.deputy_ids, active=True
            ).values("congress_id")
        ) | Q(
            congress_id__in=Station.objects.filter(
                memberships__deputy_id__in=scope.deputy_ids
            ).values("congress_id")
        )
    return qs.filter(q)


def target_set_get(*, viewer: User, pk: int) -> TargetSet:
    return first_or_not_found(
        target_sets_for(viewer=viewer).filter(pk=pk), _("No target set has this number.")
    )


def deputies_followed(*, viewer: User, congress: Congress) -> list[Deputy]:
    """The congress's deputies whose points the viewer runs: those with an active mandate in
    it and those grouped into its stations (a county deputy at a township station)."""

    from lianluo.stations.models import StationMembership

    return list(
        deputies_managed(viewer=viewer)
        .filter(
            Q(pk__in=Mandate.objects.filter(congress=congress, active=True).values("deputy_id"))
            | Q(
                pk__in=StationMembership.objects.filter(station__congress=congress).values(
                    "deputy_id"
                )
            )
        )
        .select_related("user", "group")
    )


def groups_followed(*, viewer: User, congress: Congress) -> list[DeputyGroup]:
    scope = scope_for(viewer)
    groups = DeputyGroup.objects.filter(congress=congress).order_by("name")
    if scope.everything or scope.covers_path(congress.area.path):
        return list(groups)
    deputy_ids = [d.pk for d in deputies_followed(viewer=viewer, congress=congress)]
    deputy_ids += list(scope.deputy_ids)
    return list(groups.filter(members__in=deputy_ids).distinct())


# ---- reminders ---------------------------------------------------------------------------------


@transaction.atomic
def targets_remind(*, actor: User, target_set: TargetSet, deputies: list[Deputy]) -> int:
    """Remind deputies who are behind on the set (outbox), at most once per deputy per day;
    only deputies the actor runs. Returns how many were reminded now."""

    today = timezone.localdate()
    progress = {
        p.subject.pk: p  # type: ignore[attr-defined]
        for p in deputy_progress(target_set=target_set, deputies=deputies)
    }
    already = set(
        AuditLog.objects.filter(
            verb="targets.remind",
            target_type="deputies.deputy",
            target_id__in=[str(d.pk) for d in deputies],
            data__date=today.isoformat(),
        ).values_list("target_id", flat=True)
    )
    sent = 0
    for deputy in deputies:
        p = progress[deputy.pk]
        if p.complete or str(deputy.pk) in already or deputy.user is None:
            continue
        if not can_manage_points(actor, deputy):
            continue
        missing = "、".join(t.label for t, done in p.rows if done < t.count)
        outbox_enqueue(
            recipients=[deputy.user],
            kind="targets_remind",
            subject=_("Reminder: %(name)s") % {"name": target_set.name},
            body=_("Still to do this year: %(missing)s.") % {"missing": missing},
            link=reverse("board:my_targets"),
        )
        audit_record(
            actor=actor,
            verb="targets.remind",
            target=deputy,
            data={"date": today.isoformat(), "set": target_set.pk},
        )
        sent += 1
    return sent


# ---- campaigns ---------------------------------------------------------------------------------


@transaction.atomic
def campaign_save(
    *,
    actor: User,
    campaign: Campaign | None = None,
    name: str,
    start: date,
    end: date,
    congresses: list[Congress],
    target_set: TargetSet | None = None,
) -> Campaign:
    """Create or update a campaign; the actor must be staff of every congress taking part."""
    if not congresses:
        raise DomainError(
            BoardCode.MISSING_FIELD, _("Choose the congresses taking part."), field="congresses"
        )
    if any(not _staff_of(actor, c) for c in congresses):
        raise NotFound(CoreCode.NOT_FOUND, _("No congress of yours has this number."))
    if campaign is not None and not all(_staff_of(actor, c) for c in campaign.congresses.all()):
        raise NotFound(CoreCode.NOT_FOUND, _("No campaign has this number."))
    if start > end:
        raise DomainError(
            BoardCode.INVALID_PERIOD, _("The period must start before it ends."), field="end"
        )
    name = name.strip()
    if not name:
        raise DomainError(BoardCode.MISSING_FIELD, _("Give the campaign a name."), field="name")
    if campaign is None:
        campaign = Campaign.objects.create(name=name, start=start, end=end, target_set=target_set)
    else:
        campaign.name, campaign.start, campaign.end = name, start, end
        campaign.target_set = target_set
        campaign.save()
    campaign.congresses.set(congresses)
    audit_record(actor=actor, verb="campaign.save", target=campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, actor: User, campaign: Campaign) -> None:
    if not all(_staff_of(actor, c) for c in campaign.congresses.all()):
        raise NotFound(CoreCode.NOT_FOUND, _("No campaign has this number."))
    audit_record(actor=actor, verb="campaign.delete", target=campaign, data={"name": campaign.name})
    campaign.delete()


def campaigns_for(*, viewer: User) -> list[Campaign]:
    """Campaigns in which a congress the viewer follows takes part."""
    congress_ids = set(target_sets_for(viewer=viewer).values_list("congress_id", flat=True)) | set(
        _congresses_read(viewer)
    )
    qs = Campaign.objects.prefetch_related("congresses").order_by("-start")
    if not scope_for(viewer).everything:
        qs = qs.filter(congresses__in=congress_ids).distinct()
    return list(qs)


def _congresses_read(viewer: User) -> list[int]:
    scope = scope_for(viewer)

    q = Q(pk__in=Station.objects.filter(pk__in=scope.station_ids).values("congress_id"))
    for path in scope.read_paths:
        q |= Q(area__path__startswith=path)
    if scope.deputy_ids:
        q |= Q(pk__in=Mandate.objects.filter(deputy_id__in=scope.deputy_ids).values("congress_id"))
    return list(Congress.objects.filter(q).values_list("pk", flat=True))


def campaign_get(*, viewer: User, pk: int) -> Campaign:
    found = next((c for c in campaigns_for(viewer=viewer) if c.pk == pk), None)
    if found is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No campaign has this number."))
    return found


def campaign_progress(*, viewer: User, campaign: Campaign) -> dict[str, object]:
    """Progress in the campaign's period on its target set: per deputy the viewer runs (of the
    congresses taking part), per group, per station and area."""
    if campaign.target_set is None:
        return {"deputies": [], "groups": [], "summaries": [], "targets": []}
    ts = campaign.target_set
    targets = list(ts.targets.all())
    deputies: list[Deputy] = []
    groups: list[DeputyGroup] = []
    seen: set[int] = set()
    for congress in campaign.congresses.all():
        for d in deputies_followed(viewer=viewer, congress=congress):
            if d.pk not in seen:
                seen.add(d.pk)
                deputies.append(d)
        groups += groups_followed(viewer=viewer, congress=congress)
    progress = deputy_progress(
        target_set=ts, deputies=deputies, start=campaign.start, end=campaign.end
    )
    return {
        "targets": targets,
        "deputies": progress,
        "groups": group_progress(
            target_set=ts, groups=groups, start=campaign.start, end=campaign.end
        ),
        "summaries": summaries_by_station(progress, targets),
    }


def group_get(*, viewer: User, pk: int) -> DeputyGroup:
    """A deputy group whose targets the viewer follows (its congress's staff and officers, its
    members); otherwise NotFound."""
    group = DeputyGroup.objects.select_related("congress__area").filter(pk=pk).first()
    if group is None or group not in groups_followed(viewer=viewer, congress=group.congress):
        raise NotFound(CoreCode.NOT_FOUND, _("No group has this number."))
    return group
