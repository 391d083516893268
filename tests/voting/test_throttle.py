"""The guessable forms of a vote are throttled per client: the shared device's one-time code
(every request there carries one), the API's credential path (one counter with the device), and
the receipt check box. Over the rate the person is told to wait, and a right code sent then is
not looked at (nothing is cast)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lianluo.voting import services as vs
from lianluo.voting.models import Ballot
from tests.voting.core_kit import marks, session_vote

SESSION_DAY = datetime(2027, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
WAIT = "本设备尝试次数过多，请稍等一分钟再试。"


@pytest.fixture
def demo(demo_shared):
    with time_machine.travel(SESSION_DAY, tick=False):
        yield demo_shared


def zh(address: str = "127.0.0.1") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans", REMOTE_ADDR=address)


def test_the_shared_device_refuses_codes_past_the_rate_and_says_so_at_the_field(
    demo, users, settings
):
    settings.LIANLUO_BALLOT_CODE_RATE = "3/m"
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    url = reverse("voting:kiosk", args=[s.vote.pk])
    device = zh()
    # three wrong guesses are told they are wrong
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        r = device.post(url, {"step": "code", "code": guess})
        assert r.status_code == 200 and "该投票码无效" in r.content.decode()
    # the fourth try, a right code, is not looked at: the device is told to wait
    right = next(iter(s.codes.values()))
    r = device.post(url, {"step": "code", "code": right})
    page = r.content.decode()
    assert r.status_code == 429 and WAIT in page and 'data-testid="ballot-form"' not in page
    # the message is at the field, and the input points at it
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_code_error', page)
    assert 'id="id_code_error"' in page
    # casting straight away with the right code is refused too: nothing is stored
    r = device.post(url, {**_post(s), "step": "cast", "code": right})
    assert r.status_code == 429 and Ballot.objects.filter(vote=s.vote).count() == 0
    # a minute later the device may try again, and the deputy votes
    with time_machine.travel(SESSION_DAY.replace(minute=2), tick=False):
        r = device.post(url, {"step": "code", "code": right})
        assert r.status_code == 200 and 'data-testid="ballot-form"' in r.content.decode()


def _post(s) -> dict[str, str]:
    return {f"o{pk}": "abstain" for pk in s.options}


def test_the_api_credential_path_shares_the_device_counter(
    demo, users, settings, api, client_address
):
    settings.LIANLUO_BALLOT_CODE_RATE = "2/m"
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    path = f"/api/v1/votes/{s.vote.pk}/ballots"
    ballot = marks(s.options, "for", "against", "abstain", "abstain")
    # one guess at the device, one through the API: both refused as bad codes
    device = zh(client_address)  # the same address as the API's clients
    device.post(reverse("voting:kiosk", args=[s.vote.pk]), {"step": "code", "code": "ZZZZ-ZZZZ"})
    bad = api().post(path, {"marks": ballot, "credential": "ZZZZZZZZ"})
    assert (bad.status_code, bad.json()["code"]) == (403, "bad_credential")
    # the third, with a right credential, is throttled and casts nothing
    code = next(iter(s.codes.values()))
    r = api().post(path, {"marks": ballot, "credential": code})
    assert (r.status_code, r.json()["code"]) == (429, "throttled")
    assert "请" in r.json()["message"] and Ballot.objects.filter(vote=s.vote).count() == 0
    # a signed-in deputy is not counted against the device's address
    s2 = session_vote(congress=demo["county_congress"], staff=users["staff"], year=2028)
    ok = api("deputy").post(
        f"/api/v1/votes/{s2.vote.pk}/ballots",
        {"marks": marks(s2.options, "for", "against", "abstain", "abstain")},
    )
    assert ok.status_code == 201


def test_the_receipt_check_box_is_throttled(demo, users, settings):
    settings.LIANLUO_INTAKE_RATE = "2/m"
    staff = users["staff"]
    s = session_vote(congress=demo["county_congress"], staff=staff)
    deputy_id, code = next(iter(s.codes.items()))
    receipt = vs.ballot_cast(
        vote=s.vote, marks=marks(s.options, *["for"] * 2, *["against"] * 2), credential=code
    )
    vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    url = reverse("voting:receipts", args=[s.vote.pk])
    visitor = zh()
    # reading the list is not counted
    for _ in range(3):
        assert visitor.get(url).status_code == 200
    # two checks are answered
    r = visitor.get(url, {"code": "AAAA-BBBB-CCCC"})
    assert 'data-testid="not-found"' in r.content.decode()
    r = visitor.get(url, {"code": receipt})
    assert 'data-testid="found"' in r.content.decode()
    # the third is told to wait, and not answered
    r = visitor.get(url, {"code": receipt})
    page = r.content.decode()
    assert r.status_code == 429 and WAIT in page and 'data-testid="found"' not in page
    assert 'id="id_code_error"' in page
