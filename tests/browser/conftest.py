"""Browser fixtures: Debian's Chromium driven by Playwright on a phone-sized screen, against
pytest-django's live server with the demo county (zbar, the independent QR decoder, is a
fixture of tests/conftest.py).

Run by `make test-browser` (the `browser` marker is excluded from `make test`). Screenshots
land in test-artifacts/ (gitignored) so a person can look at the pages."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from lianluo.demo.seed import DEMO_PASSWORD

# A loaded CI machine answers slower than a laptop: wait up to 10 s for what the page must show.
expect.set_options(timeout=10_000)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE_WIDTH = 390
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed (apt-get install chromium)"
    # From here on Playwright's sync API runs an event loop in the test thread, and Django
    # refuses ORM calls in such a thread unless told it is not really async. Set only while the
    # browser runs, so the rest of the suite (collected with this conftest) never sees it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Report every Content-Security-Policy violation to the test: the page's own event (with the
# directive and what was blocked) through a binding, which the policy cannot block.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} `
    + `at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    """Collect what the browser refuses under the CSP, from the event and from the console."""
    context.expose_binding("__cspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )


@pytest.fixture
def phone(browser: Browser) -> Iterator[Callable[[], Page]]:
    """phone() -> a page in a fresh browser context shaped like a phone (one person each).

    The test fails if the browser reports a Content-Security-Policy violation on any page it
    opened: something the policy blocks is something broken for the user (a script that does
    not run, a style that does not apply)."""
    contexts = []
    violations: list[str] = []

    def make() -> Page:
        context = browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": 844},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(15_000)
        watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not violations, "the browser blocked content under the CSP:\n" + "\n".join(violations)


@pytest.fixture
def site(live_server, settings, demo) -> dict:
    """The demo county served by the live server; QR codes point at it."""
    settings.SITE_URL = live_server.url
    settings.LIANLUO_OUTBOX_MODE = "sync"  # notifications exist when the response returns
    return {**demo, "url": live_server.url}


@pytest.fixture
def shot(request) -> Callable[[Page, str], Path]:
    """shot(page, "name") saves a full-page screenshot as test-artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = re.sub(r"[^\w-]+", "_", request.node.name)

    def take(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{prefix}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def unread(site) -> Callable[[str], int]:
    """unread("deputy") -> how many unread notifications that demo user has now."""
    from lianluo.core.models import Notification

    def count(username: str) -> int:
        return Notification.objects.filter(user__username=username, read_at__isnull=True).count()

    return count


@pytest.fixture
def login(site) -> Callable[[Page, str], None]:
    """login(page, "liaison") signs in through the staff sign-in page as a demo user."""

    def sign_in(page: Page, username: str) -> None:
        page.goto(f"{site['url']}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        expect(page.locator("header [data-testid=notifications-link]")).to_be_visible()

    return sign_in
