"""Deputies sign up for duty (page and API), capacity holds under concurrency, and reminders go
out once through the outbox (job, task and command)."""

from __future__ import annotations

import threading
from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from lianluo.core.models import OutboxMessage, Role, RoleAssignment, User
from lianluo.core.services import api_token_issue
from lianluo.deputies.models import Deputy, Unavailability
from lianluo.stations.models import Duty, ReceptionDay
from lianluo.stations.services import (
    duty_reminders_send,
    duty_signup,
    reception_days_publish,
)
from lianluo.stations.tasks import send_duty_reminders
from tests.factories.stations import (
    on,
    reception_days_made,
    station_with_deputies,
)

# The story is set on fixed days (time_machine) next to the days the demo generates from
# "today": the demo is built on the day the story was written for, whatever --clock says.
pytestmark = pytest.mark.clock("2026-12-02T10:00")


@pytest.fixture
def market(demo, users):
    """A station whose deputies sign up for market days (赶集日), two places per day; four
    deputies with logins; days for 2027-01-05 / -10 / -15 generated on 2027-01-01."""
    station, deputies = station_with_deputies(
        demo,
        code="test-market",
        name="石桥赶集日接待点",
        kind="contact",
        address="石桥集市",
        deputies=4,
        deputy_code="mkt",
        deputy_name="赶集代表",
        logins=True,
    )
    reception_days_made(
        actor=users["staff"],
        station=station,
        kind="market_days",
        values=["2027-01-05", "2027-01-10", "2027-01-15"],
        start=time(8),
        end=time(11),
        assignment="signup",
        generated_on=(2027, 1, 1),
        until=date(2027, 1, 31),
    )
    days = {d.date.isoformat(): d for d in ReceptionDay.objects.filter(station=station)}
    return station, deputies, days


def _bearer(user: User) -> dict[str, str]:
    raw, _token = api_token_issue(user=user)
    return {"Authorization": f"Bearer {raw}"}


def test_a_deputy_signs_up_through_the_api_once(market):
    station, deputies, days = market
    day = days["2027-01-10"]
    client = Client()
    with on(2027, 1, 2):
        headers = _bearer(deputies[0].user)
        first = client.post(f"/api/v1/reception-days/{day.pk}/signup", headers=headers)
        again = client.post(f"/api/v1/reception-days/{day.pk}/signup", headers=headers)
    assert first.status_code == 201
    assert first.json()["created"] is True
    assert [d["code"] for d in first.json()["deputies"]] == ["mkt-0"]
    assert again.status_code == 200 and again.json()["created"] is False
    assert Duty.objects.filter(reception_day=day).count() == 1
    assert Duty.objects.get(reception_day=day).source == "signup"


def test_the_api_refuses_a_full_day_an_unavailable_deputy_and_strangers(market, users):
    station, deputies, days = market
    day = days["2027-01-10"]
    Unavailability.objects.create(deputy=deputies[3], start=date(2027, 1, 9), end=date(2027, 1, 11))
    client = Client()
    with on(2027, 1, 2):
        for deputy in deputies[:2]:
            duty_signup(actor=deputy.user, day=day)
        full = client.post(
            f"/api/v1/reception-days/{day.pk}/signup", headers=_bearer(deputies[2].user)
        )
        away = client.post(
            f"/api/v1/reception-days/{days['2027-01-05'].pk}/signup",
            headers=_bearer(deputies[3].user),
        )
        away_ok = client.post(
            f"/api/v1/reception-days/{days['2027-01-15'].pk}/signup",
            headers=_bearer(deputies[3].user),
        )
        # a deputy of another station and a liaison officer (not a deputy)
        stranger = client.post(
            f"/api/v1/reception-days/{day.pk}/signup", headers=_bearer(users["deputy"])
        )
        officer = client.post(
            f"/api/v1/reception-days/{day.pk}/signup", headers=_bearer(users["liaison"])
        )
        anonymous = client.post(f"/api/v1/reception-days/{day.pk}/signup")
    assert full.status_code == 422 and full.json()["code"] == "full"
    assert full.json()["message"]
    # 2027-01-05 is outside the unavailability; 2027-01-10 would not be
    assert away.status_code == 201 and away_ok.status_code == 201
    assert stranger.status_code == 404 and stranger.json()["code"] == "not_found"
    assert officer.status_code == 422 and officer.json()["code"] == "not_a_deputy"
    assert anonymous.status_code == 401
    assert Duty.objects.filter(reception_day=day).count() == 2


