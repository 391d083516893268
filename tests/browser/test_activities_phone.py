"""An activity run on phones: the officer creates and publishes it, a deputy signs up with one
tap, the officer shows the check-in QR code, zbar reads it off the screen, and the deputy's phone
opening that address is checked in — in Chinese and in English. Expired and forged codes are
refused with the reason."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from lianluo.activities.models import Signup
from lianluo.activities.services import (
    activity_create,
    activity_publish,
    checkin_token_issue,
)
from lianluo.core.models import User
from lianluo.demo.seed import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page: Page) -> None:
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390


def published(site, *, starts_in: timedelta, title: str, capacity: int | None = None):
    liaison = User.objects.get(username="liaison")
    start = timezone.now() + starts_in
    activity = activity_create(
        actor=liaison,
        station=site["cg_hub"],
        type="symposium",
        title=title,
        place="城关镇政府一楼会议室",
        start=start,
        end=start + timedelta(hours=2),
        capacity=capacity,
    )
    return activity_publish(actor=liaison, activity=activity)


def scan_code_on_screen(page: Page, zbar) -> str:
    """Read the QR code the way a phone camera would: from the pixels on the screen."""
    qr = page.get_by_test_id("checkin-qr")
    expect(qr).to_be_visible()
    return zbar(qr.screenshot())


def switch_to_english(page: Page) -> None:
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_officer_runs_an_activity_with_sign_up_and_qr_check_in(site, phone, login, zbar, shot):
    # given the officer of the Chengguan hub on their phone
    officer = phone()
    login(officer, "liaison")

    # when they create an activity starting in ten minutes, with three places, and publish it
    start = timezone.localtime(timezone.now() + timedelta(minutes=10))
    officer.goto(f"{site['url']}/activities/new/?station=cg-hub")
    officer.select_option("#id_type", "symposium")
    officer.fill("#id_title", "民生实事项目征集座谈会")
    officer.fill("#id_place", "城关镇政府一楼会议室")
    officer.fill("#id_start", start.strftime("%Y-%m-%dT%H:%M"))
    officer.fill("#id_end", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    officer.fill("#id_capacity", "3")
    shot(officer, "officer-form")
    fits_the_phone(officer)
    officer.get_by_test_id("save").click()
    expect(officer.get_by_test_id("activity-status")).to_have_attribute("data-status", "draft")
    pk = int(re.search(r"/activities/(\d+)/", officer.url).group(1))
    officer.get_by_test_id("publish").click()
    expect(officer.get_by_test_id("activity-status")).to_have_attribute("data-status", "published")

    # then the deputy, signing in on their phone, finds it among the open activities
    deputy = phone()
    login(deputy, "deputy")
    expect(deputy.get_by_test_id("me-name")).to_be_visible()  # the deputy's home page
    shot(deputy, "deputy-home")
    fits_the_phone(deputy)
    deputy.goto(f"{site['url']}/activities/")
    card = deputy.get_by_test_id(f"activity-{pk}")
    expect(card.get_by_test_id("seats-left")).to_contain_text("3")

    # and signs up with one tap: the card turns into "signed up", two places left
    card.get_by_test_id("signup").click()
    card = deputy.get_by_test_id(f"activity-{pk}")
    expect(card).to_have_attribute("data-signed-up", "yes")
    expect(card.get_by_test_id("seats-left")).to_contain_text("2")
    shot(deputy, "signed-up")
    fits_the_phone(deputy)

    # when the officer shows the check-in code, and the deputy's phone opens what it says
    officer.get_by_test_id("show-checkin-code").click()
    shot(officer, "checkin-code")
    fits_the_phone(officer)
    url = scan_code_on_screen(officer, zbar)
    assert url.startswith(f"{site['url']}/activities/checkin/?t=")
    deputy.goto(url)

    # then the deputy sees that they are checked in
    result = deputy.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(deputy.get_by_test_id("checkin-activity")).to_have_text("民生实事项目征集座谈会")
    shot(deputy, "checked-in")
    fits_the_phone(deputy)

    # and the officer's screen counts them (the count renews with the code)
    officer.reload()
    expect(officer.get_by_test_id("live-count")).to_contain_text("1")
    signup = Signup.objects.get(activity_id=pk)
    assert signup.deputy == site["deputy"] and signup.checked_in_at is not None


def test_in_english_a_deputy_scans_signs_in_and_returns_to_the_check_in(
    site, phone, login, zbar, shot
):
    # given an activity under way and the officer's screen in English
    activity = published(site, starts_in=timedelta(minutes=5), title="Roads inspection 道路视察")
    officer = phone()
    login(officer, "liaison")
    switch_to_english(officer)
    officer.goto(f"{site['url']}/activities/{activity.pk}/checkin-code/")
    expect(officer.locator("h1")).to_have_text("Scan to check in")
    shot(officer, "checkin-code-en")
    url = scan_code_on_screen(officer, zbar)

    # when a deputy who is not signed in opens the code's address, they are asked to sign in
    deputy = phone()
    deputy.goto(url)
    expect(deputy.locator("#id_username")).to_be_visible()
    deputy.fill("#id_username", "deputy")
    deputy.fill("#id_password", DEMO_PASSWORD)
    deputy.locator("main button[type=submit]").click()

    # then signing in brings them back to the check-in, done
    expect(deputy.get_by_test_id("checkin-result")).to_have_attribute("data-outcome", "ok")

    # and in English the page says so; opening it again checks nobody in twice
    switch_to_english(deputy)
    expect(deputy.get_by_test_id("checkin-result")).to_contain_text("You are already checked in")
    shot(deputy, "checked-in-en")
    fits_the_phone(deputy)
    assert Signup.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 1

    # and the officer's list in English shows the check-in
    officer.goto(f"{site['url']}/activities/{activity.pk}/")
    expect(officer.get_by_test_id("checkin-count")).to_have_text("1")
    expect(officer.get_by_test_id("attendance")).to_contain_text("Checked in")


def test_an_expired_or_forged_code_is_refused_with_the_reason(site, phone, login, shot):
    # given a code shown fifteen minutes ago (it is accepted for ten)
    activity = published(site, starts_in=timedelta(minutes=30), title="法治宣讲")
    with time_machine.travel(timezone.now() - timedelta(minutes=15), tick=False):
        token = checkin_token_issue(
            actor=User.objects.get(username="liaison"), activity=activity
        ).token
    deputy = phone()
    login(deputy, "deputy")

    # when the deputy opens it, it is refused as expired, with the reason shown
    deputy.goto(f"{site['url']}/activities/checkin/?t={token}")
    result = deputy.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "expired")
    expect(deputy.get_by_test_id("checkin-error")).to_be_visible()
    shot(deputy, "expired")
    fits_the_phone(deputy)

    # and in English the reason reads plainly
    switch_to_english(deputy)
    expect(deputy.get_by_test_id("checkin-error")).to_contain_text("This check-in code has expired")

    # and a forged code is refused as not a check-in code
    deputy.goto(f"{site['url']}/activities/checkin/?t={activity.pk}:1abc:forged")
    expect(deputy.get_by_test_id("checkin-result")).to_have_attribute(
        "data-outcome", "invalid_token"
    )
    assert not Signup.objects.filter(activity=activity).exists()
