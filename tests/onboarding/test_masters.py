"""Station masters (双站长): a fixed master and a monthly rotating master, with who is master
today on the station's page and in the API."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.core.errors import DomainError, Forbidden, NotFound
from lianluo.core.models import AuditLog, Notification
from lianluo.deputies.models import Deputy
from lianluo.onboarding.selectors import master_candidates, master_schedule, masters_on
from lianluo.onboarding.services import (
    master_remove,
    master_rotation_generate,
    master_set_fixed,
)
from lianluo.stations.models import Station, StationMaster

TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 12, 10, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def hub(demo) -> Station:
    return demo["cg_hub"]


@pytest.fixture
def members(hub) -> list[Deputy]:
    return master_candidates(station=hub)


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_candidates_are_the_deputies_of_the_station_and_its_sub_stations(hub, members):
    codes = {d.code for d in members}
    expected = set(
        Deputy.objects.filter(memberships__station__in=[hub, *hub.children.all()]).values_list(
            "code", flat=True
        )
    )
    assert codes == expected and len(codes) > 4


def test_a_new_fixed_master_takes_over_the_day_after_the_previous_one_ends(
    demo, hub, members, users, settings, django_capture_on_commit_callbacks
):
    settings.LIANLUO_OUTBOX_MODE = "sync"
    second = demo["deputy"]  # a deputy of the hub who signs in
    first = next(d for d in members if d != second)
    master_set_fixed(station=hub, deputy=first, start=date(2026, 1, 1), actor=users["liaison"])

    with django_capture_on_commit_callbacks(execute=True):
        master_set_fixed(
            station=hub, deputy=second, start=date(2026, 12, 15), actor=users["liaison"]
        )

    old = StationMaster.objects.get(deputy=first)
    assert old.end == date(2026, 12, 14)
    assert masters_on(station=hub).fixed.deputy == first
    assert masters_on(station=hub, day=date(2026, 12, 15)).fixed.deputy == second
    assert AuditLog.objects.filter(verb="master_set_fixed").count() == 2
    note = Notification.objects.get(user=users["deputy"], outbox__kind="station_master")
    assert "2026-12-15" in note.body
    # the link is a page the deputy can open (the officer's masters page is not one)
    assert note.link.endswith(f"/s/{hub.code}/")
    deputy = Client()
    deputy.force_login(users["deputy"])
    assert deputy.get(f"/masters/{hub.code}/").status_code == 404
    assert deputy.get(f"/s/{hub.code}/").status_code == 200


def test_a_monthly_rotation_gives_each_month_to_the_next_deputy(hub, members, users):
    # when the officer makes a twelve-month rotation among three deputies from December
    three = members[:3]
    rows = master_rotation_generate(
        station=hub, deputies=three, start=date(2026, 12, 1), months=12, actor=users["liaison"]
    )

    # then each month has one rotating master, in turn, for the whole month
    assert len(rows) == 12
    got = [(m.start, m.end, m.deputy) for m in master_schedule(station=hub)]
    assert got[0] == (date(2026, 12, 1), date(2026, 12, 31), three[0])
    assert got[1] == (date(2027, 1, 1), date(2027, 1, 31), three[1])
    assert got[2][1] == date(2027, 2, 28)
    assert [g[2] for g in got] == [three[i % 3] for i in range(12)]
    assert masters_on(station=hub).rotating.deputy == three[0]
    with time_machine.travel(datetime(2027, 2, 20, tzinfo=TZ), tick=False):
        assert masters_on(station=hub).rotating.deputy == three[2]


def test_a_new_rotation_replaces_the_months_it_covers_and_cuts_a_running_one(hub, members, users):
    a, b, c = members[:3]
    master_rotation_generate(
        station=hub, deputies=[a], start=date(2026, 12, 1), months=6, actor=users["liaison"]
    )
    # an open-ended rotating entry from before, still running
    StationMaster.objects.create(station=hub, deputy=c, kind="rotating", start=date(2026, 1, 1))

    master_rotation_generate(
        station=hub, deputies=[b], start=date(2027, 2, 1), months=2, actor=users["liaison"]
    )

    months = [
        (m.start, m.deputy)
        for m in StationMaster.objects.filter(station=hub, start__gte=date(2026, 12, 1))
    ]
    assert months == [
        (date(2026, 12, 1), a),
        (date(2027, 1, 1), a),
        (date(2027, 2, 1), b),
        (date(2027, 3, 1), b),
        (date(2027, 4, 1), a),
        (date(2027, 5, 1), a),
    ]
    assert StationMaster.objects.get(deputy=c).end == date(2027, 1, 31)


def test_only_the_stations_deputies_and_a_sensible_period_are_accepted(hub, users):
    outsider = Deputy.objects.filter(memberships__station__code="hk-hub").first()
    with pytest.raises(DomainError) as refused:
        master_set_fixed(
            station=hub, deputy=outsider, start=date(2026, 12, 1), actor=users["staff"]
        )
    assert refused.value.code == "not_a_candidate"
    member = master_candidates(station=hub)[0]
    with pytest.raises(DomainError) as refused:
        master_rotation_generate(
            station=hub, deputies=[member], start=date(2026, 12, 1), months=40, actor=users["staff"]
        )
    assert refused.value.code == "invalid_value"
    assert not StationMaster.objects.exists()


@pytest.mark.parametrize(
    ("username", "refusal"),
    [("leader", Forbidden), ("other", NotFound), ("deputy", NotFound), ("dept", NotFound)],
)
def test_only_the_stations_officer_and_staff_set_masters(hub, members, users, username, refusal):
    with pytest.raises(refusal):
        master_set_fixed(
            station=hub, deputy=members[0], start=date(2026, 12, 1), actor=users[username]
        )
    response = signed_in(users[username]).post(
        f"/masters/{hub.code}/fixed/", {"deputy": members[0].pk, "start": "2026-12-01"}
    )
    assert response.status_code == (403 if refusal is Forbidden else 404)
    assert not StationMaster.objects.exists()


def test_the_masters_page_shows_who_is_master_today_and_sets_them(hub, members, users):
    officer = signed_in(users["liaison"])

    response = officer.post(
        f"/masters/{hub.code}/fixed/", {"deputy": members[0].pk, "start": "2026-12-01"}
    )
    assert response.status_code == 302
    response = officer.post(
        f"/masters/{hub.code}/rotation/",
        {"deputies": [members[1].pk, members[2].pk], "start": "2026-12", "months": "4"},
    )
    assert response.status_code == 302

    page = officer.get(f"/masters/{hub.code}/").content.decode()
    assert f'data-testid="fixed-today">{members[0].name}<' in page
    assert f'data-testid="rotating-today">{members[1].name}<' in page
    assert page.count("Rotating station master") >= 4

    bad = officer.post(f"/masters/{hub.code}/rotation/", {"start": "December", "months": "4"})
    assert bad.status_code == 400
    assert "Give a month such as 2026-12." in bad.content.decode()


def test_an_entry_can_be_removed(hub, members, users):
    rows = master_rotation_generate(
        station=hub, deputies=members[:2], start=date(2026, 12, 1), months=2, actor=users["staff"]
    )
    master_remove(master=rows[1], actor=users["staff"])
    assert StationMaster.objects.count() == 1
    assert AuditLog.objects.filter(verb="master_remove").exists()


def test_the_api_tells_todays_masters(hub, members, users, api):
    master_set_fixed(station=hub, deputy=members[0], start=date(2026, 12, 1), actor=users["staff"])
    master_rotation_generate(
        station=hub, deputies=[members[1]], start=date(2026, 12, 1), months=1, actor=users["staff"]
    )

    body = api("liaison").get(f"/api/v1/stations/{hub.code}/masters").json()

    assert body["fixed"]["deputy_code"] == members[0].code
    assert body["rotating"] == {
        "deputy_code": members[1].code,
        "deputy_name": members[1].name,
        "start": "2026-12-01",
        "end": "2026-12-31",
    }
    assert api("other").get(f"/api/v1/stations/{hub.code}/masters").status_code == 404
