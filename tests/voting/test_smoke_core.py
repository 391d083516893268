"""A first run of the voting core end to end (the full tests live beside it)."""

from __future__ import annotations

import pytest

from lianluo.deputies.models import Deputy
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt, Result, Status, Voter


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def test_session_vote_runs_and_counts(demo, users):
    congress = demo["county_congress"]
    staff = users["staff"]
    vote = vs.vote_create(
        actor=staff,
        kind="session",
        method="approve",
        congress=congress,
        year=2027,
        title="2027 民生实事项目票决",
        options=[vs.OptionSpec(label=f"项目{i}") for i in range(1, 5)],
        quota=2,
        max_for=2,
    )
    voters = list(Voter.objects.filter(vote=vote).select_related("deputy"))
    assert len(voters) >= 5
    ids = [v.deputy_id for v in voters]
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
    vs.vote_open(actor=staff, vote=vote)
    opts = [str(o.pk) for o in vote.options.order_by("position")]
    receipts = []
    for dep in ids:
        marks = {opts[0]: "for", opts[1]: "for", opts[2]: "against", opts[3]: "abstain"}
        receipts.append(vs.ballot_cast(vote=vote, marks=marks, credential=codes[dep]))
    with pytest.raises(Exception):
        vs.ballot_cast(vote=vote, marks=marks, credential=codes[ids[0]])
    vote = vs.vote_close(actor=staff, vote=vote)
    assert vote.status == Status.CLOSED
    assert Ballot.objects.filter(vote=vote).count() == len(ids)
    assert sorted(Receipt.objects.filter(vote=vote).values_list("code", flat=True)) == sorted(receipts)
    res = {r.option.label: r for r in Result.objects.filter(vote=vote).select_related("option")}
    assert res["项目1"].selected and res["项目2"].selected and not res["项目3"].passed
    assert vs.count(vote).by_option()[int(opts[0])].counts["for"] == len(ids)
    assert Deputy.objects.filter(pk__in=ids).count() == len(ids)
