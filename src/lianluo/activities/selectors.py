"""Reads of station activities and the deputy's home page, all scoped by the viewer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    MonthlyTheme,
    Signup,
)
from lianluo.activities.permissions import can_manage, managed_station_q, visible_q
from lianluo.activities.services import checkin_token_activity_id, month_start
from lianluo.cases.models import Case
from lianluo.cases.selectors import CaseFilters, case_list
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user as deputy_of
from lianluo.stations.models import Duty, Station, StationMembership
from lianluo.suggestions.models import Suggestion


def activity_queryset(*, viewer: User) -> QuerySet[Activity]:
    """Every activity the viewer may see, with the counts lists show and, for a deputy, whether
    they signed up and checked in (annotations, so a list costs one query)."""
    qs = Activity.objects.select_related("station", "theme").annotate(
        signup_count=Count("signups", distinct=True),
        checkin_count=Count(
            "signups", filter=Q(signups__checked_in_at__isnull=False), distinct=True
        ),
    )
    q = visible_q(scope_for(viewer))
    if q is not None:
        qs = qs.filter(q)
    deputy = deputy_of(viewer)
    if deputy is None:
        return qs.annotate(
            signed_up=Value(False, output_field=BooleanField()),
            checked_in=Value(False, output_field=BooleanField()),
        )
    mine = Signup.objects.filter(activity=OuterRef("pk"), deputy=deputy)
    return qs.annotate(
        signed_up=Exists(mine),
        checked_in=Exists(mine.filter(checked_in_at__isnull=False)),
    )


def seats_left(activity: Activity) -> int | None:
    """Free places (None: no limit); uses the list annotation when there is one."""
    if activity.capacity is None:
        return None
    taken = getattr(activity, "signup_count", None)
    if taken is None:
        taken = activity.signups.count()
    return max(0, activity.capacity - taken)


@dataclass
class ActivityFilters:
    station: str = ""  # station code
    status: str = ""  # one status, or "" for all
    upcoming: bool = False  # only those not yet over


def activity_list(*, viewer: User, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """The activities the viewer may see, soonest first for upcoming ones, else newest first."""
    f = filters or ActivityFilters()
    qs = activity_queryset(viewer=viewer)
    if f.station:
        qs = qs.filter(station__code=f.station)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.upcoming:
        return qs.filter(end__gte=timezone.now()).order_by("start", "pk")
    return qs.order_by("-start", "-pk")


def activities_managed(
    *, viewer: User, filters: ActivityFilters, limit: int = 100
) -> list[Activity]:
    """The officer's list: activities of the stations the viewer runs (not those they only
    read or attend), newest first."""
    qs = activity_list(viewer=viewer, filters=filters)
    return list(qs.filter(station__in=stations_managed(viewer=viewer))[:limit])


def activity_feed(*, viewer: User, filters: ActivityFilters) -> QuerySet[Activity]:
    """The API's list: what the viewer runs or reads in every status, a deputy only what is
    published unless they ask for a status; an unknown status is an empty list, not an error."""
    status = filters.status
    scope = scope_for(viewer)
    if not (scope.everything or scope.station_ids or scope.read_paths) and not status:
        status = ActivityStatus.PUBLISHED
    if status and status not in ActivityStatus.values:
        status = "-"  # matches nothing
    return activity_list(viewer=viewer, filters=replace(filters, status=status))


def activities_open_for_deputy(*, viewer: User) -> QuerySet[Activity]:
    """The published activities of the deputy's stations that are not over yet."""
    if deputy_of(viewer) is None:
        return Activity.objects.none()
    qs = activity_list(
        viewer=viewer, filters=ActivityFilters(status=ActivityStatus.PUBLISHED, upcoming=True)
    )
    # Only as a deputy: an officer who is also a deputy sees the stations they run elsewhere.
    member_of = StationMembership.objects.filter(deputy=deputy_of(viewer)).values("station_id")
    return qs.filter(station_id__in=member_of)


def activity_get(*, viewer: User, pk: int) -> Activity:
    """One activity; missing and not-yours are the same NotFound."""
    activity = activity_queryset(viewer=viewer).select_related("station__area").filter(pk=pk)
    found = activity.first()
    if found is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Activity not found."))
    return found


