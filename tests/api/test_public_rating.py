"""The citizen's case through the public API: `GET /api/v1/public/cases/{tracking_code}` shows
their message, the deadline, the answer and the rating; `POST …/rating` records their rating
once, after an answer, within LIANLUO_RATING_DAYS (issue 12)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lianluo.cases.models import Case

ANSWER = "已协调供电所更换灯具，路灯恢复照明。"
ANSWERED = (("accept", {"triage": "general"}), ("answer", {"text": ANSWER}))


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def rate(api, case: Case, **body):
    return api().post(f"/api/v1/public/cases/{case.tracking_code}/rating", body)


def test_tracking_shows_the_message_deadline_and_answer(api, make_case):
    # Given an answered general case
    case = make_case(*ANSWERED, text="村口路灯坏了，晚上很黑。")

    # When its citizen tracks it
    body = api().get(f"/api/v1/public/cases/{case.tracking_code}").json()

    # Then they read their message, the promise, the answer, and that they may rate it
    assert body["number"] == case.number
    assert body["text"] == "村口路灯坏了，晚上很黑。"
    assert (body["triage"], body["deadline_text"]) == ("general", "一般问题，30日内答复")
    assert body["deadline"] and body["answer"] == ANSWER
    assert body["can_rate"] is True and body["rate_until"]
    assert (body["rating"], body["rating_by"], body["solved"]) == ("", "", None)
    # And nothing personal
    assert "13812345678" not in json.dumps(body) and "张三" not in json.dumps(body)


def test_the_citizen_rates_the_answer(api, make_case):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When its citizen rates it through the API
    response = rate(api, case, rating="satisfied", solved=True, comment="修得很快")

    # Then the answer is the case as tracked, rated by the citizen, no longer rateable
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["rating"], body["rating_by"]) == ("rated", "satisfied", "citizen")
    assert (body["solved"], body["rating_comment"], body["can_rate"]) == (True, "修得很快", False)
    assert body["rating_label"] == "满意"
    case.refresh_from_db()
    assert (case.rating, case.rated_by, case.rating_solved) == ("satisfied", "citizen", True)


def test_the_citizen_rates_once(api, make_case):
    # Given a case its citizen has rated
    case = make_case(*ANSWERED)
    rate(api, case, rating="basically_satisfied")

    # When they rate again
    response = rate(api, case, rating="dissatisfied")

    # Then it is refused (409 already_rated) and the first rating stands
    assert response.status_code == 409
    assert response.json()["code"] == "already_rated"
    assert Case.objects.get(pk=case.pk).rating == "basically_satisfied"


def test_a_rating_recorded_by_staff_is_marked_and_closes_the_citizens(api, make_case):
    # Given staff recorded the rating at a phone follow-up
    case = make_case(
        *ANSWERED, ("follow_up", {"method": "phone"}), ("rate", {"rating": "satisfied"})
    )

    # Then tracking says staff recorded it, and the citizen's rating is refused
    body = api().get(f"/api/v1/public/cases/{case.tracking_code}").json()
    assert (body["rating"], body["rating_by"], body["can_rate"]) == ("satisfied", "staff", False)
    response = rate(api, case, rating="dissatisfied")
    assert (response.status_code, response.json()["code"]) == (409, "already_rated")


def test_a_dissatisfied_rating_reopens_the_case(api, make_case):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When the citizen is dissatisfied
    body = rate(api, case, rating="dissatisfied", solved=False).json()

    # Then the case is handled again, and the timeline says so
    assert body["status"] == "reopened"
    assert [e["status"] for e in body["events"]][-2:] == ["rated", "reopened"]
    assert Case.objects.get(pk=case.pk).reopened_count == 1


def test_nothing_is_rated_before_an_answer(api, make_case):
    # Given an accepted case
    case = make_case(("accept", {"triage": "general"}))

    # Then a rating is refused (409 not_answered)
    response = rate(api, case, rating="satisfied")
    assert (response.status_code, response.json()["code"]) == (409, "not_answered")
    assert Case.objects.get(pk=case.pk).rating == ""


def test_the_rating_closes_after_the_configured_days(api, make_case, settings):
    # Given a rating window of 10 days and a case answered now
    settings.LIANLUO_RATING_DAYS = 10
    case = make_case(*ANSWERED)

    # When the citizen comes back 11 days later
    with time_machine.travel(case.answered_at + timedelta(days=11), tick=False):
        tracked = api().get(f"/api/v1/public/cases/{case.tracking_code}").json()
        response = rate(api, case, rating="satisfied")

    # Then the page no longer offers it and the rating is refused (409 rating_closed)
    assert tracked["can_rate"] is False
    assert (response.status_code, response.json()["code"]) == (409, "rating_closed")
    assert Case.objects.get(pk=case.pk).rating == ""


@pytest.mark.parametrize("rating", ["great", ""])
def test_a_bad_rating_value_is_refused_at_its_field(api, make_case, rating):
    # Given an answered case
    case = make_case(*ANSWERED)

    # When the rating is not one of the three
    response = rate(api, case, rating=rating)

    # Then it is refused at the field (422)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_value", "rating")
    assert Case.objects.get(pk=case.pk).rating == ""


def test_an_unknown_tracking_code_is_not_found(api, demo):
    response = api().post(
        "/api/v1/public/cases/AAAA-BBBB-CCCC-DDDD/rating", {"rating": "satisfied"}
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_ratings_are_throttled_per_client(api, make_case, settings):
    # Given a rate of one rating a minute per client
    settings.LIANLUO_INTAKE_RATE = "1/m"
    first, second = make_case(*ANSWERED), make_case(*ANSWERED)
    # (both within one minute of the throttle's, whatever the clock: frozen between them)
    with time_machine.travel(timezone.now(), tick=False):
        assert rate(api, first, rating="satisfied").status_code == 200

        # When the same client rates another case at once
        response = rate(api, second, rating="satisfied")

    # Then it is told to wait, and nothing is recorded
    assert response.status_code == 429
    assert Case.objects.get(pk=second.pk).rating == ""
