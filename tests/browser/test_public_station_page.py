"""The public station page on a phone: Chinese renders, the message form is one tap away, no
personal data shows, and the poster printed from it carries a QR code back to the page."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.utils import translation
from playwright.sync_api import expect

from lianluo.cases.services import case_submit, case_transition
from lianluo.cases.services.publication import case_summary_approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIZEN = {"name": "欧阳秀英", "phone": "13855556666", "place": "幸福里3栋2单元"}
ANSWER = "已协调供电所更换灯具，路灯恢复照明。"
TEXT = "菜市场门口的下水道堵了，下雨天污水漫到路上，请尽快疏通。"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_station_page_on_a_phone(site, phone, shot, zbar, tmp_path):
    # Given a station with a closed case whose citizen consented to publication, its public
    # summary approved by staff
    station = site["cg_hub"]
    case, _ = case_submit(
        station=station,
        text="小区路灯坏了两个月",
        title="小区路灯坏了",
        consent_publish=True,
        **CITIZEN,
    )
    for action, fields in [
        ("accept", {"triage": "general"}),
        ("answer", {"text": ANSWER}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        ("rate", {"rating": "satisfied"}),
        ("close", {}),
    ]:
        case = case_transition(case=case, actor=site["staff"], action=action, **fields)
    case_summary_approve(case=case, actor=site["staff"], summary="小区路灯坏了，已修复")

    # When a citizen opens the station's page on a phone
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{station.code}/")

    # Then it is in Chinese, fits the screen, and shows the station and its public board
    expect(citizen.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(citizen.get_by_test_id("landing-name")).to_have_text(station.name)
    expect(citizen.get_by_test_id("deputies")).to_contain_text(zh("Deputies at this station"))
    expect(citizen.get_by_test_id("published-cases")).to_contain_text("小区路灯坏了，已修复")
    expect(citizen.get_by_test_id("published-cases")).to_contain_text(ANSWER)
    assert int(citizen.evaluate("document.documentElement.scrollWidth")) <= 390
    # (the heading's glyphs have real width: Chinese is drawn, not dropped)
    box = citizen.get_by_test_id("landing-name").bounding_box()
    assert box is not None and box["width"] > 6 * 16
    shot(citizen, "station")

    # And no personal data is anywhere on the page
    body = citizen.locator("body").inner_text()
    for value in (*CITIZEN.values(), "138****6666"):
        assert value not in body
    for deputy in station.deputies.all():
        assert deputy.phone not in body

    # When they tap the big "我要留言" button at the top
    jump = citizen.get_by_test_id("jump-to-form")
    expect(jump).to_have_text(zh("Leave a message"))
    jump.click()

    # Then the form is on screen, and a message goes through
    expect(citizen.locator("[name=text]")).to_be_in_viewport()
    shot(citizen, "form")
    citizen.fill("[name=text]", TEXT)
    citizen.get_by_test_id("submit").click()
    expect(citizen.get_by_test_id("tracking-code")).to_be_visible()


def test_poster_printed_from_the_page_leads_back_to_it(site, phone, zbar, tmp_path):
    # Given an officer on the station's page, in Chinese
    station = site["cg_hub"]
    officer = phone()
    officer.goto(f"{site['url']}/s/{station.code}/")

    # When they open the Chinese poster link
    href = officer.get_by_test_id("poster-zh").get_attribute("href")
    response = officer.request.get(f"{site['url']}{href}")

    # Then it is a PDF whose printed QR code, read by zbar, is this page's address
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.body())
    assert shutil.which("pdftoppm"), "poppler-utils is not installed"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / "poster")],
        check=True,
        timeout=60,
    )
    assert zbar((tmp_path / "poster.png").read_bytes()) == f"{site['url']}/s/{station.code}/"


def test_officer_prints_the_station_poster_from_the_desk_in_chinese_and_english(
    site, phone, login, tmp_path
):
    # Given the liaison officer of the station, signed in on the desk in Chinese
    station = site["cg_hub"]
    officer = phone()
    login(officer, "liaison")
    officer.goto(f"{site['url']}/desk/")

    def printed() -> tuple[str, str]:
        href = officer.get_by_test_id("print-poster").first.get_attribute("href")
        assert href == f"/s/{station.code}/poster.pdf"
        response = officer.request.get(f"{site['url']}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        pdf = tmp_path / "poster.pdf"
        pdf.write_bytes(response.body())
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        return response.headers["content-language"], text

    # When they print their station's poster
    language, text = printed()

    # Then it is the Chinese poster of their station
    assert language == "zh-hans"
    assert station.name in text
    with translation.override("zh-hans"):
        assert translation.gettext("People's congress deputy liaison station") in text

    # When they switch the interface to English and print again
    officer.locator("header button[name=language][value=en]").click()
    expect(officer.locator("html")).to_have_attribute("lang", "en")
    language, text = printed()

    # Then the poster is in English, with the station's Chinese name
    assert language == "en"
    assert "Scan to find your deputy" in text and station.name in text
