"""The citizen follows their case by its tracking code and rates the answer: once, only after an
answer, within LIANLUO_RATING_DAYS of it; a dissatisfied rating reopens the case once; a rating
staff typed in at a follow-up is marked as theirs (issue 12, "The citizen")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lianluo.cases.models import Case
from lianluo.cases.services.rating import case_citizen_rate
from lianluo.cases.tracking import case_tracking
from lianluo.core.errors import Conflict, DomainError
from lianluo.core.models import AuditLog, Department
from tests.factories.cases import case_walk

ANSWER = "已协调供电所更换灯具，路灯恢复照明。"
ACCEPT = ("accept", {"triage": "general"})
ANSWERED = (ACCEPT, ("answer", {"text": ANSWER}))


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def rate(case: Case, rating: str = "satisfied", **kwargs) -> Case:
    return case_citizen_rate(case=case, rating=rating, **kwargs)


def refused(case: Case, code: str, rating: str = "satisfied") -> None:
    """The citizen's rating is refused with `code`, and the case is as it was."""
    before = Case.objects.values().get(pk=case.pk)
    with pytest.raises(DomainError) as caught:
        rate(case, rating)
    assert caught.value.code == code
    assert Case.objects.values().get(pk=case.pk) == before


def test_the_citizen_rates_the_answer_and_it_is_marked_theirs(make_case):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When its citizen rates it, says the problem is solved and adds a comment
    case = rate(case, "satisfied", solved=True, comment="  路灯亮了，谢谢！ ")

    # Then the case is rated by the citizen, with what they said
    case.refresh_from_db()
    assert (case.status, case.rating, case.rated_by) == ("rated", "satisfied", "citizen")
    assert (case.rating_solved, case.rating_comment) == (True, "路灯亮了，谢谢！")
    # And the step is in the history, taken by nobody signed in, marked as the citizen's
    event = case.events.get(action="rate")
    assert event.actor is None
    assert event.data == {
        "rating": "satisfied",
        "by": "citizen",
        "solved": True,
        "comment": "路灯亮了，谢谢！",
    }
    # And it is audited
    audit = AuditLog.objects.get(verb="citizen_rating", target_id=str(case.pk))
    assert audit.actor is None and audit.data["rating"] == "satisfied"


def test_the_citizen_rates_once(make_case):
    # Given a case its citizen has rated
    case = rate(make_case(*ANSWERED), "basically_satisfied")

    # Then a second rating is refused and the first stands
    refused(case, "already_rated", rating="satisfied")
    assert Case.objects.get(pk=case.pk).rating == "basically_satisfied"


def test_a_dissatisfied_rating_reopens_the_case_once(make_case, users):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When its citizen is dissatisfied
    case = rate(case, "dissatisfied", solved=False, comment="路灯还是不亮")

    # Then the case is handled again, by itself
    case.refresh_from_db()
    assert (case.status, case.reopened_count) == ("reopened", 1)
    assert [e.action for e in case.events.all()][-2:] == ["rate", "reopen"]
    # And once answered again, the citizen may not rate a second time
    case = case_walk(case, ("answer", {"text": "已再次维修。"}), actor=users["staff"])
    refused(case, "already_rated")
    # And staff record the follow-up's rating: a second dissatisfied one does not reopen it
    case = case_walk(
        case,
        ("follow_up", {"method": "phone"}),
        ("rate", {"rating": "dissatisfied"}),
        actor=users["staff"],
    )
    assert (case.status, case.reopened_count, case.rated_by) == ("rated", 1, "staff")


@pytest.mark.parametrize("status", ["submitted", "accepted", "assigned"])
def test_nothing_is_rated_before_an_answer(make_case, status):
    # Given a case not answered yet
    assign = ("assign", {"department": Department.objects.get(code="qx-housing")})
    steps = {"submitted": (), "accepted": (ACCEPT,), "assigned": (ACCEPT, assign)}[status]
    case = make_case(*steps)
    assert case.status == status

    # Then the citizen's rating is refused, and the page offers no form
    refused(case, "not_answered")
    assert case_tracking(case=case).can_rate is False


@pytest.mark.parametrize(
    ("days", "after", "allowed"),
    [(30, timedelta(days=29, hours=23), True), (30, timedelta(days=30, hours=1), False)]
    + [(7, timedelta(days=6), True), (7, timedelta(days=8), False)],
)
def test_the_rating_is_open_for_the_configured_days_after_the_answer(
    make_case, settings, days, after, allowed
):
    # Given a case answered now, and a rating window of `days`
    settings.LIANLUO_RATING_DAYS = days
    case = make_case(*ANSWERED)
    answered = case.answered_at

    # When the citizen comes back `after` the answer
    with time_machine.travel(answered + after, tick=False):
        tracking = case_tracking(case=case)
        assert tracking.rate_until == answered + timedelta(days=days)
        assert tracking.can_rate is allowed
        if allowed:
            # Then within the window the rating is taken
            assert rate(case).rating == "satisfied"
        else:
            # Then after it, it is refused
            refused(case, "rating_closed")


