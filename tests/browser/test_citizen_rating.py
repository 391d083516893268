"""A citizen opens the tracking page of their answered case on a phone, reads their message and
the answer, and rates it: satisfied, the problem solved (issue 12)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lianluo.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "幸福路东段三盏路灯坏了一个多月，晚上很黑，老人孩子出门不安全。"
ANSWER = "县住建局已安排维修队更换灯具，三盏路灯已于本周恢复照明。"


def test_citizen_rates_the_answer_on_a_phone(site, phone, make_case, shot):
    # Given a case answered by the station
    case = make_case(
        ("accept", {"triage": "general"}), ("answer", {"text": ANSWER}), text=TEXT, name="欧阳明月"
    )

    # When its citizen opens the tracking page on a phone
    citizen = phone()
    citizen.goto(f"{site['url']}/t/{case.tracking_code}/")

    # Then they see their message, the ledger number, the promise and the answer, on the screen
    expect(citizen.get_by_test_id("case-number")).to_have_text(case.number)
    expect(citizen.get_by_test_id("my-message")).to_contain_text(TEXT)
    expect(citizen.get_by_test_id("deadline")).to_contain_text("一般问题，30日内答复")
    expect(citizen.get_by_test_id("answer")).to_contain_text(ANSWER)
    expect(citizen.locator("body")).not_to_contain_text("欧阳明月")
    shot(citizen, "1-answered")
    assert int(citizen.evaluate("document.documentElement.scrollWidth")) <= 390

    # When they choose 满意 (a big touch target) and "solved", and send it
    satisfied = citizen.get_by_test_id("rating-satisfied")
    assert satisfied.bounding_box()["height"] >= 44
    satisfied.click()
    citizen.get_by_test_id("solved-yes").click()
    citizen.get_by_label("还有什么想说的吗？（选填）").fill("修得很快，谢谢")
    citizen.get_by_test_id("rate-submit").click()

    # Then they are thanked, see their rating, and the form is gone
    expect(citizen.locator(".messages")).to_contain_text("感谢您的评价！")
    expect(citizen.get_by_test_id("rating-label")).to_have_text("满意")
    expect(citizen.get_by_test_id("rating")).to_contain_text("问题已解决")
    expect(citizen.get_by_test_id("rate-submit")).to_have_count(0)
    shot(citizen, "2-rated")
    # And the case is rated by the citizen
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.rating, case.rated_by, case.rating_solved) == (
        "rated",
        "satisfied",
        "citizen",
        True,
    )
