"""What casting a ballot costs, the hot path of a session (hundreds of deputies pressing
"submit" together, every cast waiting for the write lock of the one before): the statements of
one `POST /api/v1/votes/{id}/ballots`, which must not grow with the ballots already in; and the
inside-out shuffle on insert, which already scatters the stored order while the vote is open."""

from __future__ import annotations

from datetime import datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianluo.core.errors import DomainError
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt, Voter
from tests.voting.core_kit import marks, session_vote
from tests.voting.test_secrecy import _physical_order, _rank_correlation

SESSION_DAY = datetime(2027, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))

# A cast with a one-time credential, the whole request: the vote and its options (before the
# lock), then in one transaction (2 statements: savepoint/begin and release/commit) the vote's
# status under its lock, the register's conditional update, and for the ballot and the receipt
# each the swap partner (one indexed LIMIT 1, a second one when the random point falls past the
# last row), an insert and the partner's update. It was 18, growing COUNTs and OFFSETs among them.
CAST_MAX = 14
# Signed in: the bearer token with its user and the user's roles, and the register row by deputy.
SIGNED_IN_MAX = CAST_MAX + 3
# A one-time code can be guessed, so a request that carries one is counted against the guessing
# throttle first (core/throttle.py: its counter's update or insert, the sweep of old counters,
# the read, each in a savepoint): at most this many more.
THROTTLE_MAX = 8


@pytest.fixture
def demo(demo_shared):
    with time_machine.travel(SESSION_DAY, tick=False):
        yield demo_shared


def test_a_cast_costs_a_few_statements_however_many_ballots_are_in(demo, users, api):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    path = f"/api/v1/votes/{s.vote.pk}/ballots"
    client = api()
    seen = []
    for d in s.deputies:
        body = {
            "marks": marks(s.options, "for", "against", "abstain", "for"),
            "credential": s.codes[d],
        }
        with CaptureQueriesContext(connection) as ctx:
            answer = client.post(path, body)
        assert answer.status_code == 201
        sql = [q["sql"].upper() for q in ctx.captured_queries]
        throttle = [q for q in sql if "THROTTLECOUNTER" in q.upper()]
        assert len(throttle) <= 4, "\n".join(throttle)
        assert len(sql) <= CAST_MAX + THROTTLE_MAX, "\n".join(sql)
        assert not [q for q in sql if "COUNT(" in q or "OFFSET" in q], "\n".join(sql)
        seen.append(len(sql))
    # the last cast (27 ballots in) costs what the first did, give or take the swaps
    assert max(seen[-5:]) <= max(seen[:5]) + 2
    assert Ballot.objects.filter(vote=s.vote).count() == len(s.deputies)
    assert Receipt.objects.filter(vote=s.vote).count() == len(s.deputies)


def test_a_signed_in_cast_costs_a_few_more(demo, users, api, django_assert_max_num_queries):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"], credentials=False)
    with django_assert_max_num_queries(SIGNED_IN_MAX):
        answer = api("deputy").post(
            f"/api/v1/votes/{s.vote.pk}/ballots",
            {"marks": marks(s.options, "for", "against", "abstain", "for")},
        )
    assert answer.status_code == 201
    assert Voter.objects.get(vote=s.vote, deputy=demo["deputy"]).voted


def test_a_refused_credential_says_why_after_the_update_failed(demo, users):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"], present=3)
    good = marks(s.options, "for", "against", "abstain", "for")

    def refusal(**kwargs) -> str:
        with pytest.raises(DomainError) as exc:
            vs.ballot_cast(vote=s.vote, **kwargs)
        return str(exc.value.code)

    # a credential issued, then its deputy marked absent: not present (not a bad code)
    vs.presence_mark(actor=users["staff"], vote=s.vote, deputy_ids=[s.deputies[0]], present=False)
    assert refusal(marks=good, credential=s.codes[s.deputies[0]]) == "not_present"
    # a bad credential is refused before a bad ballot; an invalid ballot leaves a code unspent
    assert refusal(marks={s.options[0]: "for"}, credential="WRONG123") == "bad_credential"
    code = s.codes[s.deputies[1]]
    assert refusal(marks={s.options[0]: "for"}, credential=code) == "invalid_ballot"
    vs.ballot_cast(vote=s.vote, marks=good, credential=code)
    # a spent credential is a bad one
    assert refusal(marks=good, credential=code) == "bad_credential"
    assert Ballot.objects.filter(vote=s.vote).count() == 1
    assert Voter.objects.filter(vote=s.vote, voted=True).count() == 1


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL moves an updated row")
def test_while_open_the_rows_are_already_out_of_casting_order(demo, users):
    # given 28 deputies each casting a ballot no one else casts, in register order
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    distinct = list(product(("for", "against", "abstain"), repeat=4))[: len(s.deputies)]
    cast_order = []
    for d, choices in zip(s.deputies, distinct, strict=True):
        m = dict(zip(s.options, choices, strict=True))
        vs.ballot_cast(vote=s.vote, marks=m, credential=s.codes[d])
        cast_order.append(str(tuple(m[o] for o in s.options)))
    # then before any closing, the rows (SQLite's rowid order) hold the same ballots, shuffled
    by_row = [
        str(tuple(raw[o] for o in s.options))
        for raw in _physical_order(Ballot._meta.db_table, "marks", s.vote)
    ]
    assert sorted(by_row) == sorted(cast_order)
    assert by_row != cast_order
    assert abs(_rank_correlation(by_row, cast_order)) < 0.7
