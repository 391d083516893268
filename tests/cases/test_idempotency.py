"""A retried submission (a phone on a bad connection, a double tap, back and send again) records
one case: the same idempotency key with the same submission returns the case it created before,
also when the retries race. The key is no bearer secret: the same key with another addressee or
other content is refused (409) and reveals nothing of the first case."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from lianluo.cases.models import Case
from lianluo.cases.services import IdempotencyConflict, case_submit
from lianluo.core.models import OutboxMessage
from lianluo.stations.models import ReceptionDay, Station

KEY = "3f9c2a7e-0d1b-4c55-9e0a-6b1f2d3c4e5f"
CONFLICT = (
    "This idempotency key was already used for a different message, so this message was not "
    "recorded. Send it again with a new key."
)
FORM_CONFLICT = (
    "This form was already used to send a different message, so this one was not recorded "
    "yet. Everything you typed is still here: check it and send it again."
)
SH = ZoneInfo("Asia/Shanghai")
FORM_CONFLICT_ZH_START = "这份表单已经提交过另一条不同的留言"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def test_the_api_answers_a_retry_with_the_case_it_created(api):
    # given a message sent with an idempotency key
    body = {"station": "cg-hub", "text": "路灯坏了", "name": "王女士", "idempotency_key": KEY}
    first = api().post("/api/v1/public/cases", body)
    outbox = OutboxMessage.objects.count()

    # when the app sends exactly the same message again with the same key
    second = api().post("/api/v1/public/cases", body)

    # then the first is created (201), the retry answered with the same case (200)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    # and only one case exists, notified once
    case = Case.objects.get()
    assert (case.text, case.idempotency_key) == ("路灯坏了", KEY)
    assert OutboxMessage.objects.count() == outbox


@pytest.mark.parametrize(
    "change",
    [
        {"station": "hk-hub"},
        {"station": None, "deputy": "dep-001"},
        {"text": "路灯坏了！！"},
        {"title": "路灯"},
        {"name": "李先生"},
        {"phone": "13812345678"},
        {"category": "other"},
        {"place": "东门"},
        {"consent_publish": True},
    ],
    ids=lambda change: "+".join(change),
)
def test_a_used_key_with_another_submission_is_refused_and_reveals_nothing(api, change):
    # given a citizen's message sent with an idempotency key
    body = {"station": "cg-hub", "text": "路灯坏了", "name": "王女士", "idempotency_key": KEY}
    first = api().post("/api/v1/public/cases", body)
    assert first.status_code == 201, first.content
    original = Case.objects.get()
    outbox = OutboxMessage.objects.count()

    # when someone who knows the key sends something else under it (another addressee or
    # another content)
    response = api().post("/api/v1/public/cases", {**body, **change})

    # then it is refused as a conflict, in Chinese, with nothing of the first case in it
    assert response.status_code == 409, response.content
    answer = response.json()
    assert answer["code"] == "idempotency_conflict"
    assert answer["message"] == zh(CONFLICT)
    for secret in (original.number, original.tracking_code, original.citizen_name):
        assert secret not in response.content.decode()
    # and nothing was recorded or sent, and the first case is as it was
    assert Case.objects.get() == original
    assert Case.objects.get().text == "路灯坏了"
    assert OutboxMessage.objects.count() == outbox


def test_the_conflict_speaks_english_to_an_english_phone(api):
    # given a key already used
    body = {"station": "cg-hub", "text": "路灯坏了", "idempotency_key": KEY}
    api().post("/api/v1/public/cases", body)

    # when an English phone sends another text under it
    response = api(language="en").post("/api/v1/public/cases", {**body, "text": "Streetlight"})

    # then the refusal reads English
    assert response.status_code == 409
    assert response.json()["message"] == CONFLICT


def test_a_replay_differing_only_in_line_ends_and_spaces_is_the_same_submission(api):
    # given a message sent from an app with Unix line ends
    body = {"station": "cg-hub", "text": "路灯坏了\n东门", "idempotency_key": KEY}
    first = api().post("/api/v1/public/cases", body)

    # when the same message is retried with CRLF line ends and a trailing space
    second = api().post("/api/v1/public/cases", {**body, "text": "路灯坏了\r\n东门 "})

    # then it is the same case
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()


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


def test_the_service_refuses_a_used_key_for_another_station(demo):
    # given a case submitted to the hub with a key
    case_submit(station=demo["cg_hub"], text="路灯坏了", idempotency_key=KEY)
    other = Station.objects.exclude(pk=demo["cg_hub"].pk).filter(active=True).first()

    # when the same key and text are sent to another station
    with pytest.raises(IdempotencyConflict) as refused:
        case_submit(station=other, text="路灯坏了", idempotency_key=KEY)

    # then it is a conflict (409), and no second case exists
    assert (refused.value.status, refused.value.code) == (409, "idempotency_conflict")
    assert Case.objects.count() == 1


def test_a_staff_edit_does_not_turn_a_genuine_retry_into_a_conflict(demo, users):
    # given a case submitted with a key, then reclassified by the officer
    hub = demo["cg_hub"]
    case, _created = case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)
    Case.objects.filter(pk=case.pk).update(title="路灯维修", place="东门")

    # when the citizen's app retries the original submission
    again, created = case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)

    # then it still gets its case: the digest is of the submission, not of the row today
    assert (again.pk, created) == (case.pk, False)


def test_a_row_without_a_digest_never_replays(demo):
    # given a case recorded before digests were stored
    hub = demo["cg_hub"]
    case, _created = case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)
    Case.objects.filter(pk=case.pk).update(submission_digest="")

    # when its key is sent again, even with the same content
    # then nothing proves it is the same submission: refused, nothing handed out
    with pytest.raises(IdempotencyConflict):
        case_submit(station=hub, text="路灯坏了", idempotency_key=KEY)


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


def test_back_and_send_again_from_a_fresh_page_records_one_case(demo):
    # given a citizen who sent a message from the station's page
    client = Client()
    key = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    first = client.post("/s/cg-hub/", {"text": "路灯坏了", "idempotency_key": key})

    # when they go back — the browser fetches the page again, with a new key, and refills the
    # text they typed — and send it again
    fresh = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    assert fresh != key
    second = client.post("/s/cg-hub/", {"text": "路灯坏了", "idempotency_key": fresh})

    # then they land on the case they already have
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1

    # and a different message from the same device is a new case
    third_key = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    third = client.post("/s/cg-hub/", {"text": "垃圾没人收", "idempotency_key": third_key})
    assert third.status_code == 302
    assert third["Location"] != first["Location"]
    assert Case.objects.count() == 2


def test_another_device_sending_the_same_text_gets_its_own_case(demo):
    # given a message sent from one phone
    one, two = Client(), Client()
    key = one.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    first = one.post("/s/cg-hub/", {"text": "路灯坏了", "idempotency_key": key})

    # when a neighbour sends the same words from their own phone
    other_key = two.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    second = two.post("/s/cg-hub/", {"text": "路灯坏了", "idempotency_key": other_key})

    # then each has their own case
    assert first["Location"] != second["Location"]
    assert Case.objects.count() == 2


def test_the_form_with_a_used_key_and_other_content_keeps_everything_and_offers_a_new_key(demo):
    # given a form whose key was already used for a message (by this or another device)
    client = Client()
    key = client.get("/s/cg-hub/").context["form"].initial["idempotency_key"]
    Client().post("/s/cg-hub/", {"text": "路灯坏了", "idempotency_key": key})
    original = Case.objects.get()

    # when another message is sent with that key
    typed = {"text": "垃圾没人收", "title": "垃圾", "phone": "13812345678", "place": "东门"}
    page = client.post("/s/cg-hub/", {**typed, "idempotency_key": key})

    # then the form comes back with the reason, in Chinese, and everything typed kept
    assert page.status_code == 409
    assert page.context["error"] == zh(FORM_CONFLICT)
    assert FORM_CONFLICT_ZH_START in page.content.decode()
    form = page.context["form"]
    for field, value in typed.items():
        assert form[field].value() == value
    # and a fresh key, with nothing of the first case shown
    assert form["idempotency_key"].value() not in ("", key)
    assert original.tracking_code not in page.content.decode()
    assert original.number not in page.content.decode()
    assert Case.objects.count() == 1

    # when they send it again as it is now
    again = client.post("/s/cg-hub/", {**typed, "idempotency_key": form["idempotency_key"].value()})

    # then it is recorded as a new case
    assert again.status_code == 302
    assert Case.objects.count() == 2
    assert Case.objects.exclude(pk=original.pk).get().text == "垃圾没人收"


def test_the_reception_form_with_a_used_key_keeps_the_text_and_does_not_fail(demo, users):
    # given a case an officer recorded at a past reception day with the form's key
    # (an early hour the demo's rules never use: the demo generates its own days around --clock)
    day = ReceptionDay.objects.create(
        station=demo["cg_hub"], date=date(2027, 1, 6), start=time(7, 15), end=time(8, 45)
    )
    with time_machine.travel(datetime(2027, 1, 6, 10, tzinfo=SH), tick=False):
        client = Client()
        client.force_login(users["staff"])
        url = f"/reception-days/{day.pk}/record/case/"
        first = client.post(url, {"text": "老人反映养老金认证不会操作", "idempotency_key": KEY})

        # when the same form's key comes back with another citizen's matter
        again = client.post(url, {"text": "集市旁排水沟堵塞", "idempotency_key": KEY})

    # then the second is refused as a conflict (not a server error), with the text kept
    assert first.status_code == 302
    assert again.status_code == 409
    assert again.context["error"] == zh(FORM_CONFLICT)
    form = again.context["case_form"]
    assert form["text"].value() == "集市旁排水沟堵塞"
    assert form["idempotency_key"].value() != KEY
    assert Case.objects.count() == 1
