"""Double voting under concurrent requests: the same deputy's ballot sent at once from several
devices (with the same one-time credential, or signed in), many deputies at once, an open
electorate's key at once, and closing while ballots arrive. These tests commit for real
(transaction=True) and run their work in threads with their own connections (tests.threads);
they hold on SQLite (IMMEDIATE transactions) and PostgreSQL (the vote's row lock and one
conditional update of the register row)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from lianluo.core.errors import DomainError
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt, Vote, Voter
from tests.threads import run_together
from tests.voting.core_kit import marks, session_vote

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(fn):
    try:
        return fn()
    except DomainError as exc:
        return str(exc.code)


def _counts(vote: Vote) -> tuple[int, int, int]:
    return (
        Ballot.objects.filter(vote=vote).count(),
        Receipt.objects.filter(vote=vote).count(),
        Voter.objects.filter(vote=vote, voted=True).count(),
    )


def test_one_credential_sent_from_eight_devices_at_once_counts_once(demo, users):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    code = s.codes[s.deputies[0]]
    ballot = marks(s.options, "for", "for", "against", "abstain")

    results, errors = run_together(
        8, lambda i: _outcome(lambda: vs.ballot_cast(vote=s.vote, marks=ballot, credential=code))
    )

    assert errors == []
    receipts = [r for r in results if "-" in r]
    assert len(receipts) == 1
    assert set(results) - set(receipts) <= {"already_voted", "bad_credential"}
    assert _counts(s.vote) == (1, 1, 1)


def test_a_signed_in_deputy_pressing_vote_on_two_phones_at_once_counts_once(demo, users):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"], credentials=False)
    ballot = marks(s.options, "against", "for", "for", "abstain")

    results, errors = run_together(
        6,
        lambda i: _outcome(lambda: vs.ballot_cast(vote=s.vote, marks=ballot, user=users["deputy"])),
    )

    assert errors == []
    assert Counter("receipt" if "-" in r else r for r in results) == {
        "receipt": 1,
        "already_voted": 5,
    }
    assert _counts(s.vote) == (1, 1, 1)


def test_all_deputies_at_once_are_all_recorded(demo, users):
    s = session_vote(congress=demo["county_congress"], staff=users["staff"])
    n = len(s.deputies)

    results, errors = run_together(
        n,
        lambda i: vs.ballot_cast(
            vote=s.vote,
            marks=marks(s.options, "for", "against", "abstain", "for"),
            credential=s.codes[s.deputies[i]],
        ),
    )

    assert errors == []
    assert len(set(results)) == n
    vote = vs.vote_close(actor=users["staff"], vote=s.vote, on=date(2027, 3, 1))
    assert _counts(vote) == (n, n, n)
    assert vs.count(vote).by_option()[int(s.options[0])].counts["for"] == n


def test_an_open_electorate_key_sent_at_once_counts_once(demo):
    vote = vs.vote_create(
        actor=None,
        kind="station_year",
        method="pick",
        congress=None,
        year=2027,
        title="2027 人民满意代表联络站",
        options=[vs.OptionSpec(label="城关总站", subject_type="stations.station", subject_id=1)],
        open_electorate=True,
    )
    vote = vs.vote_open(actor=None, vote=vote)
    option = str(vote.options.get().pk)

    results, errors = run_together(
        6,
        lambda i: _outcome(
            lambda: vs.ballot_cast_open(
                vote=vote, key="k" * 64, key_kind="citizen", marks={option: "for"}
            )
        ),
    )

    assert errors == []
    assert Counter("receipt" if "-" in r else r for r in results) == {
        "receipt": 1,
        "already_voted": 5,
    }
    assert _counts(vote) == (1, 1, 1)


def test_closing_while_ballots_arrive_counts_each_recorded_ballot_once(demo, users):
    staff = users["staff"]
    s = session_vote(congress=demo["county_congress"], staff=staff)
    ballot = marks(s.options, "for", "for", "for", "for")

    def work(i: int):
        if i == 0:
            return _outcome(lambda: vs.vote_close(actor=staff, vote=s.vote, on=date(2027, 3, 1)))
        return _outcome(
            lambda: vs.ballot_cast(vote=s.vote, marks=ballot, credential=s.codes[s.deputies[i]])
        )

    results, errors = run_together(12, work)

    assert errors == []
    recorded = [r for r in results[1:] if "-" in r]
    assert set(results[1:]) - set(recorded) <= {"not_open"}
    vote = Vote.objects.get(pk=s.vote.pk)
    # every ballot accepted is in the result, and nothing else
    assert _counts(vote) == (len(recorded),) * 3
    assert vote.voted_count == len(recorded)
    assert vs.count(vote).ballots == len(recorded)
