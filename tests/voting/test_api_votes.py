"""API v1 of the voting core: the ballot form, casting (signed in or with a credential), the
refusals' codes, and the published receipts, ballots and result after closing (404 before)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.voting import services as vs
from lianluo.voting.models import Ballot
from tests.voting.core_kit import marks, session_vote

SESSION_DAY = datetime(2027, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(demo_shared):
    with time_machine.travel(SESSION_DAY, tick=False):
        yield demo_shared


def test_the_deputy_reads_the_form_votes_and_verifies_the_published_lists(demo, users, api):
    staff = users["staff"]
    s = session_vote(congress=demo["county_congress"], staff=staff, max_for=2, credentials=False)
    deputy = api("deputy")
    # the form
    form = deputy.get(f"/api/v1/votes/{s.vote.pk}")
    assert form.status_code == 200
    body = form.json()
    assert body["choices"] == ["for", "against", "abstain"] and body["max_for"] == 2
    assert [c["name"] for c in body["candidates"]] == ["项目1", "项目2", "项目3", "项目4"]
    assert body["candidates"][1]["investment"] is not None and body["voted"] is False
    # the published lists are not there before closing
    for part in ("receipts", "ballots", "result"):
        assert api().get(f"/api/v1/public/votes/{s.vote.pk}/{part}").status_code == 404
    # casting: a ballot that is not valid, then a valid one, then again
    path = f"/api/v1/votes/{s.vote.pk}/ballots"
    bad = deputy.post(path, {"marks": marks(s.options, "for", "for", "for", "against")})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_ballot")
    ok = deputy.post(path, {"marks": marks(s.options, "for", "against", "abstain", "for")})
    assert ok.status_code == 201
    receipt = ok.json()["receipt"]
    again = deputy.post(path, {"marks": marks(s.options, *["against"] * 4)})
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")
    assert deputy.get(f"/api/v1/votes/{s.vote.pk}").json()["voted"] is True
    # a one-time credential works without a token, once
    other = s.deputies[1] if s.deputies[0] == demo["deputy"].pk else s.deputies[0]
    code = vs.credentials_issue(actor=staff, vote=s.vote, deputy_ids=[other])[other]
    body = {"marks": marks(s.options, "against", "for", "abstain", "for"), "credential": code}
    assert api().post(path, body).status_code == 201
    spent = api().post(path, body)
    assert (spent.status_code, spent.json()["code"]) == (403, "bad_credential")
    vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    # the lists after closing
    receipts = api().get(f"/api/v1/public/votes/{s.vote.pk}/receipts").json()
    assert receipts["count"] == 2 and receipt in receipts["receipts"]
    assert receipts["receipts"] == sorted(receipts["receipts"])
    ballots = api().get(f"/api/v1/public/votes/{s.vote.pk}/ballots").json()
    assert ballots["count"] == 2
    assert [b["id"] for b in ballots["ballots"]] == sorted(
        str(pk) for pk in Ballot.objects.filter(vote=s.vote).values_list("id", flat=True)
    )
    result = api().get(f"/api/v1/public/votes/{s.vote.pk}/result").json()
    assert (result["entitled"], result["present"], result["voted"]) == (28, 28, 2)
    assert (result["ballots"], result["invalid"]) == (2, 0)
    first = result["options"][0]
    assert first["counts"] == {"for": 1, "against": 1, "abstain": 0}
    assert first["passed"] is False and result["runoff"]["seats"] == 0


def test_who_is_not_entitled_or_present_gets_403_and_an_unknown_vote_404(demo, users, api):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"], present=0)
    answer = api("deputy").get(f"/api/v1/votes/{s.vote.pk}")
    assert (answer.status_code, answer.json()["code"]) == (403, "not_present")
    answer = api("liaison").get(f"/api/v1/votes/{s.vote.pk}")
    assert (answer.status_code, answer.json()["code"]) == (403, "not_entitled")
    assert api("deputy").get("/api/v1/votes/999999").status_code == 404
    answer = api().post(f"/api/v1/votes/{s.vote.pk}/ballots", {"marks": {}})
    assert (answer.status_code, answer.json()["code"]) == (403, "not_entitled")
    assert api().post("/api/v1/votes/999999/ballots", {"marks": {}}).status_code == 404
