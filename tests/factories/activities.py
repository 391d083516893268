"""Station activities for tests, built through the services (a published activity is created
and then published, as an officer would)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianluo.activities.models import Activity
from lianluo.activities.services import activity_create, activity_publish
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station, StationMembership


def activity_make(
    *,
    actor: User,
    station: Station,
    capacity: int | None = None,
    starts_in: timedelta = timedelta(days=2),
    hours: float = 2,
    publish: bool = True,
    title: str = "民生实事座谈会",
    place: str = "城关镇政府一楼会议室",
) -> Activity:
    """A symposium of the station starting `starts_in` from now, published unless told not."""
    start = timezone.now() + starts_in
    activity = activity_create(
        actor=actor,
        station=station,
        type="symposium",
        title=title,
        place=place,
        start=start,
        end=start + timedelta(hours=hours),
        capacity=capacity,
    )
    return activity_publish(actor=actor, activity=activity) if publish else activity


def deputy_user(deputy: Deputy) -> User:
    """A login acting as this deputy (the demo has one; tests need more)."""
    if deputy.user_id:
        return deputy.user  # type: ignore[return-value]
    user = User.objects.create_user(username=f"u-{deputy.code}", display_name=deputy.name)
    deputy.user = user
    deputy.save(update_fields=["user"])
    RoleAssignment.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
    return user


def members(station: Station, n: int) -> list[Deputy]:
    """n deputies grouped into the station (adding others to it as needed), demo deputy first."""
    have = list(Deputy.objects.filter(memberships__station=station).order_by("code"))
    for d in Deputy.objects.exclude(memberships__station=station).order_by("code"):
        if len(have) >= n:
            break
        StationMembership.objects.create(station=station, deputy=d, primary=False)
        have.append(d)
    return have[:n]