def test_an_unavailable_deputy_cannot_sign_up(market):
    station, deputies, days = market
    Unavailability.objects.create(deputy=deputies[0], start=date(2027, 1, 9), end=date(2027, 1, 11))
    with on(2027, 1, 2):
        response = Client().post(
            f"/api/v1/reception-days/{days['2027-01-10'].pk}/signup",
            headers=_bearer(deputies[0].user),
        )
    assert response.status_code == 422 and response.json()["code"] == "unavailable"
    assert not Duty.objects.filter(deputy=deputies[0]).exists()


def test_rotation_days_and_past_days_are_not_open_for_sign_up(market, demo):
    station, deputies, days = market
    rotation_day = (
        ReceptionDay.objects.filter(station=demo["cg_hub"], rule__assignment="rotation")
        .order_by("-date")
        .first()
    )
    member = rotation_day.station.deputies.first()
    member.user = User.objects.create_user("hub-member", password="x")
    member.save()
    client = Client()
    with on(2027, 1, 12):
        past = client.post(
            f"/api/v1/reception-days/{days['2027-01-10'].pk}/signup",
            headers=_bearer(deputies[0].user),
        )
    rotation = client.post(
        f"/api/v1/reception-days/{rotation_day.pk}/signup", headers=_bearer(member.user)
    )
    assert past.status_code == 422 and past.json()["code"] == "past"
    assert rotation.status_code == 422 and rotation.json()["code"] == "not_signup"


