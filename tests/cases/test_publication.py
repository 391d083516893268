"""Nothing a citizen wrote is published without review: a closed, consented case shows only its
category and outcome on the station page until staff approve a public summary without names or
phone numbers (cases.services.publication; issue 12)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lianluo.cases.models import Case
from lianluo.cases.services.publication import case_summary_approve, case_summary_draft
from lianluo.core.errors import DomainError
from lianluo.core.models import AuditLog

TEXT = "我是王建国，幸福里小区东门路灯坏了两个月，电话13812345678。"
ANSWER = "已协调供电所更换灯具，路灯恢复照明。"
CLOSE = (
    ("accept", {"triage": "general"}),
    ("answer", {"text": ANSWER}),
    ("follow_up", {"method": "phone"}),
    ("rate", {"rating": "satisfied"}),
    "close",
)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def closed(make_case):
    """A closed-out case whose citizen, 王建国, agreed to publication."""

    def make(consent: bool = True, steps=CLOSE, **fields) -> Case:
        return make_case(
            *steps,
            text=TEXT,
            title=fields.pop("title", "幸福里东门路灯 王建国 13812345678"),
            name="王建国",
            consent_publish=consent,
            **fields,
        )

    return make


def published(case: Case) -> str:
    html = Client().get(f"/s/{case.station.code}/").content.decode()
    match = re.search(r'data-testid="published-cases"[^>]*>(.*?)</section>', html, re.S)
    assert match
    return match.group(1)


def test_a_case_is_published_in_full_only_after_its_summary_is_approved(closed, users):
    # Given a closed, consented case
    case = closed()

    # Then before review the station page shows only its outcome, nothing the citizen wrote
    block = published(case)
    assert "已办结 · 满意" in block
    assert "幸福里" not in block and ANSWER not in block

    # When staff approve a summary
    case_summary_approve(case=case, actor=users["staff"], summary="幸福里小区东门路灯损坏")

    # Then the page shows the summary and the answer, still no name or phone
    block = published(case)
    assert "幸福里小区东门路灯损坏" in block and ANSWER in block
    assert "王建国" not in block and "5678" not in block
    # And the approval is recorded and audited
    case.refresh_from_db()
    assert case.summary_approved_by == users["staff"] and case.summary_approved_at
    audit = AuditLog.objects.get(verb="summary_approve", target_id=str(case.pk))
    assert audit.actor == users["staff"] and audit.data["summary"] == "幸福里小区东门路灯损坏"


@pytest.mark.parametrize(
    "summary",
    [
        "王建国反映路灯损坏",
        "路灯损坏，联系13812345678",
        "路灯损坏，联系 138 1234 5678",
        "路灯损坏，联系138-1234-5678",
        "路灯损坏，座机0571-88886666",
    ],
)
def test_a_summary_with_the_name_or_a_phone_number_is_refused(closed, users, summary):
    # Given a closed, consented case
    case = closed()

    # When staff try to approve a summary holding the citizen's name or a phone number
    with pytest.raises(DomainError) as caught:
        case_summary_approve(case=case, actor=users["staff"], summary=summary)

    # Then it is refused at the summary (422), and nothing is published
    assert (caught.value.status, caught.value.code, caught.value.field) == (
        422,
        "personal_data",
        "summary",
    )
    case.refresh_from_db()
    assert (case.public_summary, case.summary_approved_at) == ("", None)
    assert "路灯损坏" not in published(case)


def test_an_empty_summary_is_refused(closed, users):
    case = closed()
    with pytest.raises(DomainError) as caught:
        case_summary_approve(case=case, actor=users["staff"], summary="   ")
    assert (caught.value.code, caught.value.field) == ("missing_field", "summary")


@pytest.mark.parametrize("which", ["no consent", "not closed"])
def test_only_closed_consented_cases_are_published(closed, make_case, users, which):
    # Given a closed case without consent, or a consented one still open
    if which == "no consent":
        case = closed(consent=False)
    else:
        case = make_case(("accept", {"triage": "general"}), consent_publish=True, text="仍在办理")

    # When staff try to approve a summary
    with pytest.raises(DomainError) as caught:
        case_summary_approve(case=case, actor=users["staff"], summary="路灯损坏")

    # Then it is refused (409), and the station page never lists it
    assert (caught.value.status, caught.value.code) == (409, "not_publishable")
    assert Case.objects.get(pk=case.pk).summary_approved_at is None
    assert 'data-testid="published-case"' not in published(case)


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("staff", True), ("liaison", True), ("deputy", False), ("dept", False)],
)
def test_who_may_approve_a_summary(closed, users, username, allowed):
    # Given a closed, consented case
    case = closed()

    # When a user tries to approve its summary
    if allowed:
        case_summary_approve(case=case, actor=users[username], summary="路灯损坏")
    else:
        with pytest.raises(DomainError) as caught:
            case_summary_approve(case=case, actor=users[username], summary="路灯损坏")
        assert caught.value.status == 403

    # Then only those who may close out the case did
    assert (Case.objects.get(pk=case.pk).public_summary == "路灯损坏") is allowed


def test_the_draft_leaves_out_the_name_and_numbers(closed):
    # Given a title holding the citizen's name and phone number
    case = closed()

    # Then the draft the staff start from has neither
    draft = case_summary_draft(case)
    assert "王建国" not in draft and "13812345678" not in draft
    assert draft.startswith("幸福里东门路灯")


def test_staff_approve_the_summary_on_the_case_page(closed, users):
    # Given a closed, consented case and a staff member on its page
    case = closed()
    staff = Client()
    staff.force_login(users["staff"])
    url = f"/ledger/{case.number}/"

    # Then the page has the summary form, prefilled without the name or the number
    html = staff.get(url).content.decode()
    form = re.search(r'data-testid="public-summary".*?</section>', html, re.S).group(0)
    assert "幸福里东门路灯" in form and "王建国" not in form and "13812345678" not in form

    # When they send a summary with a phone number, it comes back refused with the reason
    refused = staff.post(f"{url}summary/", {"summary": "路灯坏了，联系13812345678"})
    assert refused.status_code == 422
    assert "摘要中含有电话号码" in refused.content.decode()

    # When they send an acceptable one, it is approved and shown
    done = staff.post(f"{url}summary/", {"summary": "幸福里东门路灯损坏"})
    assert done.status_code == 302
    assert 'data-testid="summary-approved"' in staff.get(url).content.decode()
    assert "幸福里东门路灯损坏" in published(case)


def test_the_summary_form_is_only_for_closed_consented_cases(closed, users):
    # Given a closed case without consent
    case = closed(consent=False)
    staff = Client()
    staff.force_login(users["staff"])

    # Then its page has no summary form
    assert (
        'data-testid="public-summary"' not in staff.get(f"/ledger/{case.number}/").content.decode()
    )
