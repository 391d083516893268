"""Publication of rankings on the public board (阳光栏公示) with an objection window (the annual
evaluation is in `lianluo.board.evaluation`).

A publication snapshots the ranking of a station's or a congress's deputies for a period into
`Publication.ranking`, so entries credited later never change what was published. While
`now < objection_deadline` a deputy in that ranking may object (to the ranking or to one of
their entries); an officer or staff member in scope decides, and upholding an objection about
a counted entry reverses that entry through the points ledger (`points_reverse`).

Who publishes and decides: for a station, its liaison officers and congress staff whose area
covers the station; for a congress, staff whose area covers the congress's area; the system
administrator everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.board.errors import BoardCode
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, Role, RoleAssignment, User
from lianluo.core.scope import scope_for
from lianluo.core.selectors import first_or_not_found
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy, Mandate
from lianluo.duty.models import (
    EntryStatus,
    Objection,
    ObjectionStatus,
    PointEntry,
    Publication,
)
from lianluo.duty.selectors import rank_rows
from lianluo.duty.services import points_reverse
from lianluo.stations.models import Station, StationMembership

# ---- the ranking of a period -------------------------------------------------------------------


def _deputies_of(*, congress: Congress | None, station: Station | None) -> QuerySet[Deputy]:
    if station is not None:
        return Deputy.objects.filter(
            pk__in=StationMembership.objects.filter(station=station).values("deputy_id")
        )
    assert congress is not None
    return Deputy.objects.filter(
        pk__in=Mandate.objects.filter(congress=congress, active=True).values("deputy_id")
    )


def period_ranking(
    *, congress: Congress | None = None, station: Station | None = None, start: date, end: date
) -> list[dict[str, Any]]:
    """The ranking of a station's members (or a congress's deputies with an active mandate) by
    counted points of entries dated within [start, end]; every deputy appears, with 0 when they
    have none; ties share a rank (1, 1, 3), then by code. Two queries whatever the size."""
    people = list(_deputies_of(congress=congress, station=station).only("pk", "code", "name"))
    totals = {
        pk: Decimal(total or 0)
        for pk, total in PointEntry.objects.filter(
            status=EntryStatus.APPROVED,
            occurred_on__gte=start,
            occurred_on__lte=end,
            deputy_id__in=[d.pk for d in people],
        )
        .values("deputy_id")
        .annotate(total=Sum("points"))
        .values_list("deputy_id", "total")
    }
    return [
        {
            "rank": row.rank,
            "deputy": row.deputy.code,
            "name": row.deputy.name,
            "points": str(row.points.quantize(Decimal("0.1"))),
        }
        for row in rank_rows(people, totals)
    ]


# ---- who may publish and decide ----------------------------------------------------------------


def can_publish(user: User | None, *, congress: Congress, station: Station | None) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    if station is not None:
        if station.pk in scope.station_ids:
            return True
        return scope.covers_path(station.area.path, acting=True)
    return scope.covers_path(congress.area.path, acting=True)


def _can_run(user: User | None, publication: Publication) -> bool:
    return can_publish(user, congress=publication.congress, station=publication.station)


def _not_found() -> NotFound:
    return NotFound(CoreCode.NOT_FOUND, _("No published ranking has this number."))


def _ranked_ids(publication: Publication) -> set[str]:
    return {str(row.get("deputy")) for row in publication.ranking}


def _board_link(publication: Publication) -> str:
    return reverse("board:publication", args=[publication.pk])


# ---- services ----------------------------------------------------------------------------------


@transaction.atomic
def publication_publish(
    *,
    actor: User,
    congress: Congress | None = None,
    station: Station | None = None,
    title: str,
    period_start: date,
    period_end: date,
    visible_days: int,
    objection_days: int,
) -> Publication:
    """Publish the ranking of a station's members or a congress's deputies for a period.

    Preconditions: the actor runs the station or the congress's area; start <= end; the
    objection window (days from now) is at least one day and no longer than the time shown.
    Side effects: the ranking is fixed in the row; every ranked deputy with an account is told
    through the outbox; an audit entry."""
    if (congress is None) == (station is None):
        raise DomainError(
            BoardCode.INVALID_VALUE, _("Publish for a station or for a congress."), field="station"
        )
    if station is not None:
        congress = station.congress
    assert congress is not None
    if not can_publish(actor, congress=congress, station=station):
        raise NotFound(CoreCode.NOT_FOUND, _("No station or congress of yours has this code."))
    if period_start > period_end:
        raise DomainError(
            BoardCode.INVALID_PERIOD, _("The period must start before it ends."), field="period_end"
        )
    if objection_days < 1:
        raise DomainError(
            BoardCode.INVALID_VALUE,
            _("Leave at least one day for objections."),
            field="objection_days",
        )
    if visible_days < objection_days:
        raise DomainError(
            BoardCode.INVALID_VALUE,
            _("The ranking must stay on the board at least as long as objections are open."),
            field="visible_days",
        )
    title = title.strip()
    if not title:
        raise DomainError(
            BoardCode.MISSING_FIELD, _("Give the publication a title."), field="title"
        )
    now = timezone.now()
    today = timezone.localdate(now)
    rows = period_ranking(congress=congress, station=station, start=period_start, end=period_end)
    publication = Publication.objects.create(
        congress=congress,
        station=station,
        title=title,
        period_start=period_start,
        period_end=period_end,
        published_at=now,
        visible_until=today + timedelta(days=visible_days),
        objection_deadline=now + timedelta(days=objection_days),
        ranking=rows,
        published_by=actor,
    )
    deputies = Deputy.objects.filter(
        code__in=[r["deputy"] for r in rows], user__isnull=False
    ).select_related("user")
    deadline = timezone.localtime(publication.objection_deadline).strftime("%Y-%m-%d %H:%M")
    outbox_enqueue(
        recipients=[d.user for d in deputies if d.user is not None],
        kind="board_published",
        subject=_("Ranking published: %(title)s") % {"title": title},
        body=_(
            "The ranking “%(title)s” is on the public board. If an entry of yours is wrong, "
            "you may object until %(deadline)s."
        )
        % {"title": title, "deadline": deadline},
        link=_board_link(publication),
    )
    audit_record(
        actor=actor,
        verb="board.publish",
        target=publication,
        data={"deputies": len(rows), "period": [str(period_start), str(period_end)]},
    )
    return publication


def objection_open(publication: Publication, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < publication.objection_deadline


@transaction.atomic
def objection_file(
    *, actor: User, publication: Publication, entry: PointEntry | None = None, text: str
) -> Objection:
    """A deputy in the published ranking objects to it (or to one of their own entries).

    Refused once the objection deadline has passed, for someone not in the ranking, and for an
    entry that is not theirs. Side effects: the publisher and the officers of the station (if
    any) are told through the outbox."""
    ranked = _ranked_ids(publication)
    deputy = (
        Deputy.objects.filter(pk__in=scope_for(actor).deputy_ids, code__in=ranked)
        .order_by("pk")
        .first()
    )
    if deputy is None:
        raise DomainError(
            BoardCode.NOT_IN_RANKING,
            _("Only a deputy in this ranking may object to it."),
            field="text",
        )
    if not objection_open(publication):
        deadline = timezone.localtime(publication.objection_deadline).strftime("%Y-%m-%d %H:%M")
        raise DomainError(
            BoardCode.OBJECTION_CLOSED,
            _("The objection period ended on %(deadline)s; objections are no longer accepted.")
            % {"deadline": deadline},
            field="text",
        )
    text = text.strip()
    if not text:
        raise DomainError(BoardCode.MISSING_FIELD, _("Say what is wrong."), field="text")
    if entry is not None and entry.deputy_id != deputy.pk:
        raise DomainError(BoardCode.INVALID_VALUE, _("This entry is not yours."), field="entry")
    objection = Objection.objects.create(
        publication=publication, deputy=deputy, entry=entry, text=text
    )
    recipients: list[User] = [publication.published_by] if publication.published_by else []
    if publication.station_id:
        recipients += [
            ra.user
            for ra in RoleAssignment.objects.filter(
                role=Role.LIAISON, station_id=publication.station_id
            ).select_related("user")
        ]
    outbox_enqueue(
        recipients=recipients,
        kind="board_objection",
        subject=_("Objection to “%(title)s”") % {"title": publication.title},
        body=_("%(name)s objects: %(text)s") % {"name": deputy.name, "text": text[:200]},
        link=_board_link(publication),
    )
    return objection


@transaction.atomic
def objection_decide(*, actor: User, objection: Objection, uphold: bool, outcome: str) -> Objection:
    """Record the outcome of an open objection (by whoever runs the publication).

    Upholding an objection about a counted entry reverses that entry in the points ledger
    (a correcting entry; the published snapshot stays as published, the outcome says what
    changed). Side effects: the deputy is told; an audit entry."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("publication__congress__area", "publication__station__area", "deputy")
        .get(pk=objection.pk)
    )
    if not _can_run(actor, objection.publication):
        raise NotFound(CoreCode.NOT_FOUND, _("No objection has this number."))
    if objection.status != ObjectionStatus.OPEN:
        raise DomainError(BoardCode.ALREADY_DECIDED, _("This objection has already been decided."))
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(BoardCode.MISSING_FIELD, _("Record the outcome."), field="outcome")
    reversed_entry = None
    if uphold and objection.entry_id:
        entry = PointEntry.objects.filter(pk=objection.entry_id).first()
        already = entry is None or PointEntry.objects.filter(reverses=entry).exists()
        if entry is not None and entry.status == EntryStatus.APPROVED and not already:
            reversed_entry = points_reverse(actor=actor, entry=entry, reason=outcome[:500])
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.outcome = outcome
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save(update_fields=["status", "outcome", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        verb="board.objection_decide",
        target=objection,
        data={
            "uphold": uphold,
            "reversal": reversed_entry.pk if reversed_entry else None,
        },
    )
    if objection.deputy.user_id:
        outcome_label = _("upheld") if uphold else _("dismissed")
        outbox_enqueue(
            recipients=[objection.deputy.user],  # type: ignore[list-item]
            kind="board_objection_decided",
            subject=_("Your objection was %(outcome)s") % {"outcome": outcome_label},
            body=outcome,
            link=_board_link(objection.publication),
        )
    return objection


# ---- selectors ---------------------------------------------------------------------------------


def board_for_station(*, station: Station) -> Publication | None:
    """What the station's public board (阳光栏) shows: its latest publication still shown
    (visible_until >= today), else its congress's. Public information; no viewer."""
    today = timezone.localdate()
    now = timezone.now()
    current = Publication.objects.filter(visible_until__gte=today, published_at__lte=now)
    own = current.filter(station=station).order_by("-published_at", "-pk").first()
    if own is not None:
        return own
    return (
        current.filter(station__isnull=True, congress_id=station.congress_id)
        .order_by("-published_at", "-pk")
        .first()
    )


def _publications_q(user: User) -> Q | None:
    scope = scope_for(user)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    for path in scope.read_paths:
        q |= Q(station__area__path__startswith=path) | Q(
            station__isnull=True, congress__area__path__startswith=path
        )
    if scope.deputy_ids:
        congress_ids = Mandate.objects.filter(deputy_id__in=scope.deputy_ids).values("congress_id")
        station_ids = StationMembership.objects.filter(deputy_id__in=scope.deputy_ids).values(
            "station_id"
        )
        # Candidates; ranked membership is checked in Python (JSON contents).
        q |= Q(station_id__in=station_ids) | Q(station__isnull=True, congress_id__in=congress_ids)
    return q


def own_deputy_codes(viewer: User) -> set[str]:
    """The codes of the deputies the viewer is (to find them in a published ranking)."""
    scope = scope_for(viewer)
    return set(Deputy.objects.filter(pk__in=scope.deputy_ids).values_list("code", flat=True))


def station_public_get(*, code: str) -> Station:
    """An active station, for its public board (public information); otherwise NotFound."""
    return first_or_not_found(
        Station.objects.filter(code=code, active=True).select_related("congress"),
        _("No station has this code."),
    )


def objection_get(*, viewer: User, pk: int) -> Objection:
    """An objection to a publication the viewer may see; otherwise NotFound."""
    objection = Objection.objects.select_related("publication").filter(pk=pk).first()
    if objection is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No objection has this number."))
    publication_get(viewer=viewer, pk=objection.publication_id)
    return objection


def congress_to_run(*, viewer: User, pk: int) -> Congress:
    """A congress the viewer publishes and evaluates for; otherwise NotFound."""
    congress = Congress.objects.select_related("area").filter(pk=pk).first()
    if congress is None or not can_publish(viewer, congress=congress, station=None):
        raise NotFound(CoreCode.NOT_FOUND, _("No congress of yours has this number."))
    return congress


def publication_list(*, viewer: User, limit: int = 100) -> list[Publication]:
    """Publications the viewer runs or reads (staff and leaders by area, officers by station),
    and those a deputy is ranked in; newest first."""
    qs = Publication.objects.select_related("congress", "station").order_by("-published_at")
    q = _publications_q(viewer)
    if q is not None:
        qs = qs.filter(q)
    scope = scope_for(viewer)
    rows = list(qs[:limit])
    if scope.everything or scope.read_paths or scope.station_ids:
        return rows
    codes = own_deputy_codes(viewer)
    return [p for p in rows if codes & _ranked_ids(p)]


def publication_get(*, viewer: User, pk: int) -> Publication:
    """A publication the viewer may see (as in publication_list); otherwise NotFound."""
    publication = (
        Publication.objects.select_related("congress__area", "station__area", "published_by")
        .filter(pk=pk)
        .first()
    )
    if publication is None:
        raise _not_found()
    scope = scope_for(viewer)
    if _can_run(viewer, publication):
        return publication
    path = publication.station.area.path if publication.station else publication.congress.area.path
    if scope.covers_path(path):
        return publication
    codes = own_deputy_codes(viewer)
    if codes & _ranked_ids(publication):
        return publication
    raise _not_found()


def objections_for(*, viewer: User, publication: Publication) -> list[Objection]:
    """All objections to a publication for those who run or read it; a deputy sees their own."""
    qs = publication.objections.select_related("deputy", "entry__item", "decided_by").order_by(
        "created_at", "pk"
    )
    scope = scope_for(viewer)
    if _can_run(viewer, publication) or scope.read_paths:
        return list(qs)
    return list(qs.filter(deputy_id__in=scope.deputy_ids))


def objectable_entries(*, viewer: User, publication: Publication) -> list[PointEntry]:
    """The viewer's own counted entries within the publication's period (to point at one)."""
    scope = scope_for(viewer)
    if not scope.deputy_ids:
        return []
    return list(
        PointEntry.objects.filter(
            deputy_id__in=scope.deputy_ids,
            status=EntryStatus.APPROVED,
            occurred_on__gte=publication.period_start,
            occurred_on__lte=publication.period_end,
        )
        .select_related("item")
        .order_by("-occurred_on", "-pk")
    )


def publish_targets(*, viewer: User) -> tuple[list[Station], list[Congress]]:
    """The stations and congresses the viewer may publish for."""
    scope = scope_for(viewer)
    stations = Station.objects.select_related("area", "congress").order_by("code")
    congresses = Congress.objects.select_related("area").order_by("area__code")
    if scope.everything:
        return list(stations), list(congresses)
    sq = Q(pk__in=scope.station_ids)
    cq = Q(pk__in=[])
    for path in scope.staff_paths:
        sq |= Q(area__path__startswith=path)
        cq |= Q(area__path__startswith=path)
    return list(stations.filter(sq)), list(congresses.filter(cq))
