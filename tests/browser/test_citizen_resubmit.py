"""A citizen's form page is one message: sending it twice — a double tap on 发送, or back and
send again — records one case; a message typed after starting over is a new case. And a long
message is never cut: the counter shows the limit while typing, and a message over it is
refused with the numbers, with every character still in the box."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lianluo.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "和平小区东门的路灯已经坏了一个星期，晚上很黑，老人出门不安全，请尽快修理。"


def test_back_and_send_again_records_one_case(site, phone, shot):
    # given a citizen who sent a message and sees its tracking code
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{site['cg_hub'].code}/")
    citizen.fill("[name=text]", TEXT)
    citizen.get_by_test_id("submit").click()
    code = citizen.get_by_test_id("tracking-code")
    expect(code).to_be_visible()
    first = code.inner_text()

    # when they go back to the form, which still shows their message, and send it again
    citizen.go_back()
    expect(citizen.locator("[name=text]")).to_have_value(TEXT)
    citizen.get_by_test_id("submit").click()

    # then they land on the same case, and only one case exists
    expect(citizen.get_by_test_id("tracking-code")).to_have_text(first)
    shot(citizen, "same-case")
    assert Case.objects.count() == 1


def test_a_double_tap_on_send_records_one_case(site, phone):
    # given a citizen who typed a message
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{site['cg_hub'].code}/")
    citizen.fill("[name=text]", TEXT)

    # when they tap 发送 twice in a row
    citizen.get_by_test_id("submit").dblclick()

    # then one case is recorded and they see its tracking code
    expect(citizen.get_by_test_id("tracking-code")).to_be_visible()
    assert Case.objects.count() == 1


def test_a_new_message_after_starting_over_is_a_new_case(site, phone):
    # given a citizen who sent a message
    citizen = phone()
    station_page = f"{site['url']}/s/{site['cg_hub'].code}/"
    citizen.goto(station_page)
    citizen.fill("[name=text]", TEXT)
    citizen.get_by_test_id("submit").click()
    first = citizen.get_by_test_id("tracking-code").inner_text()

    # when they open the station's page again and write another message
    citizen.goto(station_page)
    expect(citizen.locator("[name=text]")).to_have_value("")
    citizen.fill("[name=text]", "村口的垃圾桶满了，没有人清运。")
    citizen.get_by_test_id("submit").click()

    # then it is a second case with its own tracking code
    second = citizen.get_by_test_id("tracking-code")
    expect(second).to_be_visible()
    assert second.inner_text() != first
    assert Case.objects.count() == 2


def test_a_long_message_is_counted_refused_with_the_numbers_and_kept_whole(site, phone, shot):
    limit = settings.LIANLUO_TEXT_MAX_CHARS
    long_text = "路" * 50_000

    # given a citizen on a station's page who pastes a 50,000-character message
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{site['cg_hub'].code}/")
    box = citizen.locator("[name=text]")
    box.fill("路灯")
    counter = citizen.get_by_test_id("text-counter")
    expect(counter).to_have_text(f"已输入 2 / {limit} 字")
    box.fill(long_text)

    # then nothing is cut while typing, and the counter shows it is over the limit
    assert box.evaluate("el => el.value.length") == 50_000
    expect(counter).to_contain_text(f"已输入 50000 / {limit} 字")

    # when they send it
    citizen.get_by_test_id("submit").click()

    # then the field says, in Chinese, how long it may be and how long it is
    expect(citizen.get_by_test_id("error-text")).to_have_text(
        f"留言最多 {limit} 字，现在是 50000 字，请删减后再提交。"
    )
    shot(citizen, "too-long")
    # and all 50,000 characters are still in the box, and nothing was recorded
    assert citizen.locator("[name=text]").evaluate("el => el.value.length") == 50_000
    assert Case.objects.count() == 0

    # when they shorten it to the limit and send again, it is recorded whole
    citizen.locator("[name=text]").fill("路" * limit)
    citizen.get_by_test_id("submit").click()
    expect(citizen.get_by_test_id("tracking-code")).to_be_visible()
    assert len(Case.objects.get().text) == limit
