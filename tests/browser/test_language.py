"""Simplified Chinese by default; the header button switches the UI to English and back."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_header_button_switches_to_english_and_back(site, phone, shot):
    # Given a visitor on a station's page, in Chinese (the phone's language)
    visitor = phone()
    landing = f"{site['url']}/s/{site['cg_hub'].code}/"
    visitor.goto(landing)
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(visitor.get_by_role("heading", name=zh("Leave a message"))).to_be_visible()
    assert zh("Leave a message") != "Leave a message"

    # When they press "English" in the header
    visitor.locator("header button[name=language][value=en]").click()

    # Then the same page is shown with English labels
    expect(visitor).to_have_url(landing)
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.get_by_role("heading", name="Leave a message")).to_be_visible()
    expect(visitor.get_by_test_id("submit")).to_have_text("Send")
    expect(visitor.locator("header")).to_contain_text("Track a case")
    expect(visitor.locator("label[for=id_text]")).to_have_text("Your message")
    shot(visitor, "english")
    assert int(visitor.evaluate("document.documentElement.scrollWidth")) <= 390

    # And the choice holds on the next page
    visitor.goto(f"{site['url']}/t/")
    expect(visitor.get_by_role("heading", name="Track a case")).to_be_visible()

    # When they press "中文"
    visitor.locator("header button[name=language][value=zh-hans]").click()

    # Then the page is Chinese again
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(visitor.get_by_role("heading", name=zh("Track a case"))).to_be_visible()