@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_exactly_one_of_several_deputies_at_once(market):
    # given a day with one place left and three deputies tapping "sign up" at the same moment
    station, deputies, days = market
    day = days["2027-01-15"]
    with on(2027, 1, 2):
        duty_signup(actor=deputies[0].user, day=day)
    results: list[str] = []
    barrier = threading.Barrier(3)

    def tap(deputy: Deputy) -> None:
        try:
            with on(2027, 1, 2):
                barrier.wait()
                duty_signup(actor=deputy.user, day=day)
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - the refusal is what we count
            results.append(getattr(exc, "code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap, args=(d,)) for d in deputies[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one got it and the others were told the day is full
    assert sorted(results) == ["full", "full", "ok"]
    assert Duty.objects.filter(reception_day=day).count() == 2


def test_a_deputy_signs_up_and_withdraws_on_the_page(market):
    station, deputies, days = market
    client = Client()
    day = days["2027-01-10"]
    with on(2027, 1, 2):
        client.force_login(deputies[0].user)
        page = client.get("/duty/")
        assert page.status_code == 200
        assert f'action="/reception-days/{day.pk}/signup/"' in page.content.decode()
        response = client.post(f"/reception-days/{day.pk}/signup/", follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        # the day is now among their duties, with a withdraw button
        assert f'action="/reception-days/{day.pk}/withdraw/"' in html
        assert Duty.objects.filter(reception_day=day, deputy=deputies[0]).exists()
        client.post(f"/reception-days/{day.pk}/withdraw/")
    assert not Duty.objects.filter(reception_day=day, deputy=deputies[0]).exists()


def test_the_duty_page_is_for_deputies_only(users):
    client = Client()
    client.force_login(users["liaison"])
    assert client.get("/duty/").status_code == 404
    assert Client().get("/duty/").status_code == 302  # to the sign-in page


# ---- reminders -----------------------------------------------------------------------------


@pytest.fixture
def published(market, users):
    """Everyone signed up; the 2027-01-05 and -10 days published on 2027-01-01."""
    station, deputies, days = market
    with on(2027, 1, 1):
        for key, pair in (("2027-01-05", deputies[:2]), ("2027-01-10", deputies[2:])):
            for deputy in pair:
                duty_signup(actor=deputy.user, day=days[key])
        reception_days_publish(
            actor=users["staff"],
            days=[days["2027-01-05"], days["2027-01-10"]],
        )
    return station, deputies, days


def test_deputies_on_duty_are_reminded_the_day_before_exactly_once(published, settings):
    station, deputies, days = published
    settings.LIANLUO_DUTY_REMINDER_DAYS = 1
    with on(2027, 1, 3):
        early = duty_reminders_send()
    with on(2027, 1, 4, 18):
        sent = duty_reminders_send()
        again = duty_reminders_send()
    # then nothing goes out two days before, both deputies of the 5th get one the day
    # before, and a re-run sends nothing twice
    assert early == 0
    assert sent == 2 and again == 0
    reminders = OutboxMessage.objects.filter(kind="duty_reminder")
    assert sorted(m.recipient_id for m in reminders) == sorted(d.user_id for d in deputies[:2])
    assert all("2027-01-05" in m.subject for m in reminders)
    assert all(station.address in m.body for m in reminders)
    assert not Duty.objects.filter(reception_day=days["2027-01-05"], reminded_at__isnull=True)
    assert not Duty.objects.filter(reception_day=days["2027-01-10"], reminded_at__isnull=False)


def test_reminder_days_are_configurable_and_drafts_are_never_reminded(published, settings):
    station, deputies, days = published
    # (the 15th stays a draft)
    settings.LIANLUO_DUTY_REMINDER_DAYS = 7
    with on(2027, 1, 4):
        sent = duty_reminders_send()
    assert sent == 4  # the 5th and the 10th: both within a week
    assert not OutboxMessage.objects.filter(subject__contains="2027-01-15").exists()


def test_the_task_and_the_command_run_the_same_job(published, settings):
    station, deputies, days = published
    settings.LIANLUO_DUTY_REMINDER_DAYS = 1
    out = StringIO()
    with on(2027, 1, 4):
        assert send_duty_reminders() == 2
        call_command("send_duty_reminders", stdout=out)
    assert "0 duty reminder(s)" in out.getvalue()
    with on(2027, 1, 9):
        call_command("send_duty_reminders", "--days", "1", stdout=out)
    assert "2 duty reminder(s)" in out.getvalue()
    assert OutboxMessage.objects.filter(kind="duty_reminder").count() == 4


def test_a_deputy_declares_being_away_and_the_officer_hears_of_a_clash(published, users, demo):
    station, deputies, days = published
    officer = User.objects.create_user("officer-market", password="x")
    RoleAssignment.objects.create(user=officer, role=Role.LIAISON, station=station)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with on(2027, 1, 2):
        client.force_login(deputies[2].user)
        # when deputy 2 (on duty on the 10th) says they are away from the 8th to the 16th
        response = client.post(
            "/duty/away/",
            {"away-start": "2027-01-08", "away-end": "2027-01-16", "away-reason": "外出考察"},
            follow=True,
        )
        # then they may not sign up for another day in that period
        refused = duty_signup_error(deputies[2], days["2027-01-15"])
    html = response.content.decode()
    assert "You are already on duty on 2027-01-10" in html
    assert Unavailability.objects.filter(deputy=deputies[2], reason="外出考察").exists()
    (told,) = OutboxMessage.objects.filter(recipient=officer, kind="duty_unavailable")
    assert deputies[2].name in told.subject and "2027-01-10" in told.subject
    assert refused == "unavailable"


def duty_signup_error(deputy: Deputy, day: ReceptionDay) -> str:
    from lianluo.core.errors import DomainError

    try:
        duty_signup(actor=deputy.user, day=day)
    except DomainError as exc:
        return exc.code
    return ""


def test_an_away_period_cannot_end_before_it_starts(market):
    station, deputies, days = market
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with on(2027, 1, 2):
        client.force_login(deputies[0].user)
        response = client.post(
            "/duty/away/", {"away-start": "2027-01-12", "away-end": "2027-01-08"}
        )
    assert response.status_code == 400
    assert "The end must not be before the start." in response.content.decode()
    assert not Unavailability.objects.filter(deputy=deputies[0]).exists()
