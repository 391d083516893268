"""How long a citizen's message may be: one limit (LIANLUO_TEXT_MAX_CHARS, 10,000 by default)
for the web form, the API and the reception form; shown while typing; a longer message is
refused with both numbers, in the citizen's language, and nothing of it is lost or cut."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from lianluo.cases.models import Case
from lianluo.cases.reception.forms import ReceptionCaseForm
from lianluo.core.text import text_max_chars

LONG = "路" * 50_000


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def textarea(html: str) -> str:
    match = re.search(r"<textarea[^>]*name=\"text\"[^>]*>", html)
    assert match, "no message textarea on the page"
    return match.group(0)


def textarea_value(html: str) -> str:
    match = re.search(r"<textarea[^>]*name=\"text\"[^>]*>\n?(.*?)</textarea>", html, re.S)
    assert match
    return match.group(1)


def test_the_limit_is_one_generous_setting():
    # then it is at least 10,000 characters by default (no variable set in the test run)
    assert settings.LIANLUO_TEXT_MAX_CHARS == 10_000


def test_the_page_shows_the_limit_and_never_cuts_what_is_pasted(demo):
    # when a citizen opens a station's page
    page = Client().get("/s/cg-hub/")
    html = page.content.decode()

    # then the message box has no maxlength (a browser would silently cut a paste to it)
    box = textarea(html)
    assert "maxlength" not in box
    # and it says the limit, which the counter script (a static file, no inline script) counts
    assert 'data-max-chars="10000"' in box
    assert 'aria-describedby="text-hint text-counter"' in box
    assert "最多 10000 字。" in html
    assert 'data-counting="已输入 {count} / {limit} 字"' in html
    assert re.search(r'<script src="/static/lianluo/counter\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert 'aria-live="polite"' in html


def test_the_form_refuses_a_long_message_with_the_numbers_and_keeps_all_of_it(demo):
    # given a citizen who pasted a 50,000-character message
    client = Client()
    key = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]

    # when they send it
    page = client.post("/s/cg-hub/", {"text": LONG, "title": "路灯", "idempotency_key": key})

    # then the field says, in Chinese, how long it may be and how long it is
    assert page.status_code == 400
    html = page.content.decode()
    assert (
        '<p class="error field-error" data-testid="error-text">'
        "留言最多 10000 字，现在是 50000 字，请删减后再提交。</p>"
    ) in html
    # and the box holds every character they typed, and the title too
    assert textarea_value(html) == LONG
    assert page.context["form"]["title"].value() == "路灯"
    # and nothing was recorded
    assert not Case.objects.exists()


def test_the_form_takes_a_message_of_exactly_the_limit_counting_line_ends_once(demo):
    # given a message at the limit with line breaks, as a browser sends them (CRLF)
    lines = ["路" * 99] * 100
    text = "\r\n".join(lines)
    assert len(text.replace("\r\n", "\n")) == 9_999

    # when it is sent from the page
    client = Client()
    key = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    response = client.post("/s/cg-hub/", {"text": text + "路", "idempotency_key": key})

    # then it is recorded whole, each line end counted as one character (as the counter does)
    assert response.status_code == 302
    assert Case.objects.get().text == "\n".join(lines) + "路"


def test_the_api_refuses_a_long_message_with_a_stable_code_and_the_numbers(api):
    # when an app sends a 50,000-character message
    response = api().post("/api/v1/public/cases", {"station": "cg-hub", "text": LONG})

    # then it is refused with its own code, naming the field, in Chinese with both numbers
    assert response.status_code == 422
    assert response.json() == {
        "code": "text_too_long",
        "message": "留言最多 10000 字，现在是 50000 字，请删减后再提交。",
        "field": "text",
    }
    assert not Case.objects.exists()


def test_the_api_refusal_speaks_english_to_an_english_phone(api):
    # when an English phone sends a message one character too long
    response = api(language="en").post(
        "/api/v1/public/cases", {"station": "cg-hub", "text": "a" * 10_001}
    )

    # then the refusal reads English, with both numbers
    assert response.status_code == 422
    assert response.json()["message"] == (
        "A message can have at most 10000 characters; this one has 10001. "
        "Please shorten it and send it again."
    )


def test_the_api_takes_a_message_of_exactly_the_limit(api):
    # when a message is exactly 10,000 characters long
    response = api().post("/api/v1/public/cases", {"station": "cg-hub", "text": "路" * 10_000})

    # then it is recorded whole
    assert response.status_code == 201, response.content
    assert len(Case.objects.get().text) == 10_000


def test_one_setting_moves_the_limit_everywhere(api, settings):
    # given a deployment that sets a different limit
    settings.LIANLUO_TEXT_MAX_CHARS = 20_000

    # when a message of 15,000 characters comes through the API and the web form
    by_api = api().post("/api/v1/public/cases", {"station": "cg-hub", "text": "路" * 15_000})
    client = Client()
    page = client.get("/s/cg-hub/")
    key = page.context["form"].initial["idempotency_key"]
    by_form = client.post("/s/cg-hub/", {"text": "灯" * 15_000, "idempotency_key": key})

    # then both take it, and the page's counter counts to the new limit
    assert by_api.status_code == 201
    assert by_form.status_code == 302
    assert 'data-max-chars="20000"' in textarea(page.content.decode())
    # and the reception form (staff) has the same limit, without a truncating maxlength
    reception = ReceptionCaseForm(data={"text": "路" * 20_001})
    assert not reception.is_valid()
    assert reception.errors.as_data()["text"][0].code == "text_too_long"
    assert "maxlength" not in str(ReceptionCaseForm()["text"])
    assert ReceptionCaseForm(data={"text": "路" * 20_000}).is_valid()


def test_staff_answers_and_activity_summaries_are_never_cut_by_the_browser(demo, users, make_case):
    # given the answer form of a case and the record form of an activity
    from lianluo.activities.forms import RecordForm
    from lianluo.cases.forms import TextForm

    case = make_case(("accept", {"triage": "general"}))
    answer = TextForm(case=case)
    record = RecordForm(station=demo["cg_hub"], deputies=[])
    # then neither textarea carries a maxlength (a browser silently cuts a paste to it) …
    assert "maxlength" not in str(answer["text"])
    assert "maxlength" not in str(record["summary"])
    # … and a text over the one limit is refused with both numbers, not cut
    long = "长" * (text_max_chars() + 1)
    bound = TextForm({"text": long}, case=case)
    assert not bound.is_valid()
    assert bound.errors["text"][0].startswith("留言最多")
