"""On a phone: a liaison officer generates and publishes a quarter of reception days, in
Chinese and in English; a deputy signs up for a market day."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lianluo.stations.forms import coming_quarter
from lianluo.stations.models import Duty, ReceptionDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_generates_and_publishes_a_quarter_in_chinese_and_english(
    site, phone, login, shot
):
    station = site["cg_hub"]
    start, end = coming_quarter(timezone.localdate())
    officer = phone()
    login(officer, "liaison")

    # Given the officer opens Reception from the header (one station: straight to it)
    officer.get_by_test_id("reception-link").click()
    expect(officer.get_by_test_id("station-name")).to_have_text(station.name)
    expect(officer.locator("html")).to_have_attribute("lang", "zh-CN")
    # the generate form proposes the coming quarter
    expect(officer.locator("#id_start")).to_have_value(start.isoformat())
    expect(officer.locator("#id_end")).to_have_value(end.isoformat())
    shot(officer, "1-reception-zh")

    # When they generate it
    officer.get_by_test_id("generate").click()
    quarter = ReceptionDay.objects.filter(station=station, date__range=(start, end))
    drafts = quarter.filter(status="draft").count()
    assert drafts >= 9  # 逢6: three a month, less the holidays, plus market days
    expect(officer.locator(".messages")).to_contain_text(str(drafts))
    expect(officer.get_by_test_id("publish-all")).to_be_visible()
    shot(officer, "2-generated-zh")

    # And publish all the drafts
    officer.get_by_test_id("publish-all").click()

    # Then every day of the quarter is published, each 逢6 day with two deputies on duty
    expect(officer.get_by_test_id("publish-all")).to_have_count(0)
    assert set(quarter.values_list("status", flat=True)) == {"published"}
    rotation = quarter.filter(rule__assignment="rotation")
    assert all(d.duty.count() == 2 for d in rotation)
    first = rotation.order_by("date").first()
    row = officer.locator(f'[data-testid=days] li[data-day="{first.pk}"]')
    for duty in Duty.objects.filter(reception_day=first).select_related("deputy"):
        expect(row).to_contain_text(duty.deputy.name)
    shot(officer, "3-published-zh")
    assert int(officer.evaluate("document.documentElement.scrollWidth")) <= 390

    # When they switch to English, the same page reads in English
    officer.locator("header button[name=language][value=en]").click()
    expect(officer.locator("html")).to_have_attribute("lang", "en")
    expect(officer.get_by_role("heading", name="Coming reception days")).to_be_visible()
    expect(row).to_contain_text("Published")
    expect(row).to_contain_text(first.date.strftime("%a"))
    shot(officer, "4-published-en")

    # And the public schedule shows the published days
    public = phone()
    response = public.goto(f"{site['url']}/api/v1/public/stations/{station.code}/schedule")
    assert response is not None and response.ok
    dates = [d["date"] for d in response.json()["days"]]
    assert first.date.isoformat() in dates


def test_a_deputy_signs_up_for_a_market_day_on_the_phone(site, phone, login, shot):
    deputy_page = phone()
    login(deputy_page, "deputy")
    deputy_page.goto(f"{site['url']}/duty/")
    rows = deputy_page.locator("[data-testid=signup-days] li")
    expect(rows.first).to_be_visible()
    date = rows.first.get_attribute("data-date")
    rows.first.get_by_test_id("signup").click()
    expect(deputy_page.locator(".messages")).to_contain_text(date)
    expect(deputy_page.get_by_test_id("duties")).to_contain_text(date)
    shot(deputy_page, "signed-up")
    assert Duty.objects.filter(
        reception_day__date=date, deputy=site["deputy"], source="signup"
    ).exists()


def test_an_officer_writes_the_record_of_a_past_reception_day(site, phone, login, shot):
    from lianluo.stations.models import ReceptionRecord

    # Given the demo's last 逢6 day at the 城关 hub, already held
    day = (
        ReceptionDay.objects.filter(station=site["cg_hub"], date__lt=timezone.localdate())
        .order_by("-date")
        .first()
    )
    officer = phone()
    login(officer, "liaison")
    officer.goto(f"{site['url']}/reception-days/{day.pk}/record/")
    form = officer.get_by_test_id("record-form")
    expect(form).to_be_visible()

    # When they correct the number of citizens, add an official who joined, and save
    officer.fill("#id_citizens_received", "21")
    officer.fill("#id_officials-1-name", "赵红")
    officer.fill("#id_officials-1-title", "副局长")
    officer.locator("#id_officials-1-department").select_option(label="青溪县交通运输局")
    shot(officer, "filled")
    officer.get_by_test_id("save-record").click()

    # Then the record holds what they entered
    expect(officer.locator(".messages")).to_be_visible()
    record = ReceptionRecord.objects.get(reception_day=day)
    assert record.citizens_received == 21
    assert "赵红" in [o.name for o in record.officials.all()]
    shot(officer, "saved")
    assert int(officer.evaluate("document.documentElement.scrollWidth")) <= 390
