"""The responsible deputy chosen on the web accept form among the case's deputies only, points
to the deputy who did the work (not to whoever is named), and a reception held on a past day
recorded from the station's page within the window."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lianluo.board.replay import points_replay
from lianluo.cases.models import Case
from lianluo.cases.reception.services import reception_day_for_record
from lianluo.duty.models import PointEntry
from lianluo.duty.services import catalog_install_default
from lianluo.stations.models import ReceptionDay, Station
from tests.factories.cases import case_walk

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=SH)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def catalog(demo):
    catalog_install_default(congress=demo["cg_hub"].congress, year=2026, actor=None)


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def work_points(deputy) -> list[str]:
    return sorted(
        PointEntry.objects.filter(
            deputy=deputy, item__code__in=["case_answered", "case_closed"]
        ).values_list("item__code", flat=True)
    )


def test_the_accept_form_names_a_deputy_of_the_cases_station_only(demo, make_case, users):
    case = make_case(station=demo["cg_hub"])
    ours = demo["deputy"].code
    outsider = Station.objects.get(code="hk-hub").memberships.first().deputy.code
    client = page(users["liaison"])
    form = client.get(f"/ledger/{case.number}/").content.decode()
    assert f'value="{ours}"' in form and f'value="{outsider}"' not in form

    refused = client.post(
        f"/ledger/{case.number}/do/accept/", {"accept-triage": "general", "accept-deputy": outsider}
    )
    case.refresh_from_db()
    assert refused.status_code == 400 and case.status == "submitted"

    done = client.post(
        f"/ledger/{case.number}/do/accept/", {"accept-triage": "general", "accept-deputy": ours}
    )
    case.refresh_from_db()
    assert done.status_code == 302 and case.responsible_deputy == demo["deputy"]


def test_the_officers_work_earns_the_named_deputy_nothing(demo, make_case, users, catalog):
    # given a case the officer accepts naming the demo deputy responsible
    case = make_case(
        ("accept", {"triage": "general", "deputy": demo["deputy"]}),
        station=demo["cg_hub"],
        actor=users["liaison"],
    )
    # when the officer answers, follows up and closes it
    case_walk(
        case,
        ("answer", {"text": "已协调修复"}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        ("close", {}),
        actor=users["liaison"],
    )
    # then nobody is credited for the work, not even after a replay of the year
    assert work_points(demo["deputy"]) == []
    points_replay(year=2026)
    assert work_points(demo["deputy"]) == []
    assert not PointEntry.objects.filter(item__code="case_answered", note=case.number).exists()


def test_the_deputy_who_answers_and_follows_up_is_credited(demo, make_case, users, catalog):
    case = make_case(
        ("accept", {"triage": "general", "deputy": demo["deputy"]}),
        station=demo["cg_hub"],
        actor=users["liaison"],
    )
    case = case_walk(
        case,
        ("answer", {"text": "已联系村委会"}),
        ("follow_up", {"method": "visit", "note": "已修好"}),
        actor=users["deputy"],
    )
    case_walk(case, ("close", {}), actor=users["liaison"])
    assert work_points(demo["deputy"]) == ["case_answered", "case_closed"]
    # and the replay of the year credits the same deputy nothing more
    mine = PointEntry.objects.filter(note=case.number)
    before = list(mine.values_list("deputy__code", "item__code"))
    points_replay(year=2026)
    assert list(mine.values_list("deputy__code", "item__code")) == before


@pytest.mark.parametrize(
    ("on", "opens", "message"),
    [
        (date(2026, 11, 20), True, ""),
        (date(2026, 10, 31), False, "只能记录最近30天"),
        (date(2026, 12, 3), False, "日期不能晚于今天"),
    ],
)
def test_a_reception_of_a_past_day_is_recorded_within_the_window(demo, users, on, opens, message):
    client = page(users["liaison"])
    before = ReceptionDay.objects.count()
    response = client.post("/stations/cg-hub/reception/record-past/", {"date": on.isoformat()})
    assert response.status_code == 302
    if opens:
        day = ReceptionDay.objects.get(station=demo["cg_hub"], date=on)
        assert response.url == f"/reception-days/{day.pk}/record/"
        assert "接待记录" in client.get(response.url).content.decode()
    else:
        assert ReceptionDay.objects.count() == before
        assert message in client.get(response.url).content.decode()


def test_a_case_taken_at_a_past_reception_links_to_its_day(demo, users):
    day = reception_day_for_record(
        actor=users["liaison"],
        station=demo["cg_hub"],
        on=timezone.localdate() - timedelta(days=3),
    )
    response = page(users["liaison"]).post(
        "/ledger/record/",
        {
            "station": "cg-hub",
            "channel": "reception",
            "text": "反映路面积水",
            "occurred_on": day.date.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(text="反映路面积水").reception_day == day
