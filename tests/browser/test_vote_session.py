"""A session vote run in the browser from the register to the published result, as each person
at the session sees it: staff at a desk (1280 px) prepare the vote from the slate, mark presence,
print a one-time code and open the vote; two deputies vote on their phones (390 px) signed in,
a third on the shared device with the code of their slip; a teller hands out and enters one
paper ballot; staff close; anyone reads the result, finds a receipt with the check box, and sees
the anonymous ballots recount to the result (the `browser` marker: Debian's Chromium)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from lianluo.core.models import User
from lianluo.demo.seed.base import demo_deputy_login
from lianluo.projects.models import Project, Slate
from lianluo.projects.services.candidates import candidate_fill, candidates_pick, slate_save
from lianluo.voting.models import Ballot, Receipt, Voter

from .conftest import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2027
RECEIPT = re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$")


@pytest.fixture
def desk(browser: Browser) -> Iterator[Callable[[], Page]]:
    """desk() -> a page in a fresh desktop-sized context (1280 wide), failing on CSP blocks."""
    contexts = []
    violations: list[str] = []

    def make() -> Page:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not violations, "the browser blocked content under the CSP:\n" + "\n".join(violations)


def slate_of_three(staff: User, congress) -> list[Project]:
    """The slate of 2027: three candidates from the pool for two projects, particulars filled."""
    slate = slate_save(
        actor=staff,
        congress=congress,
        year=YEAR,
        approved_by="大会主席团",
        approved_on=date(YEAR, 1, 10),
        quota=2,
    )
    projects = [
        Project.objects.create(
            congress=congress,
            year=YEAR,
            title=title,
            content=f"{title}的建设内容",
            estimated_cost=90,
        )
        for title in ("老旧小区加装电梯", "农贸市场改造", "社区食堂")
    ]
    candidates_pick(actor=staff, slate=slate, project_ids=[p.pk for p in projects])
    for p in projects:
        candidate_fill(
            actor=staff,
            slate=slate,
            project_id=p.pk,
            title=p.title,
            content=p.content,
            investment=Decimal("320.00"),
            expected_effect="",
            department=None,
            completion=f"{YEAR}年底前",
            completion_due=None,
            presentation="",
        )
    return projects


def mark(page: Page, choices: list[str]) -> None:
    """Tap one choice per candidate, in order, on the ballot form."""
    for i, choice in enumerate(choices, start=1):
        page.get_by_test_id(f"option-{i}").get_by_text(choice, exact=True).click()


def test_a_session_vote_from_the_register_to_the_published_result(
    site, users, phone, desk, login, shot
):
    congress = site["county_congress"]
    staff_user = users["staff"]
    projects = slate_of_three(staff_user, congress)
    # Given staff at their desk prepare the session vote from the slate
    staff = desk()
    login(staff, "staff")
    staff.goto(f"{site['url']}/projects/{congress.pk}/{YEAR}/candidates/")
    expect(staff.get_by_test_id("candidates")).to_contain_text("社区食堂")
    staff.get_by_test_id("vote-form").locator("button[type=submit]").click()
    expect(staff.get_by_test_id("status")).to_have_text("准备中")
    expect(staff).to_have_title(re.compile(r"^组织票决 · "))
    run_url = staff.url
    vote = Slate.objects.get(congress=congress, year=YEAR).vote
    assert vote is not None and run_url.endswith(f"/votes/{vote.pk}/run/")
    # the register: every deputy of the congress, the signed-in demo deputy among them
    register = [v.deputy for v in Voter.objects.filter(vote=vote).order_by("deputy_id")]
    entitled = len(register)
    mine = User.objects.get(username="deputy").deputy
    assert mine in register
    second, at_kiosk, on_paper = [d for d in register if d != mine][:3]
    demo_deputy_login(second)
    expect(staff.get_by_test_id("entitled")).to_have_text(str(entitled))
    for p in projects:
        expect(staff.locator("main")).to_contain_text(p.title)

    # When they mark the four deputies at the session present on the register
    for d in (mine, second, at_kiosk, on_paper):
        staff.get_by_test_id(f"present-{d.pk}").check()
    staff.get_by_test_id("save-presence").click()
    expect(staff.locator("main")).to_contain_text("出席情况已保存")
    expect(staff.get_by_test_id("present")).to_have_text("4")
    shot(staff, "run-register")

    # …print a one-time code for the deputy who votes on the shared device
    for d in (mine, second, on_paper):
        staff.get_by_test_id(f"present-{d.pk}").uncheck()
    staff.get_by_test_id("issue-codes").click()
    slip = staff.get_by_test_id("slips").locator("li")
    expect(slip).to_have_count(1)
    expect(slip).to_contain_text(at_kiosk.name)
    code = staff.get_by_test_id("slip-code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    shot(staff, "slips")

    # …and open the vote (presence stayed as saved: four present)
    staff.goto(run_url)
    expect(staff.get_by_test_id("present")).to_have_text("4")
    staff.get_by_test_id("open").click()
    expect(staff.get_by_test_id("status")).to_have_text("投票中")

    # Two deputies vote on their phones, signed in
    receipts: dict[str, str] = {}
    for username, choices in (
        ("deputy", ["赞成", "赞成", "反对"]),
        (second.user.username, ["赞成", "弃权", "赞成"]),
    ):
        page = phone()
        login(page, username)
        page.goto(f"{site['url']}/votes/{vote.pk}/")
        expect(page.get_by_test_id("option-1")).to_contain_text("老旧小区加装电梯")
        expect(page.get_by_test_id("option-1")).to_contain_text("320.00万元")
        mark(page, choices)
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
        page.get_by_test_id("next").click()
        expect(page.get_by_test_id("summary")).to_contain_text(choices[2])
        page.get_by_test_id("cast").click()
        expect(page.get_by_test_id("receipt")).to_have_text(RECEIPT)
        receipts[username] = page.get_by_test_id("receipt").inner_text()
        shot(page, f"receipt-{username}")

    # One deputy votes on the shared device with the code of their slip
    kiosk = phone()
    kiosk.goto(f"{site['url']}/votes/{vote.pk}/kiosk/")
    expect(kiosk).to_have_title(re.compile(r"^会场投票终端 · "))
    kiosk.get_by_label("您的投票码").fill(code)
    kiosk.get_by_test_id("code-form").locator("button[type=submit]").click()
    mark(kiosk, ["反对", "赞成", "赞成"])
    kiosk.get_by_test_id("next").click()
    kiosk.get_by_test_id("cast").click()
    expect(kiosk.get_by_test_id("receipt")).to_have_text(RECEIPT)
    shot(kiosk, "kiosk-receipt")
    # …and hands the device on: the next deputy sees the code box, not the receipt
    kiosk.get_by_test_id("next-voter").click()
    expect(kiosk.get_by_test_id("code-form")).to_be_visible()
    expect(kiosk.get_by_test_id("receipt")).to_have_count(0)

    # A teller hands out one paper ballot and enters it as it reads
    staff.goto(run_url)
    staff.get_by_test_id("paper-link").click()
    staff.get_by_test_id("issue-form").get_by_label("代表").select_option(str(on_paper.pk))
    staff.get_by_test_id("issue-form").locator("button[type=submit]").click()
    expect(staff.locator("main")).to_contain_text(f"已向{on_paper.name}发放纸质选票")
    expect(staff.get_by_test_id("paper-issued")).to_have_text("1")
    enter = staff.get_by_test_id("enter-form")
    shot(staff, "paper-form")
    for fieldset, choice in zip(
        enter.locator("fieldset").all(), ["赞成", "反对", "赞成"], strict=True
    ):
        fieldset.get_by_text(choice, exact=True).click()
    enter.locator("button[type=submit]").click()
    expect(staff.get_by_test_id("paper-entered")).to_have_text("1")
    expect(staff.get_by_test_id("paper-receipt")).to_have_text(RECEIPT)
    shot(staff, "paper")

    # When staff close the vote
    staff.goto(run_url)
    staff.get_by_test_id("close").click()
    expect(staff.get_by_test_id("status")).to_have_text("已结束并公布")
    assert Ballot.objects.filter(vote=vote).count() == 4
    assert Receipt.objects.filter(vote=vote).count() == 4

    # Then anyone reads the result: the figures and the counts per candidate
    public = phone()
    public.goto(f"{site['url']}/votes/{vote.pk}/result/")
    expect(public).to_have_title(re.compile(r"^结果 · "))
    expect(public.get_by_test_id("entitled")).to_have_text(str(entitled))
    expect(public.get_by_test_id("present")).to_have_text("4")
    expect(public.get_by_test_id("voted")).to_have_text("4")
    expect(public.get_by_test_id("ballots")).to_have_text("4")
    expect(public.get_by_test_id("invalid")).to_have_text("0")
    # 赞成 counts: candidate 1 has 3 (two phones and paper), 2 has 2, 3 has 3
    row = public.get_by_test_id("row-1")
    expect(row).to_contain_text("老旧小区加装电梯")
    expect(row.locator("td").nth(2)).to_have_text("3")
    expect(public.get_by_test_id("row-2").locator("td").nth(2)).to_have_text("2")
    expect(public.get_by_test_id("rule")).to_contain_text(f"全体{entitled}名代表")
    shot(public, "result")

    # …a deputy finds their receipt in the published list with the check box
    public.get_by_test_id("public-nav").get_by_role("link", name="回执").click()
    expect(public.get_by_test_id("codes").locator("li")).to_have_count(4)
    public.get_by_label("您的回执码").fill(receipts["deputy"].lower())
    public.get_by_test_id("check-form").locator("button[type=submit]").click()
    expect(public.get_by_test_id("found")).to_contain_text("已计入")
    shot(public, "receipts")
    public.get_by_label("您的回执码").fill("AAAA-BBBB-CCCC")
    public.get_by_test_id("check-form").locator("button[type=submit]").click()
    expect(public.get_by_test_id("not-found")).to_be_visible()

    # …and the anonymous ballots are listed, and recount to the published result
    public.get_by_test_id("public-nav").get_by_role("link", name="选票").click()
    expect(public.get_by_test_id("ballots").locator("tbody tr")).to_have_count(4)
    expect(public.get_by_test_id("recount")).to_contain_text("与公布的结果一致")
    assert int(public.evaluate("document.documentElement.scrollWidth")) <= 390
    shot(public, "ballots")
