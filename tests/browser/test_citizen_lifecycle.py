"""A citizen scans a station's QR code on a phone, leaves a message, and follows it while the
liaison officer and a department handle it to the end (销号)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from lianluo.cases.models import Case
from lianluo.cases.states import CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "幸福路路灯不亮"
TEXT = "幸福路东段三盏路灯坏了一个多月，晚上很黑，老人孩子出门不安全，请尽快修好。"
PLACE = "幸福路东段"
NAME = "欧阳明月"
PHONE = "13987654321"
ANSWER = "县住建局已安排维修队更换灯具，三盏路灯已于本周恢复照明。"
FOLLOW_UP_NOTE = "电话回访：欧阳女士说路灯已经亮了"
CJK = re.compile(r"[\u4e00-\u9fff]")
TRACKING_CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}")


def zh(label) -> str:
    """What the Chinese UI shows for a translatable label."""
    with translation.override("zh-hans"):
        return str(label)


def untranslated(page: Page, selector: str) -> list[str]:
    """Texts of the matching elements that have no Chinese character: labels left in English."""
    texts = [t.strip() for t in page.locator(selector).all_inner_texts()]
    return [t for t in texts if t and not CJK.search(t)]


def page_width(page: Page) -> int:
    """The document's width: more than the viewport means the page scrolls sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def act(page: Page, action: str, status: CaseStatus, **fields: str) -> None:
    """Open the action's panel on the case page, fill its fields, submit, land on `status`."""
    page.get_by_test_id(f"action-{action}").click()
    for name, value in fields.items():
        field = page.locator(f"[name={action}-{name}]")
        kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(value)
        elif kind.endswith(":radio"):
            page.locator(f"[name={action}-{name}][value={value}]").check()
        else:
            field.fill(value)
    page.get_by_test_id(f"do-{action}").click()
    expect(page.get_by_test_id("action-error")).to_have_count(0)
    expect(page.get_by_test_id("case-status")).to_have_text(zh(status.label))


def test_message_from_station_qr_is_handled_to_closure(site, phone, zbar, login, unread, shot):
    # Given the QR code printed for the Chengguan town liaison station
    station = site["cg_hub"]
    citizen = phone()
    qr = citizen.request.get(f"{site['url']}/s/{station.code}/qr.png")
    assert qr.ok
    assert qr.headers["content-type"] == "image/png"

    # When a citizen scans it (decoded by zbar) and follows the link on a phone
    url = zbar(qr.body())
    assert url == f"{site['url']}/s/{station.code}/"
    citizen.goto(url)

    # Then the station's page opens in Simplified Chinese and fits the phone's screen
    expect(citizen.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(citizen.get_by_test_id("landing-name")).to_have_text(station.name)
    assert untranslated(citizen, "form label, [data-testid=submit]") == []
    shot(citizen, "1-landing")
    assert page_width(citizen) <= 390

    # When the citizen writes a message in Chinese with a name and phone number and sends it
    liaison_unread, dept_unread = unread("liaison"), unread("dept")
    citizen.fill("[name=title]", TITLE)
    citizen.fill("[name=text]", TEXT)
    citizen.fill("[name=place]", PLACE)
    citizen.fill("[name=name]", NAME)
    citizen.fill("[name=phone]", PHONE)
    shot(citizen, "2-filled")
    citizen.get_by_test_id("submit").click()

    # Then a tracking code and a ledger number are shown
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert TRACKING_CODE.fullmatch(code), code
    number = citizen.get_by_test_id("case-number").inner_text().strip()
    assert Case.objects.get(tracking_code=code).number == number
    shot(citizen, "3-submitted")
    assert page_width(citizen) <= 390

    # And the tracking page says the case waits to be accepted
    citizen.get_by_test_id("track-link").click()
    expect(citizen).to_have_url(f"{site['url']}/t/{code}/")
    expect(citizen.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.SUBMITTED.label))
    assert zh(CaseStatus.SUBMITTED.label) == "待受理"
    expect(citizen.get_by_test_id("timeline")).to_contain_text(number)
    shot(citizen, "4-track-submitted")

    # When the station's liaison officer signs in
    liaison = phone()
    login(liaison, "liaison")

    # Then a new notification waits and the case is in the ledger
    expect(liaison.get_by_test_id("unread-count")).to_have_text(str(liaison_unread + 1))
    liaison.goto(f"{site['url']}/ledger/")
    expect(liaison.get_by_test_id("ledger")).to_contain_text(number)
    expect(liaison.get_by_test_id("ledger")).to_contain_text(TITLE)
    shot(liaison, "5-ledger")

    # When the officer accepts it as a general case and assigns it to the housing bureau
    liaison.get_by_test_id("ledger").get_by_role("link", name=number).click()
    expect(liaison.get_by_test_id("case-number")).to_have_text(number)
    assert untranslated(liaison, ".facts dt, .action summary") == []
    shot(liaison, "6-case")
    act(liaison, "accept", CaseStatus.ACCEPTED, triage="general")
    act(liaison, "assign", CaseStatus.ASSIGNED, department="qx-housing")

    # Then the tracking page tells the citizen who is handling it
    citizen.reload()
    expect(citizen.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.ASSIGNED.label))

    # When the bureau's case handler signs in, opens the notification and answers
    dept = phone()
    login(dept, "dept")
    expect(dept.get_by_test_id("unread-count")).to_have_text(str(dept_unread + 1))
    dept.goto(f"{site['url']}/notifications/")
    dept.get_by_test_id("notifications").get_by_role("link", name=number).click()
    expect(dept.get_by_test_id("case-number")).to_have_text(number)
    act(dept, "answer", CaseStatus.ANSWERED, text=ANSWER)
    shot(dept, "7-dept-answered")

    # And the liaison officer follows up by phone, records "satisfied" and closes the case
    liaison.reload()
    act(liaison, "follow_up", CaseStatus.FOLLOWED_UP, method="phone", note=FOLLOW_UP_NOTE)
    act(liaison, "rate", CaseStatus.RATED, rating="satisfied")
    act(liaison, "close", CaseStatus.CLOSED)
    shot(liaison, "8-closed")

    # Then the citizen's tracking page shows it closed out, with the answer
    citizen.reload()
    expect(citizen.get_by_test_id("case-status")).to_have_text(zh(CaseStatus.CLOSED.label))
    assert zh(CaseStatus.CLOSED.label) == "已销号"
    expect(citizen.get_by_test_id("timeline")).to_contain_text(ANSWER)
    shot(citizen, "9-track-closed")
    assert page_width(citizen) <= 390

    # And nothing on it reveals who wrote in, nor the officer's internal note
    html = citizen.content()
    assert PHONE not in html
    assert PHONE[-8:] not in html
    assert NAME not in html
    assert FOLLOW_UP_NOTE not in html
