"""The citizen's phone number on the staff case page: masked, revealed on request and audited;
and a case is invisible to an officer of another township's station."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lianluo.core.models import AuditLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13812345678"


def test_handler_reveals_masked_phone_and_the_reveal_is_audited(
    site, phone, login, make_case, users, shot
):
    # Given a case at the Chengguan station, and its liaison officer on the case page
    case = make_case(phone=PHONE, name="张三")
    liaison = phone()
    login(liaison, "liaison")
    liaison.goto(f"{site['url']}/ledger/{case.number}/")

    # Then the number is masked and the full number is nowhere in the page
    expect(liaison.get_by_test_id("phone-masked")).to_have_text("138****5678")
    assert PHONE not in liaison.content()
    assert not AuditLog.objects.filter(verb="reveal_phone").exists()
    shot(liaison, "masked")

    # When the officer asks to see the full number
    liaison.get_by_test_id("reveal-phone").click()

    # Then it is shown, and who saw it is on record
    expect(liaison.get_by_test_id("phone-revealed")).to_have_text(PHONE)
    shot(liaison, "revealed")
    entry = AuditLog.objects.get(verb="reveal_phone")
    assert entry.actor == users["liaison"]
    assert entry.target_id == str(case.pk)


def test_officer_of_another_station_cannot_see_the_case(site, phone, login, make_case, shot):
    # Given a case at the Chengguan station, and the Hekou station's officer signed in
    case = make_case(phone=PHONE, text="城关镇南街下水道堵塞，污水漫到路面。")
    other = phone()
    login(other, "other")

    # When they open the case page directly
    response = other.goto(f"{site['url']}/ledger/{case.number}/")

    # Then it is not found, and nothing of the case shows
    assert response is not None
    assert response.status == 404
    expect(other.locator("header [data-testid=notifications-link]")).to_be_visible()
    html = other.content()
    assert case.text not in html
    assert PHONE not in html
    shot(other, "404")

    # And the ledger does not list it
    other.goto(f"{site['url']}/ledger/")
    expect(other.get_by_test_id("ledger")).not_to_contain_text(case.number)

    # And asking for the phone number directly is refused without an audit entry
    token = next(c["value"] for c in other.context.cookies() if c["name"] == "csrftoken")
    reveal = other.request.post(
        f"{site['url']}/ledger/{case.number}/phone/", headers={"X-CSRFToken": token}
    )
    assert reveal.status == 404
    assert PHONE not in reveal.text()
    assert not AuditLog.objects.filter(verb="reveal_phone").exists()
