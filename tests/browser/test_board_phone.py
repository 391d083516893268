"""On a phone: the public board (阳光栏) shows the published ranking and its objection deadline;
a deputy objects from their phone within the window; nothing is wider than the screen."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lianluo.demo.seed import seed_board
from lianluo.duty.models import Objection, Publication

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"


def test_public_board_and_an_objection_on_a_phone(site, phone, login, shot):
    seed_board(site)
    publication = Publication.objects.get(station=site["cg_hub"])
    # a citizen opens the station's public board
    page = phone()
    page.goto(f"{site['url']}/board/{site['cg_hub'].code}/")
    expect(page.get_by_test_id("board-title")).to_have_text(publication.title)
    expect(page.get_by_test_id("window-open")).to_be_visible()
    deadline = timezone.localtime(publication.objection_deadline).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_test_id("deadline")).to_contain_text(deadline)
    expect(page.get_by_test_id("ranking").locator("li")).to_have_count(len(publication.ranking))
    _fits(page)
    shot(page, "public-board")
    # the deputy objects on their phone
    deputy_page = phone()
    login(deputy_page, "deputy")
    deputy_page.goto(f"{site['url']}/board/publications/{publication.pk}/")
    deputy_page.get_by_test_id("objection-form").locator("textarea").fill("接待日的积分少记了一次")
    deputy_page.get_by_test_id("submit-objection").click()
    expect(deputy_page.locator(".messages")).to_be_visible()
    expect(deputy_page.get_by_test_id("objections")).to_contain_text("接待日的积分少记了一次")
    _fits(deputy_page)
    shot(deputy_page, "objection")
    assert Objection.objects.filter(text="接待日的积分少记了一次", deputy=site["deputy"]).exists()
