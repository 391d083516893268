"""The demo's livelihood projects: on whatever day the demo starts (the suite runs at several
pinned clocks), the county has a past year rated, a current year in implementation and next
year in collection, and the township's session vote can be run from its register to a result
that a deputy verifies with their receipt. The seed runs once per module, as `make demo` does."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lianluo.core.models import Congress, User
from lianluo.demo.seed import seed_demo
from lianluo.demo.seed.projects import demo_years, township_session
from lianluo.projects.cadence import steps_missed
from lianluo.projects.models import (
    MemberStatus,
    Photo,
    Progress,
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Record,
    Slate,
)
from lianluo.projects.selectors.collection import window_open_for
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Channel, Receipt, Result, Status, Vote, Voter


@pytest.fixture(scope="module")
def _story(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, seeded once for the module on the run's clock, rolled back after it."""
    data = tmp_path_factory.mktemp("demo-data")
    storages = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(data / "private"), "base_url": None},
        },
    }
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            DATA_DIR=data,
            STORAGES=storages,
            LIANLUO_OUTBOX_MODE="sync",
        ),
    ):
        ctx = seed_demo(cases=12)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def story(_story, db):
    return _story


def _years(story):
    return demo_years(story["today"])


def test_the_past_year_is_rated_and_its_dissatisfied_project_carried(story):
    county, y = story["county_congress"], _years(story)

    # the past year's session approved five of six, all five completed and rated
    past = Project.objects.filter(congress=county, year=y.past)
    assert Counter(past.values_list("status", flat=True)) == {"evaluated": 5, "not_approved": 1}
    grades = Counter(past.exclude(grade="").values_list("grade", flat=True))
    assert grades == {"satisfied": 3, "basic": 1, "dissatisfied": 1}
    slate = Slate.objects.get(congress=county, year=y.past)
    assert slate.satisfaction_vote is not None
    assert slate.satisfaction_vote.status == Status.CLOSED

    # the 不满意 one has its rectification list, reported, and is supervised again this year
    bad = past.get(grade="dissatisfied")
    assert bad.rectification.problems and bad.rectification.reported_to == "县人大常委会"
    carried = Project.objects.get(carried_from=bad)
    assert (carried.year, carried.status) == (y.current, ProjectStatus.APPROVED)


def test_this_years_projects_were_voted_and_are_in_implementation(story):
    county, y = story["county_congress"], _years(story)
    today = timezone.localdate()

    # the slate: 8 candidates, 6 to approve, voted and published
    slate = Slate.objects.get(congress=county, year=y.current)
    assert (slate.quota, slate.approved_by) == (6, "县人民代表大会主席团")
    vote = slate.vote
    assert vote is not None and vote.status == Status.CLOSED
    on_slate = Counter(slate.projects.values_list("status", flat=True))
    assert on_slate == {"approved": 6, "not_approved": 2}
    # as many ballots as receipts as deputies who voted, two of them on paper
    assert vote.ballots.count() == vote.receipts.count() == vote.voted_count > 20
    assert vote.ballots.filter(channel=Channel.PAPER).count() == 2
    assert Result.objects.filter(vote=vote, selected=True).count() == 6

    # each project in implementation (the carried one too): plan, progress, a group of 3-5
    projects = list(Project.objects.filter(congress=county, year=y.current, status="approved"))
    assert len(projects) == 7
    for project in projects:
        assert project.plan.department_id
        assert Progress.objects.filter(project=project, reported_on__lte=today).exists()
        assert 3 <= project.members.filter(status=MemberStatus.CONFIRMED).count() <= 5
        assert project.milestones.count() == 3
    assert Photo.objects.filter(progress__project__in=projects).count() >= 2
    assert Record.objects.filter(project__in=projects).exists()
    # the cadence is kept but for one recent step: one red flag
    missed = [s for p in projects for s in steps_missed(p, on=today)]
    assert len(missed) == 1


