"""The voting core through its services, on the demo county's congress (28 deputies): ballots
on a phone and with one-time credentials, refusals, paper ballots, receipts, the recount, the
run-off, and the points credited to the deputies who voted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.core.errors import DomainError
from lianluo.duty.models import AutoEvent, PointEntry
from lianluo.duty.services.catalog import catalog_install_default
from lianluo.voting import selectors as sel
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt, Result, Status, Voter
from tests.voting.core_kit import marks, session_vote

SESSION_DAY = datetime(2027, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(demo_shared):
    with time_machine.travel(SESSION_DAY, tick=False):
        yield demo_shared


@pytest.fixture
def county(demo):
    return demo["county_congress"]


def code_of(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return str(exc.value.code)


def test_a_deputy_votes_on_their_phone_and_finds_the_receipt_after_closing(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"], credentials=False)
    assert demo["deputy"].pk in s.deputies
    # when the demo deputy votes signed in
    receipt = vs.ballot_cast(
        vote=s.vote,
        marks=marks(s.options, "for", "against", "abstain", "for"),
        user=users["deputy"],
    )
    # then a second ballot is refused and the register says voted, with no ballot named
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(vote=s.vote, marks=marks(s.options, *["for"] * 4), user=users["deputy"])
    assert code_of(exc) == "already_voted"
    assert sel.standing_of(users["deputy"], s.vote) == sel.Standing(True, True, True)
    # and after closing the receipt is in the published list, a made-up one is not
    vote = vs.vote_close(actor=users["staff"], vote=s.vote, on=SESSION_DAY.date())
    assert sel.receipts_of(vote) == [receipt]
    assert sel.receipt_counted(vote, receipt.replace("-", "").lower())
    assert not sel.receipt_counted(vote, "2345-6789-ABCD")
    [ballot] = sel.ballots_of(vote)
    assert ballot.marks == marks(s.options, "for", "against", "abstain", "for")


def test_who_may_not_vote_is_refused_and_nothing_is_stored(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"], present=5, credentials=False)
    absent = s.deputies[5]
    codes = vs.credentials_issue(actor=users["staff"], vote=s.vote, deputy_ids=[s.deputies[0]])
    good = marks(s.options, "for", "for", "against", "against")
    cases = [
        (dict(user=users["staff"]), "not_entitled"),  # not a deputy of this congress
        (dict(user=None), "not_entitled"),
        (dict(credential="WRONG123"), "bad_credential"),
        (dict(credential=codes[s.deputies[0]], marks={s.options[0]: "for"}), "invalid_ballot"),
        (dict(credential=codes[s.deputies[0]], marks={**good, "999999": "for"}), "invalid_ballot"),
        (
            dict(credential=codes[s.deputies[0]], marks={**good, s.options[0]: "yes"}),
            "invalid_ballot",
        ),
    ]
    for kwargs, expected in cases:
        kwargs.setdefault("marks", good)
        with pytest.raises(DomainError) as exc:
            vs.ballot_cast(vote=s.vote, **kwargs)
        assert code_of(exc) == expected, kwargs
    # a deputy on the register but not marked present
    absent_user = Voter.objects.get(vote=s.vote, deputy_id=absent).deputy.user
    if absent_user is not None:
        with pytest.raises(DomainError) as exc:
            vs.ballot_cast(vote=s.vote, marks=good, user=absent_user)
        assert code_of(exc) == "not_present"
    assert Ballot.objects.filter(vote=s.vote).count() == 0
    assert Receipt.objects.filter(vote=s.vote).count() == 0
    assert not Voter.objects.filter(vote=s.vote, voted=True).exists()
    # the invalid-ballot refusal left the credential unspent
    vs.ballot_cast(vote=s.vote, marks=good, credential=codes[s.deputies[0]])


def test_too_many_for_is_refused_on_a_device(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"], max_for=2)
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(
            vote=s.vote,
            marks=marks(s.options, "for", "for", "for", "against"),
            credential=s.codes[s.deputies[0]],
        )
    assert code_of(exc) == "invalid_ballot" and exc.value.field == "marks"


def test_a_credential_is_spent_by_its_ballot(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"])
    code = s.codes[s.deputies[3]]
    vs.ballot_cast(vote=s.vote, marks=marks(s.options, *["abstain"] * 4), credential=code)
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(vote=s.vote, marks=marks(s.options, *["for"] * 4), credential=code)
    assert code_of(exc) == "bad_credential"
    # the code is not kept: the register row holds neither it nor its hash any more
    row = Voter.objects.get(vote=s.vote, deputy_id=s.deputies[3])
    assert row.voted and row.credential_hash == ""
    assert Ballot.objects.filter(vote=s.vote).count() == 1


def test_no_ballot_before_opening_or_after_closing(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"], open_=False)
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(
            vote=s.vote, marks=marks(s.options, *["for"] * 4), credential=s.codes[s.deputies[0]]
        )
    assert code_of(exc) == "not_open"
    vs.vote_open(actor=users["staff"], vote=s.vote)
    vs.vote_close(actor=users["staff"], vote=s.vote, on=SESSION_DAY.date())
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(
            vote=s.vote, marks=marks(s.options, *["for"] * 4), credential=s.codes[s.deputies[1]]
        )
    assert code_of(exc) == "not_open"


def test_only_the_congress_staff_run_a_vote(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"], open_=False)
    for who in ("liaison", "deputy", "leader"):
        for action in (
            lambda u: vs.vote_open(actor=u, vote=s.vote),
            lambda u: vs.presence_mark(actor=u, vote=s.vote, deputy_ids=s.deputies),
            lambda u: vs.credentials_issue(actor=u, vote=s.vote, deputy_ids=s.deputies),
        ):
            with pytest.raises(DomainError) as exc:
                action(users[who])
            assert code_of(exc) == "not_allowed"
    s.vote.refresh_from_db()
    assert s.vote.status == Status.DRAFT


def test_paper_ballots_are_issued_entered_and_counted(demo, users, county):
    staff = users["staff"]
    s = session_vote(congress=county, staff=staff, max_for=2)
    # given two deputies handed paper ballots (they can no longer vote on a device)
    for d in s.deputies[:2]:
        vs.paper_issue(actor=staff, vote=s.vote, deputy_id=d)
    with pytest.raises(DomainError) as exc:
        vs.paper_issue(actor=staff, vote=s.vote, deputy_id=s.deputies[0])
    assert code_of(exc) == "already_voted"
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(
            vote=s.vote, marks=marks(s.options, *["for"] * 4), credential=s.codes[s.deputies[0]]
        )
    assert code_of(exc) == "bad_credential"
    # when the tellers have entered one of them, closing is refused
    code1, valid1 = vs.paper_ballot_enter(
        actor=staff, vote=s.vote, marks=marks(s.options, "for", "for", "against", "against")
    )
    with pytest.raises(DomainError) as exc:
        vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    assert code_of(exc) == "invalid_transition"
    # a ballot with three "for" of two allowed is stored, invalid
    code2, valid2 = vs.paper_ballot_enter(
        actor=staff, vote=s.vote, marks=marks(s.options, "for", "for", "for", "against")
    )
    assert (valid1, valid2) == (True, False)
    # and no third paper ballot can be entered: two were handed out
    with pytest.raises(DomainError) as exc:
        vs.paper_ballot_enter(actor=staff, vote=s.vote, marks=marks(s.options, *["for"] * 4))
    assert code_of(exc) == "too_many_paper"
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    t = vs.count(vote)
    assert (t.ballots, t.invalid) == (2, 1)
    assert t.by_option()[int(s.options[2])].counts == {"for": 0, "against": 1, "abstain": 0}
    assert sorted(sel.receipts_of(vote)) == sorted([code1, code2])
    assert [(b.channel, b.valid) for b in sel.ballots_of(vote)].count(("paper", False)) == 1
    assert (vote.voted_count, Ballot.objects.filter(vote=vote).count()) == (2, 2)


def test_the_result_recounts_and_a_boundary_tie_goes_to_a_runoff(demo, users, county):
    staff = users["staff"]
    # given 28 deputies, quota 2: A gets 20 "for", B and C 15 each, D 3
    s = session_vote(congress=county, staff=staff)
    plan = {"A": 20, "B": 15, "C": 15, "D": 3}
    for i, d in enumerate(s.deputies[:20]):
        choices = ["for" if i < plan[name] else "against" for name in ("A", "B", "C", "D")]
        if i >= 15:
            choices[1] = choices[2] = "abstain"
        vs.ballot_cast(vote=s.vote, marks=marks(s.options, *choices), credential=s.codes[d])
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    # then the stored result is what a recount of the published ballots gives
    stored = {r.option_id: r for r in sel.results_of(vote)}
    recount = vs.count(vote)
    for row in recount.rows:
        r = stored[row.option_id]
        assert (r.counts, r.rank, r.passed, r.selected, r.tied, r.grade) == (
            row.counts,
            row.rank,
            row.passed,
            row.selected,
            row.tied,
            row.grade,
        )
    a, b, c, d = (stored[int(pk)] for pk in s.options)
    assert a.selected and a.rank == 1
    assert b.passed and c.passed and b.tied and c.tied and not b.selected
    assert not d.passed
    assert recount.runoff_seats == 1
    # when the staff run off the tie: a new round of B and C for one seat, same register
    runoff = vs.vote_runoff(actor=staff, vote=vote)
    assert runoff.round == 2 and runoff.quota == 1 and runoff.runoff_of == vote
    assert list(runoff.options.values_list("label", flat=True)) == ["项目2", "项目3"]
    assert runoff.voters.count() == 28 and runoff.voters.filter(present=True).count() == 28
    with pytest.raises(DomainError) as exc:
        vs.vote_runoff(actor=staff, vote=vote)
    assert code_of(exc) == "no_runoff"
    codes = vs.credentials_issue(actor=staff, vote=runoff, deputy_ids=s.deputies)
    vs.vote_open(actor=staff, vote=runoff)
    ro = [str(pk) for pk in runoff.options.values_list("pk", flat=True)]
    for i, d in enumerate(s.deputies[:9]):
        choice = ("for", "against") if i < 5 else ("against", "for")
        vs.ballot_cast(vote=runoff, marks=marks(ro, *choice), credential=codes[d])
    runoff = vs.vote_close(actor=staff, vote=runoff, on=SESSION_DAY.date())
    # then B takes the seat with 5 "for" (the majority was reached in the first round)
    won = {r.option.label: r.selected for r in sel.results_of(runoff)}
    assert won == {"项目2": True, "项目3": False}


def test_no_runoff_without_a_tie(demo, users, county):
    s = session_vote(congress=county, staff=users["staff"])
    vote = vs.vote_close(actor=users["staff"], vote=s.vote, on=SESSION_DAY.date())
    with pytest.raises(DomainError) as exc:
        vs.vote_runoff(actor=users["staff"], vote=vote)
    assert code_of(exc) == "no_runoff"
    assert not Result.objects.filter(vote=vote, selected=True).exists()


def test_the_deputies_who_voted_are_credited_once_and_the_others_not(demo, users, county):
    staff = users["staff"]
    catalog_install_default(congress=county, year=2027, actor=staff)
    s = session_vote(congress=county, staff=staff)
    voted = s.deputies[:6]
    for d in voted:
        vs.ballot_cast(vote=s.vote, marks=marks(s.options, *["for"] * 4), credential=s.codes[d])
    # nothing is credited while the vote is open: a credit's time would date the ballot
    assert not PointEntry.objects.filter(item__auto_event=AutoEvent.VOTE_CAST).exists()
    vote = vs.vote_close(actor=staff, vote=s.vote, on=date(2027, 3, 1))
    entries = PointEntry.objects.filter(item__auto_event=AutoEvent.VOTE_CAST)
    assert sorted(entries.values_list("deputy_id", flat=True)) == sorted(voted)
    assert all(e.source_key == f"vote_cast:{vote.pk}:{e.deputy_id}" for e in entries)


def test_rating_votes_grade_every_project(demo, users, county):
    staff = users["staff"]
    s = session_vote(congress=county, staff=staff, method="rate", n_options=3, quota=None)
    # of 28 deputies, 20 vote: 14 satisfied with the first (half), 10 + 4 basic with the
    # second, 5 basic with the third
    for i, d in enumerate(s.deputies[:20]):
        first = "satisfied" if i < 14 else "dissatisfied"
        second = "satisfied" if i < 10 else ("basic" if i < 14 else "dissatisfied")
        vs.ballot_cast(
            vote=s.vote,
            marks=marks(s.options, first, second, "basic" if i < 5 else "dissatisfied"),
            credential=s.codes[d],
        )
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    assert [r.grade for r in sel.results_of(vote)] == ["satisfied", "basic", "dissatisfied"]


def test_a_printed_code_stays_good_until_staff_replace_a_lost_slip(demo, users, county):
    staff = users["staff"]
    s = session_vote(congress=county, staff=staff, credentials=False)
    first = vs.credentials_issue(actor=staff, vote=s.vote, deputy_ids=s.deputies[:2])
    # when staff print again for the same deputies and one more
    again = vs.credentials_issue(actor=staff, vote=s.vote, deputy_ids=s.deputies[:3])
    # then only the new deputy gets a code, and the slips handed out still work
    assert set(again) == {s.deputies[2]}
    good = marks(s.options, "for", "for", "against", "against")
    assert vs.ballot_cast(vote=s.vote, marks=good, credential=first[s.deputies[0]])
    # when a slip is lost and staff replace it, the old code stops working, the new one votes
    new = vs.credentials_issue(actor=staff, vote=s.vote, deputy_ids=[s.deputies[1]], replace=True)
    with pytest.raises(DomainError) as exc:
        vs.ballot_cast(vote=s.vote, marks=good, credential=first[s.deputies[1]])
    assert code_of(exc) == "bad_credential"
    assert vs.ballot_cast(vote=s.vote, marks=good, credential=new[s.deputies[1]])
