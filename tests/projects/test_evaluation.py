from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.projects.models import Grade, MemberStatus, Project, ProjectStatus, Slate
from lianluo.projects.services.evaluation import (
    rectification_done,
    rectification_report,
    rectification_write,
    satisfaction_create,
)
from lianluo.projects.services.implementation import completion_report
from lianluo.voting.models import Kind, Method
from lianluo.voting.services import ballot_cast, credentials_issue, vote_close, vote_open
from tests.projects.supervise_helpers import (
    approved_project,
    county_deputies,
    with_group,
    with_plan,
)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _year(demo, users, *, rectify_below_pct=None):
    Slate.objects.create(
        congress=demo["county_congress"],
        year=2026,
        approved_by="主席团",
        approved_on=date(2026, 1, 10),
        quota=3,
        rectify_below_pct=rectify_below_pct,
    )
    deputies = county_deputies(demo)
    projects = []
    for title in ("道路改造", "学校食堂", "农贸市场"):
        p = with_group(
            with_plan(approved_project(demo, title=title), demo, users),
            users,
            deputies[:3],
            leader=deputies[1],
        )
        projects.append(p)
    return projects, deputies


def _complete(projects, users):
    for p in projects:
        completion_report(
            actor=users["staff"], project=p, completed_on=date(2026, 11, 30), report="已完工"
        )


def test_the_vote_waits_for_the_governments_report(demo, users):
    projects, _deputies = _year(demo, users)
    with pytest.raises(DomainError) as exc:
        satisfaction_create(actor=users["staff"], congress=demo["county_congress"], year=2026)
    assert "道路改造" in str(exc.value.message)
    _complete(projects, users)
    with pytest.raises(Forbidden):
        satisfaction_create(actor=users["leader"], congress=demo["county_congress"], year=2026)
    vote = satisfaction_create(actor=users["staff"], congress=demo["county_congress"], year=2026)
    assert (vote.kind, vote.method) == (Kind.SATISFACTION, Method.RATE)
    assert sorted(vote.options.values_list("subject_id", flat=True)) == sorted(
        p.pk for p in projects
    )
    assert set(vote.options.values_list("subject_type", flat=True)) == {"projects.project"}
    with pytest.raises(Conflict):
        satisfaction_create(actor=users["staff"], congress=demo["county_congress"], year=2026)


def test_closing_grades_rectifies_and_carries_into_next_year(demo, users):
    projects, deputies = _year(demo, users, rectify_below_pct=99)
    road, school, market = projects
    _complete(projects, users)
    vote = satisfaction_create(actor=users["staff"], congress=demo["county_congress"], year=2026)
    options = {o.subject_id: o.pk for o in vote.options.all()}
    n = len(deputies)
    codes = credentials_issue(actor=users["staff"], vote=vote, deputy_ids=[d.pk for d in deputies])
    vote = vote_open(actor=users["staff"], vote=vote)
    for i, d in enumerate(deputies):
        # road: everyone satisfied; school: basically satisfied for all but one
        # (so under 99 % good marks); market: dissatisfied.
        marks = {
            options[road.pk]: "satisfied",
            options[school.pk]: "basic" if i else "dissatisfied",
            options[market.pk]: "dissatisfied",
        }
        ballot_cast(vote=vote, marks=marks, credential=codes[d.pk])
    assert n >= 10
    vote_close(actor=users["staff"], vote=vote, on=date(2026, 12, 20))
    road, school, market = (Project.objects.get(pk=p.pk) for p in projects)
    assert [p.status for p in (road, school, market)] == [ProjectStatus.EVALUATED] * 3
    assert (road.grade, school.grade, market.grade) == (
        Grade.SATISFIED,
        Grade.BASIC,
        Grade.DISSATISFIED,
    )
    assert not hasattr(road, "rectification") or road.rectification is None
    assert market.rectification is not None and school.rectification is not None
    carried = Project.objects.get(carried_from=market)
    assert (carried.year, carried.status) == (2027, ProjectStatus.APPROVED)
    assert carried.department == demo["departments"][0]
    group = carried.members.filter(status=MemberStatus.CONFIRMED)
    assert sorted(group.values_list("deputy_id", flat=True)) == sorted(d.pk for d in deputies[:3])
    assert group.get(leader=True).deputy == deputies[1]
    assert not Project.objects.filter(carried_from=road).exists()

    with pytest.raises(Conflict):
        rectification_report(
            actor=users["staff"], project=market, reported_to="常委会", reported_on=date(2027, 1, 5)
        )
    rectification_write(
        actor=users["staff"],
        project=market,
        problems="摊位不足",
        responsibilities="县商务局",
        corrections="增设摊位",
        deadline=date(2027, 6, 30),
    )
    rectification_report(
        actor=users["staff"], project=market, reported_to="常委会", reported_on=date(2027, 1, 5)
    )
    done = rectification_done(actor=users["staff"], project=market, done_on=date(2027, 6, 1))
    assert (done.reported_to, done.done_on) == ("常委会", date(2027, 6, 1))
    client = Client()
    client.force_login(users["staff"])
    page = client.get(f"/projects/p/{market.pk}/").content.decode()
    assert "摊位不足" in page and f"/projects/p/{carried.pk}/" in page
    assert f'data-testid="grade">{market.get_grade_display()}<' in page


def test_satisfaction_page_creates_the_vote(demo, users):
    projects, _deputies = _year(demo, users)
    _complete(projects, users)
    client = Client()
    client.force_login(users["staff"])
    url = f"/projects/{demo['county_congress'].pk}/2026/satisfaction/"
    assert "道路改造" in client.get(url).content.decode()
    response = client.post(url, {"title": ""})
    assert response.status_code == 302
    slate = Slate.objects.get(congress=demo["county_congress"], year=2026)
    assert slate.satisfaction_vote is not None
    other = Client()
    other.force_login(users["deputy"])
    assert other.get(url).status_code == 403
