"""A retried submission (a phone on a bad connection, a double tap) records one case: the same
idempotency key returns the case it created before, also when the retries race."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.models import Case
from lianluo.cases.services import case_submit
from lianluo.core.models import OutboxMessage

KEY = "3f9c2a7e-0d1b-4c55-9e0a-6b1f2d3c4e5f"


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def test_the_api_answers_a_retry_with_the_case_it_created(api):
    # given a message sent with an idempotency key
    body = {"station": "cg-hub", "text": "路灯坏了", "idempotency_key": KEY}
    first = api().post("/api/v1/public/cases", body)
    outbox = OutboxMessage.objects.count()

    # when the app sends it again with the same key (even if the text was edited meanwhile)
    second = api().post("/api/v1/public/cases", {**body, "text": "路灯坏了！！"})

    # then the first is created (201), the retry answered with the same case (200)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    # and only one case exists, notified once
    case = Case.objects.get()
    assert (case.text, case.idempotency_key) == ("路灯坏了", KEY)
    assert OutboxMessage.objects.count() == outbox


def test_different_keys_are_different_cases(api):
    # when two messages come with different keys, and two without one
    body = {"station": "cg-hub", "text": "路灯坏了"}
    responses = [
        api().post("/api/v1/public/cases", {**body, "idempotency_key": "a"}),
        api().post("/api/v1/public/cases", {**body, "idempotency_key": "b"}),
        api().post("/api/v1/public/cases", body),
        api().post("/api/v1/public/cases", body),
    ]

    # then each is its own case
    assert [r.status_code for r in responses] == [201, 201, 201, 201]
    assert len({r.json()["number"] for r in responses}) == 4


def test_the_service_says_whether_it_created_the_case(demo):
    # given a case submitted with a key
    hub = demo["cg_hub"]
    case, created = case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)

    # when it is submitted again with that key
    again, created_again = case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)

    # then the same case comes back, marked as not created
    assert (created, created_again) == (True, False)
    assert again.pk == case.pk
    assert Case.objects.count() == 1


def test_the_form_sent_twice_records_one_case(demo):
    # given the form page, which carries a fresh idempotency key
    client = Client()
    page = client.get("/s/cg-hub/")
    key = page.context["form"].initial["idempotency_key"]
    assert key

    # when the citizen taps "send" twice
    form = {"text": "路灯坏了", "idempotency_key": key}
    first, second = client.post("/s/cg-hub/", form), client.post("/s/cg-hub/", form)

    # then both land on the same case's confirmation, and only one case exists
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert case.tracking_code in first["Location"]
