"""A QR code or link that leads nowhere shows a not-found page a phone can read, in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stale_station_qr_shows_a_chinese_not_found_page_that_fits_the_phone(site, phone, shot):
    # Given a citizen following a QR code of a station that does not exist (any more)
    citizen = phone()

    # When the page opens
    response = citizen.goto(f"{site['url']}/s/no-such-station/")

    # Then it is a 404 in the site's own layout, in Chinese, as wide as the phone
    assert response is not None
    assert response.status == 404
    with translation.override("zh-hans"):
        heading = translation.gettext("Page not found")
    expect(citizen.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(citizen.get_by_role("heading", name=heading)).to_be_visible()
    expect(citizen.locator("header")).to_be_visible()
    shot(citizen, "404")
    assert int(citizen.evaluate("document.documentElement.scrollWidth")) <= 390
