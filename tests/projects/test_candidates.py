"""The slate of candidates and the session vote's result on the projects: the list needs more
candidates than the quota, refusals are shown on the page in Chinese, the winners within the
quota are approved, and a tie at the boundary waits for the run-off."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import AuditLog
from lianluo.projects.models import Project, ProjectStatus
from lianluo.projects.services.candidates import (
    candidate_fill,
    candidates_pick,
    slate_save,
    slate_vote_create,
)
from lianluo.voting import services as vs
from lianluo.voting.models import Vote

YEAR = 2027


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def pool(congress, n: int) -> list[Project]:
    return [
        Project.objects.create(
            congress=congress, year=YEAR, title=f"项目{i}", content=f"内容{i}", estimated_cost=10
        )
        for i in range(1, n + 1)
    ]


def slate_with(staff, congress, n: int, quota: int):
    slate = slate_save(
        actor=staff,
        congress=congress,
        year=YEAR,
        approved_by="大会主席团",
        approved_on=date(YEAR, 1, 10),
        quota=quota,
    )
    projects = pool(congress, n)
    candidates_pick(actor=staff, slate=slate, project_ids=[p.pk for p in projects])
    for p in projects:
        candidate_fill(
            actor=staff,
            slate=slate,
            project_id=p.pk,
            title=p.title,
            content=p.content,
            investment=Decimal("88.00"),
            expected_effect="",
            department=None,
            completion="年底前",
            completion_due=None,
            presentation="",
        )
    return slate, projects


def run_vote(staff, vote: Vote, ballots: list[list[str]]) -> Vote:
    """Everyone on the register present, the given ballots cast with codes, then closed."""
    ids = list(vote.voters.values_list("deputy_id", flat=True))
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
    vs.vote_open(actor=staff, vote=vote)
    options = [str(pk) for pk in vote.options.order_by("position").values_list("pk", flat=True)]
    for deputy_id, marks in zip(ids, ballots, strict=False):
        vs.ballot_cast(
            vote=vote, marks=dict(zip(options, marks, strict=False)), credential=codes[deputy_id]
        )
    return vs.vote_close(actor=staff, vote=vote)


def test_the_list_needs_more_candidates_than_the_quota(demo, users):
    slate, _projects = slate_with(users["staff"], demo["county_congress"], 2, quota=2)
    with pytest.raises(DomainError) as refused:
        slate_vote_create(actor=users["staff"], slate=slate)
    assert refused.value.code == "too_few_candidates"
    assert slate.vote_id is None


def test_only_the_congress_staff_build_the_list(demo, users):
    with pytest.raises(Forbidden):
        slate_save(
            actor=users["liaison"],
            congress=demo["county_congress"],
            year=YEAR,
            approved_by="x",
            approved_on=date(YEAR, 1, 1),
            quota=1,
        )


def test_the_slate_page_shows_a_refusal_at_its_form_in_chinese(demo, users):
    congress = demo["county_congress"]
    slate_with(users["staff"], congress, 2, quota=2)
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(users["staff"])
    r = c.post(
        reverse("projects:slate", args=[congress.pk, YEAR]), {"action": "vote", "vote-base": "all"}
    )
    page = r.content.decode()
    assert r.status_code == 200
    form = page.split('data-testid="vote-form"')[1]
    assert "候选项目数须多于拟通过项目数（2个），目前只有2个。" in form.split("</form>")[0]


def test_winners_within_the_quota_are_approved_and_the_list_is_frozen(demo, users):
    staff = users["staff"]
    slate, projects = slate_with(staff, demo["county_congress"], 3, quota=1)
    vote = slate_vote_create(actor=staff, slate=slate)
    n = vote.voters.count()
    # everyone votes for the first; the second gets the "for" of all but one
    ballots = [["for", "against", "against"]] * n
    run_vote(staff, vote, ballots)
    status = dict(Project.objects.filter(slate=slate).values_list("pk", "status"))
    assert status[projects[0].pk] == ProjectStatus.APPROVED
    assert status[projects[1].pk] == ProjectStatus.NOT_APPROVED
    assert Project.objects.get(pk=projects[0].pk).votes_for == n
    assert AuditLog.objects.filter(verb="project.approved", target_id=str(projects[0].pk)).exists()
    with pytest.raises(Conflict):
        candidates_pick(actor=staff, slate=slate, project_ids=[projects[0].pk])


def cast_all(staff, vote: Vote, ids: list[int], ballots: list[list[str]]) -> None:
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
    opts = [str(pk) for pk in vote.options.order_by("position").values_list("pk", flat=True)]
    for d, marks in zip(ids, ballots, strict=True):
        vs.ballot_cast(vote=vote, marks=dict(zip(opts, marks, strict=False)), credential=codes[d])


def test_a_tie_at_the_boundary_waits_for_the_run_off_which_decides(demo, users):
    staff = users["staff"]
    slate, (a, b, c) = slate_with(staff, demo["county_congress"], 3, quota=2)
    vote = slate_vote_create(actor=staff, slate=slate, base="present")
    ids = list(vote.voters.order_by("pk").values_list("deputy_id", flat=True))[:5]
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
    vs.vote_open(actor=staff, vote=vote)
    # 5 present: A 4 for, B 3, C 3 (all more than half): A is in, B and C tie for one seat
    cast_all(
        staff,
        vote,
        ids,
        [
            ["for", "for", "against"],
            ["for", "for", "against"],
            ["for", "against", "for"],
            ["for", "against", "for"],
            ["against", "for", "for"],
        ],
    )
    vote = vs.vote_close(actor=staff, vote=vote)
    status = dict(Project.objects.filter(slate=slate).values_list("pk", "status"))
    assert status == {
        a.pk: ProjectStatus.APPROVED,
        b.pk: ProjectStatus.CANDIDATE,
        c.pk: ProjectStatus.CANDIDATE,
    }

    # The run-off among B and C for the one seat left: B wins 3 to 2
    runoff = vs.vote_runoff(actor=staff, vote=vote)
    assert sorted(runoff.options.values_list("subject_id", flat=True)) == [b.pk, c.pk]
    vs.vote_open(actor=staff, vote=runoff)
    cast_all(
        staff,
        runoff,
        ids,
        [
            ["for", "against"],
            ["for", "against"],
            ["for", "against"],
            ["against", "for"],
            ["against", "for"],
        ],
    )
    vs.vote_close(actor=staff, vote=runoff)
    status = dict(Project.objects.filter(slate=slate).values_list("pk", "status"))
    assert status[b.pk] == ProjectStatus.APPROVED
    assert status[c.pk] == ProjectStatus.NOT_APPROVED
    # votes for stay those of the first round, where every candidate was voted on
    assert Project.objects.get(pk=b.pk).votes_for == 3