def activity_managed_get(*, viewer: User, pk: int) -> Activity:
    """One activity the viewer runs; seeing it without running it is not found too."""
    activity = activity_get(viewer=viewer, pk=pk)
    if not can_manage(viewer, activity.station):
        raise NotFound(CoreCode.NOT_FOUND, _("Activity not found."))
    return activity


def activity_photo_get(*, viewer: User, pk: int, photo_id: int) -> ActivityPhoto:
    """A photo of an activity the viewer may see."""
    photo = activity_get(viewer=viewer, pk=pk).photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Activity not found."))
    return photo


def activity_photos(*, activity: Activity) -> list[ActivityPhoto]:
    return list(activity.photos.all())


def activity_suggestions(*, activity: Activity) -> list[Suggestion]:
    return list(activity.suggestions.all())


def activity_of_checkin_token(token: str) -> Activity | None:
    """The activity a genuine check-in code names (to title a refusal), whatever its age."""
    try:
        pk = checkin_token_activity_id(token)
    except DomainError:
        return None
    return Activity.objects.filter(pk=pk).first()


def stations_managed(*, viewer: User) -> QuerySet[Station]:
    """Stations whose activities the viewer runs (officers: theirs; staff: their area)."""
    q = managed_station_q(scope_for(viewer))
    qs = Station.objects.filter(active=True).select_related("area").order_by("code")
    return qs if q is None else qs.filter(q)


def station_managed_get(*, viewer: User, code: str) -> Station:
    station = stations_managed(viewer=viewer).select_related("congress").filter(code=code).first()
    if station is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))
    return station


def themes_of(*, station: Station, months: int = 12) -> list[MonthlyTheme]:
    return list(MonthlyTheme.objects.filter(station=station).order_by("-month")[:months])


def theme_for(*, station: Station, day: date) -> MonthlyTheme | None:
    return MonthlyTheme.objects.filter(station=station, month=month_start(day)).first()


def attendance(*, activity: Activity) -> list[Signup]:
    """Who signed up and who checked in, checked-in first."""
    return list(
        Signup.objects.filter(activity=activity)
        .select_related("deputy")
        .order_by("checked_in_at", "created_at", "pk")
    )


def station_deputies(*, station: Station) -> list[Deputy]:
    return list(Deputy.objects.filter(memberships__station=station).order_by("code"))


@dataclass
class DeputyHome:
    """What a deputy sees first on the phone."""

    deputy: Deputy | None
    stations: list[Station] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    signed_up: list[Activity] = field(default_factory=list)
    open_count: int = 0
    cases: list[Case] = field(default_factory=list)
    open_case_count: int = 0


def deputy_home(*, viewer: User, limit: int = 5) -> DeputyHome:
    """My stations, my next duties (published reception days from today), the activities I
    signed up for that are not over, and the open cases addressed to me or in my hands."""
    deputy = deputy_of(viewer)
    if deputy is None:
        return DeputyHome(deputy=None)
    today = timezone.localdate()
    # One membership per deputy and station: the join duplicates no row.
    stations = list(
        Station.objects.filter(memberships__deputy=deputy).order_by("-memberships__primary", "code")
    )
    duties = list(
        Duty.objects.filter(
            deputy=deputy, reception_day__status="published", reception_day__date__gte=today
        )
        .select_related("reception_day__station")
        .order_by("reception_day__date", "reception_day__start")[:limit]
    )
    # One sign-up per deputy and activity: joining on it duplicates no row.
    upcoming = activity_list(viewer=viewer, filters=ActivityFilters(upcoming=True))
    signed_up = list(upcoming.filter(signups__deputy=deputy)[:limit])
    open_count = activities_open_for_deputy(viewer=viewer).exclude(signups__deputy=deputy).count()
    cases = case_list(viewer=viewer, filters=CaseFilters(status="open")).filter(
        Q(deputy=deputy) | Q(responsible_deputy=deputy)
    )
    return DeputyHome(
        deputy=deputy,
        stations=stations,
        duties=duties,
        signed_up=signed_up,
        open_count=open_count,
        cases=list(cases[:limit]),
        open_case_count=cases.count(),
    )
