"""Under the Content-Security-Policy: the browser check catches what the policy blocks, and the
pages that most need scripts — the API docs, the admin, the reception-rule form — still work.
(Every other browser test fails on a violation too: see `phone` in conftest.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_check_catches_an_inline_script_the_policy_blocks(site, browser):
    # given a page of the product watched for violations
    context = browser.new_context()
    violations: list[str] = []
    watch_csp(context, violations)
    page = context.new_page()
    page.goto(f"{site['url']}/")

    # when something (an injection, a careless template) adds an inline script and style
    ran = page.evaluate(
        """() => {
            window.ran = false;
            const s = document.createElement("script");
            s.textContent = "window.ran = true";
            document.body.appendChild(s);
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
            return window.ran;
        }"""
    )

    # then the browser refuses both, and the check sees it
    assert ran is False
    page.wait_for_timeout(200)  # the violation events and console messages arrive after
    context.close()
    assert any("script-src" in v for v in violations), violations
    assert any("style-src" in v for v in violations), violations


def test_the_api_docs_work_without_a_cdn_under_the_policy(site, phone):
    # when a developer opens the API docs
    page = phone()
    page.goto(f"{site['url']}/api/v1/docs")

    # then Swagger UI draws the API from our own files (violations fail the test in teardown)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lianluo API")
    expect(page.locator(".opblock-tag").first).to_be_visible()


def test_the_admin_works_under_the_policy(site, phone, login):
    # given the superuser signed in
    page = phone()
    login(page, "admin")

    # when they open the admin, a list and an add form
    page.goto(f"{site['url']}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{site['url']}/admin/core/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"{site['url']}/admin/core/area/add/")
    expect(page.locator("form#area_form")).to_be_visible()


def test_the_rule_form_shows_only_the_fields_of_the_chosen_kind(site, phone, login):
    # given the liaison officer on the form for a new reception rule
    page = phone()
    login(page, "liaison")
    page.goto(f"{site['url']}/stations/{site['cg_hub'].code}/reception/rules/new/")
    month_days = page.locator("[data-field=month_days]")
    weekdays = page.locator("[data-field=weekdays]")

    # when they choose "weekdays", then only the weekday boxes show (static/lianluo/rule.js)
    page.select_option("#id_kind", "weekdays")
    expect(weekdays).to_be_visible()
    expect(month_days).to_be_hidden()

    # and back to days of the month
    page.select_option("#id_kind", "month_days")
    expect(month_days).to_be_visible()
    expect(weekdays).to_be_hidden()
