"""A deputy votes on a phone-sized screen: the ballot lists every candidate with its name, total
investment, description and completion time and three big choices; the deputy checks the
ballot, casts it and reads the receipt (the `browser` marker: Debian's Chromium)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lianluo.core.models import User
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deputy_votes_on_the_phone_and_reads_the_receipt(site, phone, login, shot):
    staff = User.objects.get(username="admin")
    deputy = User.objects.get(username="deputy").deputy
    congress = next(m.congress for m in deputy.mandates.filter(active=True))
    vote = vs.vote_create(
        actor=staff,
        kind="session",
        method="approve",
        congress=congress,
        year=2027,
        title="2027年民生实事项目票决",
        options=[
            vs.OptionSpec(
                label=f"老旧小区改造{i}",
                description="加装电梯、改造管网",
                amount=Decimal("320.00"),
                completion="2027年底前",
                subject_type="projects.project",
                subject_id=1000 + i,
            )
            for i in range(1, 4)
        ],
        quota=2,
        max_for=2,
    )
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=[deputy.pk])
    vs.vote_open(actor=staff, vote=vote)

    # Given the deputy signed in on their phone, with a vote waiting on their page
    page = phone()
    login(page, "deputy")
    page.goto(f"{site['url']}/me/")
    page.get_by_test_id("open-votes").get_by_role("link").click()
    page.get_by_test_id(f"vote-{vote.pk}").click()

    # Then every candidate is listed with its particulars and three big choices
    card = page.get_by_test_id("option-1")
    expect(card).to_contain_text("老旧小区改造1")
    expect(card).to_contain_text("320.00万元")
    expect(card).to_contain_text("2027年底前")
    box = card.locator("label", has_text="赞成").bounding_box()
    assert box and box["height"] >= 48
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390

    # When they vote for three (one too many), they are told at the form
    for i in (1, 2, 3):
        page.get_by_test_id(f"option-{i}").get_by_text("赞成").click()
    page.get_by_test_id("next").click()
    page.get_by_test_id("confirm-form").get_by_test_id("cast").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("赞成票最多2个")

    # …so they change the third to against, check and cast
    page.get_by_test_id("option-3").get_by_text("反对").click()
    shot(page, "ballot")
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("summary")).to_contain_text("反对")
    page.get_by_test_id("cast").click()

    # Then the receipt is shown and explained
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    expect(page.locator("main")).to_contain_text("不显示您投了什么票")
    shot(page, "receipt")
    assert Receipt.objects.filter(vote=vote, code=receipt.inner_text()).exists()
    assert Ballot.objects.filter(vote=vote).count() == 1
