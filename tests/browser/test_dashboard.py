"""The dashboard and the big screen in a browser (Debian's Chromium): the figures and charts
show, nothing overflows sideways on a phone, axe-core finds no WCAG 2.1 A/AA violation, the CSP
blocks nothing (the charts' script is a static file reading the page's JSON), and a figure's
link opens records as many as it says. Screenshots land in test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from lianluo.cases.states import Channel
from lianluo.demo.seed import DEMO_PASSWORD

from .conftest import watch_csp
from .test_loop_pages import AXE_LOAD, AXE_RUN, SMALL_TARGETS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(browser: Browser, site) -> Iterator[Callable[[str, int, int], Page]]:
    """desk("staff", width, height) -> a signed-in page of that size (CSP violations fail)."""
    contexts, violations = [], []

    def make(who: str, width: int, height: int) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        watch_csp(context, violations)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site['url']}/accounts/login/")
        page.fill("#id_username", who)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        expect(page.locator("header [data-testid=notifications-link]")).to_be_visible()
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, "the browser blocked content under the CSP:\n" + "\n".join(violations)


def axe(page: Page) -> list:
    page.evaluate(AXE_LOAD)
    return page.evaluate(AXE_RUN)


def test_the_dashboard_and_the_big_screen(site, make_case, desk, shot):
    for i in range(3):
        make_case(("accept", {"triage": "general"}), channel=Channel.STATION_QR, name=f"李{i}明")
    make_case(
        ("accept", {"triage": "simple"}),
        ("answer_on_spot", {"text": "当场答复"}),
        ("follow_up", {"method": "phone"}),
        ("rate", {"rating": "satisfied"}),
        "close",
    )
    make_case(channel=Channel.RECEPTION)

    page = desk("staff", 1280, 900)
    page.goto(f"{site['url']}/")
    page.locator("header [data-testid=insights-link]").click()
    expect(page.locator("h1")).to_contain_text(site["county"].name)
    expect(page.locator("[data-testid=fig-received]").first).to_have_text("5")
    # the charts are drawn (ECharts' canvases) next to their tables
    expect(page.locator("#chart-trend canvas")).to_have_count(1)
    expect(page.locator("#chart-channels canvas")).to_have_count(1)
    expect(page.locator("#chart-children canvas")).to_have_count(1)
    assert axe(page) == []
    shot(page, "desk")

    # a figure's link: the records it counts
    page.locator("a.fig-link:has([data-testid=fig-received])").click()
    expect(page.locator("[data-testid=records-count]")).to_contain_text("5")
    expect(page.locator("[data-testid=citizen]")).to_have_count(5)
    assert axe(page) == []

    # on a phone: readable, nothing wider than the screen, big targets
    small = desk("staff", 390, 844)
    small.goto(f"{site['url']}/insights/?period=this_month")
    expect(small.locator("[data-testid=fig-received]").first).to_have_text("5")
    assert int(small.evaluate("document.documentElement.scrollWidth")) <= 390
    assert axe(small) == []
    assert small.evaluate(SMALL_TARGETS) == []
    shot(small, "phone")

    # the big screen: dark, very large numbers, the ranking
    screen = desk("staff", 1920, 1080)
    screen.goto(f"{site['url']}/insights/screen/")
    expect(screen.locator("[data-testid=fig-received]")).to_have_text("5")
    expect(screen.locator("#chart-trend canvas")).to_have_count(1)
    expect(screen.locator("[data-testid=ranking] li").first).to_be_visible()
    assert axe(screen) == []
    shot(screen, "screen")
