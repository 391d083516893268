"""A matter a deputy found on a visit (or an officer, staff heard) recorded on the page
`/ledger/record/`: a numbered case dated when it occurred, within the window, credited to the
deputy who brought it in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.cases.models import Case, CaseEvent
from lianluo.duty.models import PointEntry
from lianluo.duty.services import catalog_install_default

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


def record(client: Client, **fields):
    body = {"channel": "visit", "text": "村口桥面破损，雨天积水", "place": "东门村口", **fields}
    return client.post("/ledger/record/", body)


def test_the_deputys_phone_page_links_to_the_record(users):
    body = page(users["deputy"]).get("/me/").content.decode()
    assert 'href="/ledger/record/"' in body and "记录走访发现的问题" in body


def test_a_deputy_records_a_visit_of_yesterday_credited_to_them(demo, users, catalog):
    # given the demo deputy on their phone, with their primary station proposed
    client = page(users["deputy"])
    form = client.get("/ledger/record/").content.decode()
    assert 'value="cg-hub" selected' in form

    # when they record what they found on yesterday's visit
    response = record(client, station="cg-hub", occurred_on="2026-12-01")

    # then it is a numbered case of the visit, dated yesterday, theirs, and they see its number
    case = Case.objects.get(text="村口桥面破损，雨天积水")
    assert response.status_code == 302 and response.url == f"/ledger/record/{case.number}/"
    assert case.number in client.get(response.url).content.decode()
    assert (case.channel, case.deputy, case.responsible_deputy) == (
        "visit",
        demo["deputy"],
        demo["deputy"],
    )
    assert case.created_at.astimezone(SH).date() == date(2026, 12, 1)
    first = CaseEvent.objects.get(case=case, action="submit")
    assert first.at == case.created_at and first.actor == users["deputy"]
    assert first.data["recorded_at"].startswith("2026-12-02T")
    # and the recording is credited to them once
    entry = PointEntry.objects.get(deputy=demo["deputy"], item__code="case_recorded")
    assert (entry.occurred_on, entry.note) == (date(2026, 12, 1), case.number)


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        ("2026-11-01", "只能记录最近30天"),  # 31 days back: the import of past years
        ("2026-12-03", "日期不能晚于今天"),
    ],
)
def test_a_date_outside_the_window_is_refused_at_the_date(users, occurred_on, message):
    before = Case.objects.count()
    response = record(page(users["deputy"]), station="cg-hub", occurred_on=occurred_on)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == before


def test_thirty_days_back_is_within_the_window_and_the_window_is_a_setting(users, settings):
    assert (
        record(page(users["deputy"]), station="cg-hub", occurred_on="2026-11-02").status_code == 302
    )
    settings.LIANLUO_RECORD_PAST_DAYS = 5
    response = record(page(users["deputy"]), station="cg-hub", occurred_on="2026-11-26", text="x")
    assert response.status_code == 400 and "只能记录最近5天" in response.content.decode()


def test_a_matter_of_last_year_takes_last_years_number(demo, users):
    with time_machine.travel(datetime(2027, 1, 3, 9, 0, tzinfo=SH), tick=False):
        record(page(users["liaison"]), station="cg-hub", occurred_on="2026-12-30")
    case = Case.objects.get(text="村口桥面破损，雨天积水")
    assert case.year == 2026 and "-2026-" in case.number


def test_a_deputy_cannot_record_at_a_station_not_theirs(users):
    before = Case.objects.count()
    response = record(page(users["deputy"]), station="hk-hub")
    assert response.status_code == 403
    assert Case.objects.count() == before


def test_staff_record_for_a_deputy_of_the_station_only(demo, users, catalog):
    client = page(users["liaison"])
    member = demo["cg_hub"].memberships.exclude(deputy=demo["deputy"]).first().deputy

    # an officer recording a reception for one of the station's deputies credits that deputy
    ok = record(client, station="cg-hub", channel="reception", deputy=member.code)
    assert ok.status_code == 302
    assert PointEntry.objects.filter(deputy=member, item__code="case_recorded").count() == 1

    # a deputy of another station is refused at the field, a citizen's channel too
    outsider = demo["stations"][demo["townships"][1].code][0].memberships.first().deputy
    refused = record(client, station="cg-hub", deputy=outsider.code, text="另一件事")
    assert refused.status_code == 400 and "未知的代表" in refused.content.decode()
    bad_channel = record(client, station="cg-hub", channel="station_qr", text="第三件事")
    assert bad_channel.status_code == 400
    assert not Case.objects.filter(text__in=["另一件事", "第三件事"]).exists()


def test_an_officer_records_without_a_deputy_and_nobody_is_credited(users, catalog):
    response = record(page(users["liaison"]), station="cg-hub", channel="staff")
    assert response.status_code == 302
    case = Case.objects.get(text="村口桥面破损，雨天积水")
    assert case.deputy is None and case.channel == "staff"
    assert not PointEntry.objects.filter(item__code="case_recorded").exists()
