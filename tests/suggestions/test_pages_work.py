"""The pages where people act on suggestions: "My work" per role, the filing page (from cases
too), an item's page with one form per offered action, refusals at their field, and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lianluo.cases.models import Case
from lianluo.core.models import Department, Role, RoleAssignment, User
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.permissions import actions_for
from lianluo.suggestions.selectors import ref
from lianluo.suggestions.services import congresses_of, suggestion_new, suggestion_transition

pytestmark = pytest.mark.django_db

TODAY = "2026-06-10"


def client_for(user: User) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def congress_of(demo):
    seats = congresses_of(demo["deputy"])
    return next((c for c in seats if c == demo["county_congress"]), seats[0])


def make_item(demo, users, *steps, **fields) -> Suggestion:
    """A suggestion filed by the demo deputy, then walked through (actor, action, fields)."""
    item = suggestion_new(
        actor=users["deputy"],
        congress=congress_of(demo),
        deputy=demo["deputy"],
        title=fields.pop("title", "修缮城关小学围墙"),
        text="围墙倒塌，需要修缮。",
        **fields,
    )
    for actor, action, data in steps:
        item = suggestion_transition(actor=users[actor], suggestion=item, action=action, **data)
    return Suggestion.objects.get(pk=item.pk)  # without the steps' prefetched rows


def assigned(demo):
    code = demo["departments"][0].code
    return [("staff", "register", {}), ("staff", "assign", {"lead": code})]


def replied(demo):
    return assigned(demo) + [
        ("dept", "contact", {"method": "phone", "date": timezone.localdate()}),
        ("dept", "reply", {"code": "A", "text": "已修好围墙。"}),
    ]


def page(user: User, item: Suggestion):
    return client_for(user).get(f"/suggestions/{ref(item)}/")


# ---- the header and "My work" ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("login", "shown"),
    [("deputy", True), ("staff", True), ("leader", True), ("dept", True), ("liaison", False)],
)
def test_the_header_offers_suggestions_to_those_who_work_on_them(users, login, shown):
    html = client_for(users[login]).get("/suggestions/").content.decode()
    assert ('data-testid="suggestions-link"' in html) is shown


def test_a_deputy_sees_drafts_and_replies_to_rate(demo, users):
    # given a draft and a replied suggestion of the demo deputy
    draft = make_item(demo, users, title="草稿建议", file=False)
    answered = make_item(demo, users, *replied(demo))

    # when the deputy opens their work
    html = client_for(users["deputy"]).get("/suggestions/").content.decode()

    # then the reply waits for a rating and the draft is listed
    rate = html.split('data-testid="section-rate"')[1].split("</section>")[0]
    assert f'data-testid="row-{ref(answered)}"' in rate
    drafts = html.split('data-testid="section-drafts"')[1].split("</section>")[0]
    assert f'data-testid="row-d{draft.pk}"' in drafts
    assert 'data-testid="file-new"' in html


def test_a_department_sees_its_overdue_items_first_in_red_with_the_days(demo, users):
    # given two items assigned to the housing bureau, one assigned long ago
    with time_machine.travel(timezone.now() - timedelta(days=120), tick=False):
        late = make_item(demo, users, *assigned(demo), title="很久以前交办")
    fresh = make_item(demo, users, *assigned(demo), title="刚刚交办")
    days = (timezone.localdate() - late.deadline).days
    assert days > 0

    # when the department opens its work
    html = client_for(users["dept"]).get("/suggestions/").content.decode()

    # then the late one comes first, flagged with its days overdue, and counted above the list
    queue = html.split('data-testid="queue"')[1]
    assert queue.index(ref(late)) < queue.index(ref(fresh))
    assert f"Overdue by {days} days" in queue
    assert 'data-testid="queue-overdue"' in html


def test_staff_see_what_waits_for_registration(demo, users):
    item = make_item(demo, users)
    html = client_for(users["staff"]).get("/suggestions/").content.decode()
    section = html.split('data-testid="section-register"')[1].split("</section>")[0]
    assert f'data-testid="row-{ref(item)}"' in section


# ---- filing ----------------------------------------------------------------------------------


def test_a_deputy_files_a_suggestion_from_a_case(demo, users, make_case):
    # given a case the demo deputy handles
    case = make_case(("accept", {"triage": "general", "deputy": demo["deputy"]}))
    c = client_for(users["deputy"])

    # when the deputy opens the filing page from the case, then files it
    form = c.get(f"/suggestions/new/?cases={case.number}").content.decode()
    assert f'value="{case.number}"' in form and "checked" in form
    r = c.post(
        "/suggestions/new/",
        {
            "congress": congress_of(demo).area.code,
            "kind": "suggestion",
            "title": "修缮城关小学围墙",
            "text": "围墙倒塌，需要修缮。",
            "period": "recess",
            "cases": [case.number],
            "submit": "file",
        },
    )

    # then it is filed, numbered, and the case is converted into it
    assert r.status_code == 302, r.content.decode()
    item = Suggestion.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/suggestions/{item.number}/"
    assert item.status == "filed"
    assert Case.objects.get(pk=case.pk).status == "converted"
    assert case.number in page(users["deputy"], item).content.decode()


def test_a_deputy_saves_a_draft_and_a_half_filled_form_is_kept(demo, users):
    c = client_for(users["deputy"])
    congress = congress_of(demo).area.code
    # a form without its text is kept as filled
    r = c.post(
        "/suggestions/new/",
        {"congress": congress, "kind": "idea", "title": "半个标题", "period": "recess"},
    )
    assert r.status_code == 400
    assert "半个标题" in r.content.decode()
    assert not Suggestion.objects.exists()
    # saved as a draft, it has no number yet
    r = c.post(
        "/suggestions/new/",
        {
            "congress": congress,
            "kind": "idea",
            "title": "草稿",
            "text": "内容",
            "period": "recess",
            "submit": "draft",
        },
    )
    item = Suggestion.objects.get()
    assert (item.status, item.number, item.kind) == ("draft", None, "idea")
    assert r["Location"] == f"/suggestions/d{item.pk}/"


def test_the_filing_page_is_the_deputies(users):
    assert client_for(users["dept"]).get("/suggestions/new/").status_code == 403


def test_the_case_page_leads_a_deputy_to_the_filing_page(demo, users, make_case):
    case = make_case(("accept", {"triage": "general", "deputy": demo["deputy"]}))
    html = client_for(users["deputy"]).get(f"/ledger/{case.number}/").content.decode()
    assert f"/suggestions/new/?cases={case.number}" in html


# ---- the item's page and its actions -----------------------------------------------------------


def _states(demo):
    return {
        "filed": [],
        "assigned": assigned(demo),
        "replied": replied(demo),
        "dissatisfied": replied(demo) + [("deputy", "rate", {"rating": "dissatisfied"})],
    }


@pytest.mark.parametrize(
    ("state", "login"),
    [
        ("filed", "staff"),
        ("filed", "deputy"),
        ("assigned", "staff"),
        ("assigned", "dept"),
        ("replied", "deputy"),
        ("replied", "dept"),
        ("dissatisfied", "staff"),
    ],
)
def test_each_offered_action_has_its_form_and_nothing_else(demo, users, state, login):
    item = make_item(demo, users, *_states(demo)[state])
    offered = actions_for(users[login], item)
    html = page(users[login], item).content.decode()
    assert bool(offered) is ('data-testid="nothing-to-do"' not in html)
    for action in offered:
        assert f'data-action="{action}"' in html
        assert f'action="/suggestions/{ref(item)}/do/{action}/"' in html
    assert html.count('class="action"') == len(offered)


def test_staff_register_and_the_page_says_so(demo, users):
    item = make_item(demo, users)
    r = client_for(users["staff"]).post(f"/suggestions/{item.number}/do/register/", follow=True)
    assert r.status_code == 200
    assert Suggestion.objects.get(pk=item.pk).status == "registered"
    assert "Done: Register as a suggestion." in r.content.decode()


def test_a_date_in_the_future_is_refused_at_its_field_and_the_form_kept(demo, users):
    item = make_item(demo, users, *assigned(demo))
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    r = client_for(users["dept"]).post(
        f"/suggestions/{item.number}/do/contact/",
        {"contact-method": "phone", "contact-date": future, "contact-note": "约了下周"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    field = html.split('data-field="date"')[1].split("</div>")[0]
    assert "This date is in the future." in field
    assert "约了下周" in html
    assert not item.assignments.get().contacts.exists()


def test_a_reply_before_contact_is_refused_with_the_reason(demo, users):
    item = make_item(demo, users, *assigned(demo))
    r = client_for(users["dept"]).post(
        f"/suggestions/{item.number}/do/reply/",
        {"reply-code": "A", "reply-text": "已经解决", "reply-public": "on"},
    )
    assert r.status_code == 400
    assert "Record your contact with the deputy" in r.content.decode()
    assert Suggestion.objects.get(pk=item.pk).status == "assigned"


def test_a_reply_with_its_letter_and_the_deputys_rating(demo, users, private_storage):
    item = make_item(demo, users, *assigned(demo))
    dept = client_for(users["dept"])
    dept.post(
        f"/suggestions/{item.number}/do/contact/",
        {"contact-method": "face", "contact-date": timezone.localdate().isoformat()},
    )
    letter = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = dept.post(
        f"/suggestions/{item.number}/do/reply/",
        {"reply-code": "B", "reply-text": "列入明年计划", "reply-letter": letter},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    reply = item.replies.get()
    assert (reply.code, reply.public_text) == ("B", "")  # "publish" was not ticked
    got = dept.get(f"/suggestions/{item.number}/letters/{reply.pk}/")
    assert b"".join(got.streaming_content).startswith(b"%PDF-")

    r = client_for(users["deputy"]).post(
        f"/suggestions/{item.number}/do/rate/",
        {"rate-rating": "basically_satisfied", "rate-comment": "希望尽快"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.last_rating) == ("rated", "basically_satisfied")


def test_a_letter_that_is_not_a_pdf_is_refused_at_its_field(demo, users):
    item = make_item(demo, users, *replied(demo)[:-1])
    fake = SimpleUploadedFile("reply.pdf", b"not a pdf")
    r = client_for(users["dept"]).post(
        f"/suggestions/{item.number}/do/reply/",
        {"reply-code": "A", "reply-text": "已解决", "reply-letter": fake},
    )
    field = r.content.decode().split('data-field="letter"')[1].split("</div>")[0]
    assert "must be a PDF" in field


def test_another_department_gets_404(demo, users):
    item = make_item(demo, users, *assigned(demo))
    other = User.objects.create(username="transport", display_name="交通局承办员")
    RoleAssignment.objects.create(
        user=other,
        role=Role.DEPARTMENT,
        department=Department.objects.exclude(pk=demo["departments"][0].pk).first(),
    )
    c = client_for(other)
    assert c.get(f"/suggestions/{item.number}/").status_code == 404
    r = c.post(
        f"/suggestions/{item.number}/do/contact/",
        {"contact-method": "phone", "contact-date": timezone.localdate().isoformat()},
    )
    assert r.status_code == 404
    assert not item.assignments.get().contacts.exists()


def test_a_draft_is_not_for_departments_and_leaders(demo, users):
    draft = make_item(demo, users, file=False)
    assert page(users["deputy"], draft).status_code == 200
    assert page(users["dept"], draft).status_code == 404
    assert page(users["leader"], draft).status_code == 404
