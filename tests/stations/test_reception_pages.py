"""The officer's reception pages: rules, generating and publishing a quarter (Chinese and
English), changing who is on duty, the reception record with officials and cases; and who may
see them (scope)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client
from django.utils import timezone

from lianluo.cases.models import Case
from lianluo.cases.services import case_submit
from lianluo.core.models import AuditLog, Department
from lianluo.deputies.models import Unavailability
from lianluo.stations.models import (
    Duty,
    OfficialVisit,
    ReceptionDay,
    ReceptionRecord,
    ReceptionRule,
)
from lianluo.stations.services import reception_days_generate, reception_rule_save
from tests.factories.stations import on, reception_days_made, station_with_deputies

# The story is set on fixed days (time_machine) next to the days the demo generates from
# "today": the demo is built on the day the story was written for, whatever --clock says.
pytestmark = pytest.mark.clock("2026-12-02T10:00")


def signed_in(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_officer_generates_and_publishes_a_quarter(demo, users, language):
    station = demo["cg_hub"]
    ReceptionRule.objects.filter(station=station).update(active=False)
    with on(2026, 12, 20):
        client = signed_in(users["liaison"], language)
        # given a new rule: every Wednesday, 9:00–11:30, one deputy, by rotation
        response = client.post(
            f"/stations/{station.code}/reception/rules/new/",
            {
                "kind": "weekdays",
                "weekdays": ["2"],
                "start": "09:00",
                "end": "11:30",
                "deputies_per_day": "1",
                "assignment": "rotation",
            },
        )
        assert response.status_code == 302
        page = client.get(f"/stations/{station.code}/reception/")
        html = page.content.decode()
        # the generate form proposes the coming quarter
        assert 'name="start" value="2027-01-01"' in html
        assert 'name="end" value="2027-03-31"' in html
        # when the officer generates it and publishes all drafts
        generated = client.post(
            f"/stations/{station.code}/reception/generate/",
            {"start": "2027-01-01", "end": "2027-03-31"},
            follow=True,
        )
        published = client.post(
            f"/stations/{station.code}/reception/publish/", {"all_drafts": "1"}, follow=True
        )
    # then the 13 Wednesdays of the quarter are published, each with a deputy on duty
    wednesdays = ReceptionDay.objects.filter(station=station, rule__kind="weekdays")
    assert wednesdays.count() == 13
    assert set(wednesdays.values_list("status", flat=True)) == {"published"}
    assert Duty.objects.filter(reception_day__in=wednesdays).count() == 13
    assert generated.status_code == published.status_code == 200
    html = published.content.decode()
    assert html.count('class="r-published"') >= 13
    assert 'data-testid="publish-all"' not in html  # no drafts left
    if language == "en":
        assert "13 reception days published." in html
        assert "Wed" in html
    else:
        assert '<html lang="zh-CN">' in html
        assert "星期三" in html


def test_publishing_too_close_shows_each_refusal_with_its_reason(demo, users):
    station = demo["cg_hub"]
    ReceptionRule.objects.filter(station=station).update(active=False)
    reception_rule_save(
        actor=users["staff"],
        station=station,
        kind="market_days",
        values=["2027-01-05", "2027-01-06", "2027-01-20"],
        start=time(8),
        end=time(11),
        deputies_per_day=1,
    )
    with on(2027, 1, 4):
        reception_days_generate(
            actor=users["staff"], station=station, start=date(2027, 1, 4), end=date(2027, 1, 31)
        )
        days = ReceptionDay.objects.filter(
            station=station, rule__kind="market_days", date__year=2027
        )
        client = signed_in(users["liaison"], "en")
        response = client.post(
            f"/stations/{station.code}/reception/publish/",
            {"day": [str(d.pk) for d in days]},
            follow=True,
        )
    html = response.content.decode()
    assert "1 reception days published." in html
    for refused in ("2027-01-05", "2027-01-06"):
        assert f"Not published: {refused} — {refused} is fewer than 3 days away" in html
    assert dict(days.values_list("date", "status")) == {
        date(2027, 1, 5): "draft",
        date(2027, 1, 6): "draft",
        date(2027, 1, 20): "published",
    }


def test_a_rule_with_a_day_the_month_never_has_is_refused_at_the_field(demo, users):
    station = demo["cg_hub"]
    client = signed_in(users["liaison"], "en")
    before = ReceptionRule.objects.count()
    response = client.post(
        f"/stations/{station.code}/reception/rules/new/",
        {
            "kind": "month_days",
            "month_days": "6, 16, 32",
            "start": "09:00",
            "end": "12:00",
            "deputies_per_day": "2",
            "assignment": "rotation",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-month_days"' in html
    assert "between 1 and 31" in html
    # and the help says what happens to the 31st in short months
    assert "is skipped, not moved" in html
    assert ReceptionRule.objects.count() == before


def test_an_officer_deactivates_a_rule_and_generation_ignores_it(demo, users):
    station = demo["cg_hub"]
    rule = ReceptionRule.objects.get(station=station, kind="month_days")
    client = signed_in(users["liaison"])
    client.post(f"/stations/{station.code}/reception/rules/{rule.pk}/active/", {"active": "0"})
    rule.refresh_from_db()
    assert rule.active is False
    assert AuditLog.objects.filter(verb="reception_rule.deactivate", target_id=str(rule.pk))


@pytest.fixture
def today_day(demo, users):
    """A station with three deputies, a reception day today (2027-01-06, 9:00–12:00) and one
    on the 20th."""
    station, deputies = station_with_deputies(
        demo,
        code="test-rec",
        name="城关记录测试站",
        address="城关镇记录路1号",
        deputies=3,
        deputy_code="rec",
        deputy_name="记录代表",
    )
    reception_days_made(
        actor=users["staff"],
        station=station,
        kind="month_days",
        values=[6, 20],
        generated_on=(2027, 1, 6, 8),
        until=date(2027, 1, 31),
    )
    day = ReceptionDay.objects.get(station=station, date="2027-01-06")
    return station, deputies, day


def test_the_officer_changes_who_is_on_duty_but_not_to_someone_away(today_day, users):
    station, deputies, _today = today_day
    later = ReceptionDay.objects.get(station=station, date="2027-01-20")
    Unavailability.objects.create(
        deputy=deputies[2], start=date(2027, 1, 15), end=date(2027, 1, 25)
    )
    with on(2027, 1, 6):
        client = signed_in(users["staff"], "en")
        page = client.get(f"/reception-days/{later.pk}/")
        assert "(not available)" in page.content.decode()
        done = client.post(
            f"/reception-days/{later.pk}/deputies/",
            {"deputies": [deputies[0].pk, deputies[1].pk]},
        )
        refused = client.post(
            f"/reception-days/{later.pk}/deputies/", {"deputies": [deputies[0].pk, deputies[2].pk]}
        )
    assert refused.status_code == 400
    assert f"Not available that day: {deputies[2].name}." in refused.content.decode()
    assert done.status_code == 302
    assert set(later.duty.values_list("deputy_id", flat=True)) == {deputies[0].pk, deputies[1].pk}


def test_the_reception_record_with_an_official_and_the_cases_of_that_day(today_day, users):
    station, deputies, day = today_day
    department = Department.objects.get(code="qx-housing")
    on_duty = set(day.duty.values_list("deputy_id", flat=True))
    with on(2027, 1, 6, 10):
        walk_in, _ = case_submit(station=station, text="集市旁排水沟堵塞，下雨就淹")
        elsewhere, _ = case_submit(
            station=users["liaison"].role_assignments.get().station, text="别处"
        )
        client = signed_in(users["staff"], "en")
        form = client.get(f"/reception-days/{day.pk}/record/")
        html = form.content.decode()
        # the deputies on duty are preselected; the station's case of that day is offered
        for pk in on_duty:
            assert f'value="{pk}" id="id_deputies_present_' in html
        assert html.count("checked") >= len(on_duty)
        assert walk_in.number in html and elsewhere.number not in html
        # when the officer records a case taken on the spot…
        client.post(
            f"/reception-days/{day.pk}/record/case/",
            {"text": "老人反映养老金认证不会操作", "name": "李大爷", "phone": "13912345678"},
        )
        spot = Case.objects.get(text="老人反映养老金认证不会操作")
        # …and saves the record
        response = client.post(
            f"/reception-days/{day.pk}/record/",
            {
                "deputies_present": [deputies[0].pk, deputies[2].pk],
                "citizens_received": "14",
                "summary": "群众反映排水和养老金认证问题。",
                "cases": [walk_in.pk, spot.pk],
                "officials-TOTAL_FORMS": "2",
                "officials-INITIAL_FORMS": "0",
                "officials-MIN_NUM_FORMS": "0",
                "officials-MAX_NUM_FORMS": "20",
                "officials-0-name": "王立军",
                "officials-0-title": "副局长",
                "officials-0-department": str(department.pk),
                "officials-1-name": "",
            },
        )
    assert response.status_code == 302
    record = ReceptionRecord.objects.get(reception_day=day)
    assert record.citizens_received == 14
    assert set(record.deputies_present.values_list("pk", flat=True)) == {
        deputies[0].pk,
        deputies[2].pk,
    }
    (official,) = OfficialVisit.objects.filter(record=record)
    assert (official.name, official.title, official.department) == ("王立军", "副局长", department)
    # the on-the-spot case is in the ledger with the reception channel, and both link back
    assert spot.channel == "reception" and spot.station == station
    assert set(day.cases.values_list("pk", flat=True)) == {walk_in.pk, spot.pk}
    elsewhere.refresh_from_db()
    assert elsewhere.reception_day is None
    assert AuditLog.objects.filter(verb="reception_record.create", target_id=str(record.pk))


def test_a_record_cannot_be_written_before_the_day(today_day, users):
    station, deputies, _day = today_day
    later = ReceptionDay.objects.get(station=station, date="2027-01-20")
    with on(2027, 1, 6):
        client = signed_in(users["staff"], "en")
        response = client.post(
            f"/reception-days/{later.pk}/record/",
            {
                "citizens_received": "3",
                "officials-TOTAL_FORMS": "0",
                "officials-INITIAL_FORMS": "0",
                "officials-MIN_NUM_FORMS": "0",
                "officials-MAX_NUM_FORMS": "20",
            },
        )
        case_response = client.post(
            f"/reception-days/{later.pk}/record/case/", {"text": "提前登记的问题"}
        )
    assert response.status_code == 400
    assert "on or after the day itself" in response.content.decode()
    assert not ReceptionRecord.objects.filter(reception_day=later).exists()
    assert case_response.status_code == 400
    assert not Case.objects.filter(text="提前登记的问题").exists()


# ---- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("liaison", 200),  # the station's officer
        ("staff", 200),  # county staff: the station is in their area
        ("admin", 200),
        ("other", 404),  # another station's officer
        ("leader", 404),  # leaders read dashboards, they do not run stations
        ("dept", 404),
        ("deputy", 302),  # a deputy of that station goes to their duty page
    ],
)
def test_who_may_run_a_stations_reception(demo, users, username, status):
    station = demo["cg_hub"]
    day = ReceptionDay.objects.filter(
        station=station, status="published", date__gt=timezone.localdate()
    ).first()
    client = signed_in(users[username])
    page = client.get(f"/stations/{station.code}/reception/")
    assert page.status_code == status
    if status == 302:
        assert page["Location"] == "/duty/"
    day_page = client.get(f"/reception-days/{day.pk}/")
    assert day_page.status_code == (200 if status == 200 else 404)
    # and a write from outside the scope changes nothing
    cancelled = client.post(f"/reception-days/{day.pk}/cancel/", {"reason": "x"})
    day.refresh_from_db()
    if status == 200:
        assert cancelled.status_code == 302 and day.status == "cancelled"
    else:
        assert cancelled.status_code == 404 and day.status == "published"


def test_anonymous_visitors_are_sent_to_sign_in(demo):
    response = Client().get(f"/stations/{demo['cg_hub'].code}/reception/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_reception_index_lists_the_stations_in_the_staff_area(demo, users):
    client = signed_in(users["staff"])
    html = client.get("/reception/").content.decode()
    # county staff run every station of the county (25: the county hub and 4 × 6)
    assert html.count('href="/stations/') == 25
    # an officer of one station goes straight to it
    response = signed_in(users["liaison"]).get("/reception/")
    assert response.status_code == 302
    assert response["Location"] == f"/stations/{demo['cg_hub'].code}/reception/"


def test_reception_pages_have_a_plain_title(demo, users):
    html = signed_in(users["staff"], "en").get("/reception/").content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.startswith("Reception")
