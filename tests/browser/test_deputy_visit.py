"""A deputy on the phone records what they found on yesterday's visit: from /me/ to the record
form to the ledger number (the `browser` marker: Chromium at 390 px)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lianluo.cases.models import Case
from lianluo.deputies.models import Deputy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page: Page) -> None:
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390


def test_the_demo_deputy_records_yesterdays_visit_on_the_phone(site, phone, login, shot):
    deputy = Deputy.objects.get(user__username="deputy")
    yesterday = timezone.localdate() - timedelta(days=1)

    # Given the demo deputy signed in on their phone, on their page
    page = phone()
    login(page, "deputy")
    page.goto(f"{site['url']}/me/")

    # When they tap the record link and fill what they found, where, and that it was yesterday
    page.get_by_test_id("record-visit").click()
    fits_the_phone(page)
    page.fill("#id_text", "东门村口桥面破损，雨天积水，村民出行不便")
    page.fill("#id_place", "东门村口")
    page.fill("#id_occurred_on", yesterday.isoformat())
    shot(page, "record")
    page.get_by_test_id("record-submit").click()

    # Then they see the ledger number of a case of their visit, dated yesterday
    number = page.get_by_test_id("record-number")
    expect(number).to_be_visible()
    case = Case.objects.get(text__startswith="东门村口桥面破损")
    expect(number).to_have_text(case.number)
    assert (case.channel, case.deputy) == ("visit", deputy)
    assert timezone.localtime(case.created_at).date() == yesterday
    fits_the_phone(page)
    shot(page, "recorded")
