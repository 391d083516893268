"""Suggestions on phones: the department finds the item in its queue (an overdue one first, in
red), records its contact with the deputy and replies; the deputy then finds "rate the reply
now" and rates it with the three big buttons. Screenshots of each page land in
test-artifacts/."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import congresses_of, suggestion_new, suggestion_transition
from lianluo.suggestions.states import SuggestionRating, SuggestionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page: Page) -> None:
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390


def zh(label: object) -> str:
    with translation.override("zh-hans"):
        return str(label)


def assigned_item(site, title: str) -> Suggestion:
    """A suggestion of the demo deputy, registered and assigned to the housing bureau."""
    from lianluo.core.models import User

    staff, deputy_user = User.objects.get(username="staff"), User.objects.get(username="deputy")
    seats = congresses_of(site["deputy"])
    congress = next((c for c in seats if c == site["county_congress"]), seats[0])
    item = suggestion_new(
        actor=deputy_user,
        congress=congress,
        deputy=site["deputy"],
        title=title,
        text="城关小学围墙倒塌，存在安全隐患，建议尽快修缮。",
    )
    item = suggestion_transition(actor=staff, suggestion=item, action="register")
    item = suggestion_transition(
        actor=staff, suggestion=item, action="assign", lead=site["departments"][0].code
    )
    return item


def test_the_department_replies_and_the_deputy_rates_it(site, phone, login, shot):
    # Given an item assigned to the housing bureau today, and one assigned four months ago
    item = assigned_item(site, "修缮城关小学围墙")
    with time_machine.travel(timezone.now() - timedelta(days=125), tick=False):
        late = assigned_item(site, "整治河口农贸市场排水")

    # When the bureau's handler opens their suggestions on the phone
    dept = phone()
    login(dept, "dept")
    dept.get_by_test_id("suggestions-link").click()
    queue = dept.get_by_test_id("queue")
    # Then the overdue item comes first, flagged in red with its days, counted above the list
    expect(dept.get_by_test_id("queue-overdue")).to_be_visible()
    rows = queue.locator("li")
    expect(rows.first).to_have_attribute("data-testid", f"row-{late.number}")
    expect(rows.first.get_by_test_id("overdue")).to_be_visible()
    shot(dept, "queue")
    fits_the_phone(dept)

    # When they open today's item and record a phone call with the deputy
    queue.get_by_role("link", name=item.title).click()
    dept.get_by_test_id("action-contact").click()
    dept.get_by_role("radio", name="电话").check()
    dept.get_by_test_id("do-contact").click()
    expect(dept.get_by_test_id("contacts")).to_contain_text("电话")

    # And reply with the classification A and the text
    dept.get_by_test_id("action-reply").click()
    dept.locator("[data-action=reply] input[value=A]").check()
    dept.fill("#id_reply-text", "已安排专项资金，围墙已于本月修缮完毕。")
    shot(dept, "reply-form")
    fits_the_phone(dept)
    dept.get_by_test_id("do-reply").click()

    # Then the item is replied and the reply is on its record
    expect(dept.get_by_test_id("status")).to_have_text(zh(SuggestionStatus.REPLIED.label))
    expect(dept.get_by_test_id("replies")).to_contain_text("围墙已于本月修缮完毕")
    expect(dept.get_by_test_id("nothing-to-do")).to_be_visible()
    shot(dept, "replied")

    # When the deputy opens their suggestions
    deputy = phone()
    login(deputy, "deputy")
    deputy.get_by_test_id("suggestions-link").click()
    section = deputy.get_by_test_id("section-rate")
    expect(section.get_by_test_id(f"row-{item.number}")).to_be_visible()
    shot(deputy, "work")
    section.get_by_role("link", name=item.title).click()

    # Then the rating form is open with three big choices, and the reply is shown
    expect(deputy.get_by_test_id("replies")).to_contain_text("围墙已于本月修缮完毕")
    choices = deputy.locator("[data-action=rate] .choices.big .choice")
    expect(choices).to_have_count(3)
    assert choices.first.bounding_box()["height"] >= 44
    deputy.get_by_label(zh(SuggestionRating.SATISFIED.label), exact=True).check()
    deputy.fill("#id_rate-comment", "办理及时，谢谢。")
    shot(deputy, "rate")
    fits_the_phone(deputy)
    deputy.get_by_test_id("do-rate").click()

    # Then the item is rated, and the rating is on the record for both of them
    expect(deputy.get_by_test_id("status")).to_have_text(zh(SuggestionStatus.RATED.label))
    expect(deputy.get_by_test_id("ratings")).to_contain_text("办理及时")
    dept.reload()
    expect(dept.get_by_test_id("rating")).to_have_text(zh(SuggestionRating.SATISFIED.label))
    saved = Suggestion.objects.get(pk=item.pk)
    assert (saved.status, saved.last_rating) == ("rated", "satisfied")
