"""A deputy's own QR code (一代表一码) leads to the deputy's page; the deputy is told at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "建议在城关二小门口设置上下学接送区，早晚高峰安排护学岗。"


def test_message_through_deputy_qr_notifies_the_deputy(site, phone, zbar, login, unread, shot):
    # Given the QR code on the deputy's card, decoded by zbar
    deputy = site["deputy"]
    citizen = phone()
    qr = citizen.request.get(f"{site['url']}/d/{deputy.code}/qr.png")
    assert qr.ok
    assert qr.headers["content-type"] == "image/png"
    url = zbar(qr.body())

    # Then it is the absolute address of the deputy's page, which opens on the phone
    assert url == f"{site['url']}/d/{deputy.code}/"
    citizen.goto(url)
    expect(citizen.get_by_test_id("landing-name")).to_have_text(deputy.name)
    shot(citizen, "landing")
    assert int(citizen.evaluate("document.documentElement.scrollWidth")) <= 390

    # When a citizen leaves a message there
    before = unread("deputy")
    citizen.fill("[name=text]", TEXT)
    citizen.get_by_test_id("submit").click()
    number = citizen.get_by_test_id("case-number").inner_text().strip()

    # Then the deputy, signing in, has one more unread notification, about that case
    dep = phone()
    login(dep, "deputy")
    expect(dep.get_by_test_id("unread-count")).to_have_text(str(before + 1))
    dep.goto(f"{site['url']}/notifications/")
    expect(dep.get_by_test_id("notifications")).to_contain_text(number)
    shot(dep, "notifications")

    # And the notification opens the case, addressed to this deputy
    dep.get_by_test_id("notifications").get_by_role("link", name=number).click()
    expect(dep.get_by_test_id("case-number")).to_have_text(number)
    expect(dep.locator("main")).to_contain_text(TEXT)
    expect(dep.locator(".facts")).to_contain_text(deputy.name)