def test_next_year_is_in_collection(story):
    county, y = story["county_congress"], _years(story)

    window = window_open_for(congress=county)
    assert window is not None and window.year == y.next
    proposals = Proposal.objects.filter(congress=county, year=y.next)
    sources = set(proposals.values_list("source", flat=True))
    assert {"citizen", "deputy", "department"} <= sources
    assert proposals.filter(status=ProposalStatus.MERGED).exists()
    pool = Project.objects.filter(congress=county, year=y.next, status=ProjectStatus.POOL)
    assert pool.count() >= 2 and all(p.tags and p.estimated_cost for p in pool)


def test_a_second_run_adds_nothing_and_changes_nothing(story):
    def snapshot():
        return (
            list(Project.objects.order_by("pk").values_list("pk", "status", "grade", "year")),
            list(Vote.objects.order_by("pk").values_list("pk", "status", "voted_count")),
            Proposal.objects.count(),
            Progress.objects.count(),
            Record.objects.count(),
            Ballot.objects.count(),
            Receipt.objects.count(),
            Voter.objects.count(),
        )

    before = snapshot()
    seed_demo(cases=12)
    assert snapshot() == before


def test_the_township_session_vote_runs_from_the_register_to_a_verified_receipt(story):
    staff = User.objects.get(username="staff")

    # given the vote the demo prints: prepared, its register filled, nobody present yet
    session = township_session()
    assert session is not None and len(session.logins) == 3
    vote = session.vote
    township = Congress.objects.get(area=story["townships"][0])
    assert (vote.congress_id, vote.status) == (township.pk, Status.DRAFT)
    register = list(vote.voters.values_list("deputy_id", flat=True))
    assert len(register) == len(vs.entitled_deputies(township)) > 5
    assert not vote.voters.filter(present=True).exists()
    staff_client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    staff_client.force_login(staff)
    assert staff_client.get(reverse("voting:run", args=[vote.pk])).status_code == 200

    # when staff mark everyone present and open it, the printed deputies vote on their phones
    # and the others on the session's device, and staff close it
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=register)
    vote = vs.vote_open(actor=staff, vote=vote)
    options = [str(o.pk) for o in vote.options.order_by("position")]
    assert len(options) == 5 and vote.quota == 3
    marks = dict(zip(options, ["for", "for", "for", "against", "abstain"], strict=True))
    receipts = {}
    for username in session.logins:
        user = User.objects.get(username=username)
        receipts[username] = vs.ballot_cast(vote=vote, marks=marks, user=user)
    rest = list(vote.voters.filter(voted=False).values_list("deputy_id", flat=True))
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=rest)
    for code in codes.values():
        vs.ballot_cast(vote=vote, marks=marks, credential=code)
    vote = vs.vote_close(actor=staff, vote=vote)

    # then the result is published: the first three approved
    selected = Result.objects.filter(vote=vote, selected=True).values_list("option_id", flat=True)
    assert sorted(str(pk) for pk in selected) == sorted(options[:3])
    approved = Project.objects.filter(slate__vote=vote, status=ProjectStatus.APPROVED)
    assert approved.count() == 3
    # and a deputy finds their receipt in the published list
    page = Client().get(reverse("voting:receipts", args=[vote.pk])).content.decode()
    code = receipts[session.logins[0]]
    assert code in page or code.replace("-", "") in page.replace("-", "")
    assert township_session() is None  # nothing left to run


def test_the_countys_public_pages_show_this_years_progress_and_last_years_grades(story):
    county, y = story["county_congress"], _years(story)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")

    now = client.get(reverse("projects:public_year", args=[county.pk, y.current]))
    assert now.status_code == 200
    page = now.content.decode()
    latest = Progress.objects.filter(
        project__slate__congress=county, project__slate__year=y.current
    ).first()
    assert latest is not None
    assert latest.project.title in page
    assert f"{latest.percent}%" in page.replace(" %", "%")

    before = client.get(reverse("projects:public_year", args=[county.pk, y.past]))
    page = before.content.decode()
    assert "不满意" in page and "基本满意" in page
    # and the 不满意 project's page its rectification list, reported to the standing committee
    bad = Project.objects.get(congress=county, year=y.past, grade="dissatisfied")
    page = client.get(reverse("projects:public_project", args=[bad.pk])).content.decode()
    assert bad.rectification.problems in page and "县人大常委会" in page