def test_a_rating_recorded_by_staff_is_marked_and_shown_as_such(make_case, users):
    # Given the officer called the citizen and typed in the rating
    case = make_case(
        *ANSWERED, ("follow_up", {"method": "phone"}), ("rate", {"rating": "basically_satisfied"})
    )

    # Then the rating is marked as recorded by staff, in the case and its history
    assert case.rated_by == "staff"
    assert case.events.get(action="rate").data == {"rating": "basically_satisfied", "by": "staff"}
    # And the citizen may not rate it again
    refused(case, "already_rated")
    # And the tracking page says who recorded it
    html = Client().get(f"/t/{case.tracking_code}/").content.decode()
    assert "由工作人员回访记录" in html
    assert 'data-testid="rate-submit"' not in html
    # And so does the staff case page
    staff = Client()
    staff.force_login(users["staff"])
    detail = staff.get(f"/ledger/{case.number}/").content.decode()
    assert 'data-testid="rated-by-staff"' in detail and "由工作人员回访记录" in detail


def test_a_closed_case_without_a_rating_is_no_longer_rated(make_case):
    # Given a case followed up and closed out without a rating
    case = make_case(*ANSWERED, ("follow_up", {"method": "visit"}), "close")

    # Then the citizen's rating is refused as closed
    refused(case, "rating_closed")


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"rating": "great"}, "rating"), ({"rating": "", "comment": "x"}, "rating")]
    + [({"rating": "satisfied", "comment": "很" * 1001}, "comment")],
)
def test_a_bad_rating_is_refused_at_its_field(make_case, fields, field):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When the rating or the comment is not acceptable
    with pytest.raises(DomainError) as caught:
        case_citizen_rate(case=case, **fields)

    # Then it is refused at that field (422), and nothing changed
    assert (caught.value.status, caught.value.field) == (422, field)
    assert not isinstance(caught.value, Conflict)
    case.refresh_from_db()
    assert (case.status, case.rating) == ("answered", "")


# ---- the tracking page ------------------------------------------------------------------------


def test_the_tracking_page_shows_the_message_deadline_and_answer(make_case):
    # Given an answered general case with a photo-less message, a name and a phone number
    case = make_case(*ANSWERED, text="村口路灯坏了，晚上很黑。")

    # When the citizen opens the tracking page
    page = Client().get(f"/t/{case.tracking_code}/")

    # Then it shows their message, the ledger number, the promise and the answer
    html = page.content.decode()
    assert page.status_code == 200
    assert "村口路灯坏了，晚上很黑。" in html
    assert case.number in html
    assert "一般问题，30日内答复" in html
    assert f"答复期限：{timezone.localdate(case.deadline):%Y-%m-%d}" in html
    assert ANSWER in html
    # And the rating form; never the name or the phone number
    assert 'data-testid="rate-submit"' in html
    assert "张三" not in html and "13812345678" not in html


def test_the_citizen_rates_on_the_tracking_page(make_case):
    # Given an answered case
    case = make_case(*ANSWERED)
    client = Client()
    url = f"/t/{case.tracking_code}/"

    # When its citizen sends the form: satisfied, solved, a comment
    response = client.post(url, {"rating": "satisfied", "solved": "yes", "comment": "很及时"})

    # Then they land on the page again, thanked, with their rating and no form
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "感谢您的评价！" in html
    assert 'data-testid="rating-label">满意<' in html
    assert "问题已解决" in html and "很及时" in html
    assert 'data-testid="rate-submit"' not in html
    case.refresh_from_db()
    assert (case.rating, case.rated_by, case.rating_solved) == ("satisfied", "citizen", True)


def test_a_rating_sent_twice_from_the_page_is_refused(make_case):
    # Given a case its citizen has just rated
    case = make_case(*ANSWERED)
    url = f"/t/{case.tracking_code}/"
    Client().post(url, {"rating": "satisfied", "solved": "yes"})

    # When the same form is sent again (another tab)
    response = Client().post(url, {"rating": "dissatisfied", "solved": "no"})

    # Then it is refused (409) with the reason, and the first rating stands
    assert response.status_code == 409
    assert "该答复已评价过。" in response.content.decode()
    case.refresh_from_db()
    assert (case.rating, case.status) == ("satisfied", "rated")


def test_the_page_form_without_a_rating_keeps_the_page(make_case):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When the form is sent without choosing a rating
    response = Client().post(f"/t/{case.tracking_code}/", {"solved": "yes", "comment": "好"})

    # Then the page comes back with the error at the rating and the comment kept
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="rating"' in html and "has-error" in html
    assert "好</textarea>" in html
    assert Case.objects.get(pk=case.pk).rating == ""


def test_ratings_from_one_device_are_throttled(make_case, settings):
    # Given a rate of one rating attempt a minute
    settings.LIANLUO_INTAKE_RATE = "1/m"
    first, second = make_case(*ANSWERED), make_case(*ANSWERED)
    client = Client()
    client.post(f"/t/{first.tracking_code}/", {"rating": "satisfied"})

    # When the same device rates another case at once
    response = client.post(f"/t/{second.tracking_code}/", {"rating": "satisfied"})

    # Then it is told to wait, and nothing is recorded
    assert response.status_code == 429
    assert Case.objects.get(pk=second.pk).rating == ""
