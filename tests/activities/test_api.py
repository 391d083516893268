"""API v1 for deputies' phones: the scoped activity list with the deputy's own state, sign-up
(201, then 200 on retry; 409 `full`), check-in with the scanned token (422 `expired`,
`invalid_token`, `wrong_activity`), all in the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lianluo.activities.models import Signup
from lianluo.activities.services import (
    checkin_token_issue,
    signup_create,
)
from lianluo.deputies.models import Deputy
from lianluo.stations.models import StationMembership
from tests.factories.activities import deputy_user


def test_a_deputy_lists_the_published_activities_of_their_stations_with_their_own_state(
    api, users, make_activity
):
    # given at the deputy's station a published activity they signed up for, one open, a
    # draft; and an activity of another township
    mine = make_activity(capacity=4, title="我报名的")
    signup_create(actor=users["deputy"], activity=mine)
    open_one = make_activity(title="可报名的")
    make_activity(publish=False, title="草稿")
    make_activity(station="hk-hub", actor="other", title="河口的")

    # when the deputy's phone asks for activities
    response = api("deputy").get("/api/v1/activities")

    # then it lists the two published ones of their station, with places and their state
    assert response.status_code == 200
    items = {a["title"]: a for a in response.json()}
    assert set(items) == {"我报名的", "可报名的"}
    assert items["我报名的"]["signed_up"] is True
    assert items["我报名的"]["checked_in"] is False
    assert items["我报名的"]["seats_left"] == 3
    assert items["我报名的"]["signups"] == 1
    assert items["可报名的"]["signed_up"] is False
    assert items["可报名的"]["seats_left"] is None
    assert items["可报名的"]["id"] == open_one.pk
    assert items["我报名的"]["station"] == {"code": "cg-hub", "name": mine.station.name}
    assert items["我报名的"]["type_label"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("liaison", {"城关草稿", "城关发布"}),  # every status of their own station
        ("other", {"河口发布"}),
        ("staff", {"城关草稿", "城关发布", "河口发布"}),  # the county: both townships
        ("leader", {"城关发布", "河口发布"}),  # reads published ones, not drafts
        ("dept", set()),
    ],
)
def test_officers_and_staff_list_what_is_in_their_scope(api, make_activity, role, sees):
    make_activity(publish=False, title="城关草稿")
    make_activity(title="城关发布")
    make_activity(station="hk-hub", actor="other", title="河口发布")

    response = api(role).get("/api/v1/activities")

    assert response.status_code == 200
    assert {a["title"] for a in response.json()} == sees


def test_the_list_costs_the_same_few_queries_for_many_activities(
    api, users, make_activity, django_assert_max_num_queries
):
    client = api("deputy")
    for i in range(12):
        activity = make_activity(capacity=10, title=f"活动{i}")
        if i % 2:
            signup_create(actor=users["deputy"], activity=activity)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/activities")
    assert len(response.json()) == 12


def test_the_list_needs_a_token(api, make_activity):
    response = api().get("/api/v1/activities")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_sign_up_answers_201_then_200_and_409_full_when_no_place_is_left(api, users, make_activity):
    # given one place, and a second deputy of the station
    activity = make_activity(capacity=1)
    second = Deputy.objects.exclude(pk=users["deputy"].deputy.pk).order_by("code").first()
    StationMembership.objects.create(station=activity.station, deputy=second)
    other_client = type(api())(deputy_user(second))  # the conftest's client, as that deputy

    # when the deputy signs up, retries, and the second deputy tries
    first = api("deputy").post(f"/api/v1/activities/{activity.pk}/signup")
    retry = api("deputy").post(f"/api/v1/activities/{activity.pk}/signup")
    full = other_client.post(f"/api/v1/activities/{activity.pk}/signup")

    # then: created, the same sign-up, and full with its code and a translated message
    assert first.status_code == 201
    assert first.json()["signed_up"] is True
    assert first.json()["seats_left"] == 0
    assert retry.status_code == 200
    assert full.status_code == 409
    assert full.json()["code"] == "full"
    assert full.json()["message"]
    assert Signup.objects.filter(activity=activity).count() == 1


def test_sign_up_for_another_station_is_not_found(api, make_activity):
    activity = make_activity(station="hk-hub", actor="other")
    response = api("deputy").post(f"/api/v1/activities/{activity.pk}/signup")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Signup.objects.exists()


def test_withdrawing_a_sign_up(api, users, make_activity):
    activity = make_activity(capacity=3)
    signup_create(actor=users["deputy"], activity=activity)
    client = api("deputy")
    response = client.client.delete(
        f"/api/v1/activities/{activity.pk}/signup", headers=client.headers
    )
    assert response.status_code == 200
    assert response.json()["signed_up"] is False
    assert response.json()["seats_left"] == 3


def test_check_in_with_the_scanned_token(api, users, make_activity):
    # given an activity under way and the code on the officer's screen
    activity = make_activity(starts_in=timedelta(minutes=5))
    code = api("liaison").get(f"/api/v1/activities/{activity.pk}/checkin-code").json()
    assert code["url"].endswith(f"/activities/checkin/?t={code['token']}")

    # when the deputy's phone sends the token, twice
    path = f"/api/v1/activities/{activity.pk}/checkin"
    first = api("deputy").post(path, {"token": code["token"]})
    again = api("deputy").post(path, {"token": code["token"]})

    # then the deputy is checked in (signed up on the spot), and the second answer says so
    assert first.status_code == 200
    body = first.json()
    assert body["already"] is False
    assert body["activity"]["checked_in"] is True
    assert body["activity"]["signed_up"] is True
    assert again.status_code == 200
    assert again.json()["already"] is True
    assert again.json()["checked_in_at"] == body["checked_in_at"]


def test_an_expired_token_is_refused_with_its_code_in_the_callers_language(
    api, users, make_activity
):
    activity = make_activity(starts_in=timedelta(minutes=5))
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=11), tick=False):
        # issued eleven minutes ago (the window opens an hour before the start)
        token = checkin_token_issue(actor=users["liaison"], activity=activity).token

    path = f"/api/v1/activities/{activity.pk}/checkin"
    response = api("deputy", language="en").post(path, {"token": token})

    assert response.status_code == 422
    assert response.json()["code"] == "expired"
    assert "expired" in response.json()["message"]
    assert not Signup.objects.exists()


def test_a_tampered_token_and_a_token_of_another_activity_are_refused(api, users, make_activity):
    first = make_activity(starts_in=timedelta(minutes=5))
    second = make_activity(starts_in=timedelta(minutes=5), title="另一场")
    token = checkin_token_issue(actor=users["liaison"], activity=second).token
    client = api("deputy")

    tampered = client.post(f"/api/v1/activities/{second.pk}/checkin", {"token": token + "x"})
    foreign = client.post(f"/api/v1/activities/{first.pk}/checkin", {"token": token})
    missing = client.post(f"/api/v1/activities/{first.pk}/checkin", {})

    assert (tampered.status_code, tampered.json()["code"]) == (422, "invalid_token")
    assert (foreign.status_code, foreign.json()["code"]) == (422, "wrong_activity")
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid")
    assert not Signup.objects.exists()


def test_only_those_who_run_the_station_get_its_check_in_code(api, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=5))
    path = f"/api/v1/activities/{activity.pk}/checkin-code"
    assert api("liaison").get(path).status_code == 200
    assert api("staff").get(path).status_code == 200
    assert api("deputy").get(path).status_code == 404
    assert api("other").get(path).status_code == 404


def test_the_activity_endpoints_are_in_the_openapi_schema(api):
    schema = api().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/activities"]
    assert "post" in paths["/api/v1/activities/{activity_id}/signup"]
    checkin = paths["/api/v1/activities/{activity_id}/checkin"]["post"]
    assert {"200", "409", "422"} <= set(checkin["responses"])
    assert checkin["requestBody"]
    assert paths["/api/v1/activities"]["get"]["security"]
