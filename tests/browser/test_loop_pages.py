"""Every page of the livelihood-projects loop and of the voting core, looked at as its user
would: on a phone (390 px) and at a desk (1280 px), in Chinese and in English, and reflowed at
320 px (a 1280 px screen at 400 % zoom; 200 % is 640 px). On each page: nothing overflows
sideways, axe-core (vendored in tests/browser/vendor, MPL-2.0) finds no WCAG 2.1 A/AA violation
(labels, contrast, headings, ARIA references, names of buttons and links), the title says where
you are, and on a phone every control is at least 44 px tall. Screenshots land in
test-artifacts/ (the `browser` marker: Debian's Chromium)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lianluo.core.models import User
from lianluo.projects.models import Photo, Project, Proposal, Window
from lianluo.projects.services.candidates import candidate_fill, candidates_pick, slate_save
from lianluo.voting import services as vs
from tests.projects.public_loop import build

from .conftest import ARTIFACTS, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
# Loaded through the DevTools protocol (the page's CSP refuses an inline script tag).
AXE_LOAD = AXE + "\n;0"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""
# Controls a finger must hit on a phone: buttons, fields, and the labels of boxes and choices.
SMALL_TARGETS = """() => {
  const out = [];
  const sel = ["main button", "main .button", "main select", "main textarea",
    "main input:not([type=hidden]):not([type=radio]):not([type=checkbox])",
    "main label:has(input[type=radio])", "main label:has(input[type=checkbox])",
    "main .vt-marks label", "main summary"].join(", ");
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not shown
    if (el.closest(".visually-hidden")) continue;
    if (r.height < 44) {
      const text = (el.innerText || el.name || "").trim().slice(0, 30);
      out.push(`${el.tagName.toLowerCase()}.${el.className} "${text}" ${Math.round(r.height)}px`);
    }
  }
  return out;
}"""


@dataclass
class Stop:
    name: str
    who: str  # "public", "staff" or "deputy"
    url: str
    phone_page: bool  # a page its user opens on a phone (targets are checked there)


@pytest.fixture
def photos(tmp_path, monkeypatch):
    field = Photo._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))


def _slate(staff: User, congress, year: int) -> list[Project]:
    slate = slate_save(
        actor=staff,
        congress=congress,
        year=year,
        approved_by="大会主席团",
        approved_on=date(year, 1, 10),
        quota=2,
    )
    projects = [
        Project.objects.create(
            congress=congress, year=year, title=t, content=f"{t}的建设内容", estimated_cost=90
        )
        for t in ("老旧小区加装电梯", "农贸市场改造", "社区食堂")
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
            expected_effect="惠及居民三千人",
            department=None,
            completion=f"{year}年底前",
            completion_due=None,
            presentation="",
        )
    return projects


@pytest.fixture
def tour(site, users, photos) -> dict:
    """The county's loop of 2026 (rated), an open session vote of 2027 with the demo deputy
    present and a code for another, a slate of 2028 being prepared, a window open now."""
    staff = users["staff"]
    loop = build(site, staff, "rated")
    congress = loop.congress
    today = timezone.localdate()
    Window.objects.create(
        congress=congress,
        year=today.year + 1,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=30),
        intro="请提出您身边的民生实事",
    )
    future = _slate(staff, congress, 2028)
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
            )
            for i in range(1, 4)
        ],
        quota=2,
        max_for=2,
    )
    deputy = users["deputy"].deputy
    other = vote.voters.exclude(deputy=deputy).order_by("deputy_id").first().deputy
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=[deputy.pk, other.pk])
    code = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=[other.pk])[other.pk]
    vs.vote_open(actor=staff, vote=vote)
    proposal = Proposal.objects.filter(congress=congress, year=2026).order_by("pk").first()
    return {
        "loop": loop,
        "vote": vote,
        "code": code,
        "future": future,
        "proposal": proposal,
        "congress": congress,
        "deputy": deputy,
        "other": other,
    }


def stops(t: dict) -> list[Stop]:
    c, loop, vote = t["congress"], t["loop"], t["vote"]
    closed = loop.vote
    p0 = loop.projects[0]
    return [
        Stop("home", "staff", reverse("projects:home"), False),
        Stop("windows", "staff", reverse("projects:windows"), False),
        Stop("proposals", "staff", reverse("projects:proposals"), False),
        Stop("proposal", "staff", reverse("projects:proposal", args=[t["proposal"].pk]), False),
        Stop("pool", "staff", reverse("projects:pool"), False),
        Stop("propose", "public", reverse("projects:propose", args=[c.pk]), True),
        Stop("slate", "staff", reverse("projects:slate", args=[c.pk, 2028]), False),
        Stop(
            "candidate",
            "staff",
            reverse("projects:candidate", args=[c.pk, 2028, t["future"][0].pk]),
            False,
        ),
        Stop("project", "staff", reverse("projects:project", args=[p0.pk]), False),
        Stop("satisfaction", "staff", reverse("projects:satisfaction", args=[c.pk, 2026]), False),
        Stop("public_index", "public", reverse("projects:public_index"), True),
        Stop("public_year", "public", reverse("projects:public_year", args=[c.pk, 2026]), True),
        Stop("public_project", "public", reverse("projects:public_project", args=[p0.pk]), True),
        Stop("run", "staff", reverse("voting:run", args=[vote.pk]), False),
        Stop("slips", "staff", reverse("voting:slips", args=[vote.pk]), False),
        Stop("paper", "staff", reverse("voting:paper", args=[vote.pk]), False),
        Stop("mine", "deputy", reverse("voting:mine"), True),
        Stop("ballot", "deputy", reverse("voting:ballot", args=[vote.pk]), True),
        Stop("kiosk", "public", reverse("voting:kiosk", args=[vote.pk]), True),
        Stop("receipt", "public", reverse("voting:receipt", args=[vote.pk]), True),
        Stop("result", "public", reverse("voting:result", args=[closed.pk]), True),
        Stop("receipts", "public", reverse("voting:receipts", args=[closed.pk]), True),
        Stop("ballots", "public", reverse("voting:ballots", args=[closed.pk]), True),
    ]


@pytest.fixture
def contexts(browser: Browser, site, login) -> Iterator[Callable[[str, int, str], Page]]:
    """page(who, width, locale) -> a page of a context for that person, signed in once."""
    made: dict[tuple[str, int, str], BrowserContext] = {}
    violations: list[str] = []

    def page(who: str, width: int, locale: str) -> Page:
        key = (who, width, locale)
        if key not in made:
            phone = width < 800
            context = browser.new_context(
                viewport={"width": width, "height": 844 if phone else 900},
                device_scale_factor=2 if phone else 1,
                is_mobile=phone,
                has_touch=phone,
                locale=locale,
                timezone_id="Asia/Shanghai",
            )
            context.set_default_timeout(15_000)
            watch_csp(context, violations)
            made[key] = context
            if who != "public":
                login(context.new_page(), "staff" if who == "staff" else "deputy")
        return made[key].new_page()

    yield page
    for context in made.values():
        context.close()
    assert not violations, "the browser blocked content under the CSP:\n" + "\n".join(violations)


def look(page: Page, url: str, width: int, name: str, *, phone_page: bool) -> dict:
    """Open, screenshot and check one page; return what a user would stumble on."""
    page.goto(url)
    page.screenshot(path=str(ARTIFACTS / f"tour-{name}.png"), full_page=True)
    found: dict = {}
    scroll = int(page.evaluate("document.documentElement.scrollWidth"))
    if scroll > width:
        found["overflow"] = scroll
    page.evaluate(AXE_LOAD)
    axe = page.evaluate(AXE_RUN)
    if axe:
        found["axe"] = axe
    if page.title().startswith(("联络 ·", "Lianluo ·")):  # the site's name alone: where am I?
        found["title"] = page.title()
    if phone_page and width < 800:
        small = page.evaluate(SMALL_TARGETS)
        if small:
            found["small_targets"] = small
    return found


def test_every_page_of_the_loop_reads_well_on_a_phone_and_at_a_desk(site, tour, contexts):
    ARTIFACTS.mkdir(exist_ok=True)
    problems: dict[str, dict] = {}
    base = site["url"]
    for stop in stops(tour):
        for width, locale in ((390, "zh-CN"), (1280, "zh-CN"), (1280, "en-US"), (320, "zh-CN")):
            if width == 320 and not stop.phone_page:
                continue
            page = contexts(stop.who, width, locale)
            name = f"{stop.name}-{width}-{locale[:2]}"
            found = look(page, base + stop.url, width, name, phone_page=stop.phone_page)
            if found:
                problems[name] = found
            page.close()
    (ARTIFACTS / "tour-problems.json").write_text(
        json.dumps(problems, ensure_ascii=False, indent=1)
    )

    # The flows that only a click reaches: the printed slips, a ballot on the shared device
    # and its receipt, the citizen's proposal sent.
    staff = contexts("staff", 1280, "zh-CN")
    staff.goto(base + reverse("voting:run", args=[tour["vote"].pk]))
    # a slip for the signed-in deputy only (a new code would replace the kiosk deputy's)
    staff.get_by_test_id(f"present-{tour['other'].pk}").uncheck()
    staff.get_by_test_id("issue-codes").click()
    expect(staff.get_by_test_id("slips")).to_be_visible()
    staff.emulate_media(media="print")
    staff.screenshot(path=str(ARTIFACTS / "tour-slips-print.png"), full_page=True)

    for width in (390, 1280):
        kiosk = contexts("public", width, "zh-CN")
        kiosk.goto(base + reverse("voting:kiosk", args=[tour["vote"].pk]))
        kiosk.get_by_label("您的投票码").fill(tour["code"])
        kiosk.get_by_test_id("code-form").locator("button[type=submit]").click()
        expect(kiosk.get_by_test_id("ballot-form")).to_be_visible()
        kiosk.evaluate(AXE_LOAD)
        if axe := kiosk.evaluate(AXE_RUN):
            problems[f"kiosk-ballot-{width}"] = {"axe": axe}
        kiosk.screenshot(path=str(ARTIFACTS / f"tour-kiosk-ballot-{width}.png"), full_page=True)

    citizen = contexts("public", 390, "zh-CN")
    citizen.goto(base + reverse("projects:propose", args=[tour["congress"].pk]))
    citizen.locator("main button[type=submit]").click()  # empty: the errors at the fields
    citizen.screenshot(path=str(ARTIFACTS / "tour-propose-errors-390.png"), full_page=True)
    citizen.evaluate(AXE_LOAD)
    if axe := citizen.evaluate(AXE_RUN):
        problems["propose-errors-390"] = {"axe": axe}

    (ARTIFACTS / "tour-problems.json").write_text(
        json.dumps(problems, ensure_ascii=False, indent=1)
    )
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
