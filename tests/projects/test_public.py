"""The public pages of a congress's livelihood projects: what appears at each stage of the loop,
and what never does (citizens' names and phones, an open vote's partial counts, a draft list)."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse

from lianluo.projects.models import Photo
from lianluo.voting import services as vs
from tests.projects.public_loop import (
    CITIZEN_NAME,
    CITIZEN_PHONE,
    TITLES,
    YEAR,
    _cast_all,
    build,
)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def photos(tmp_path, monkeypatch):
    field = Photo._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def _get(url: str, language: str = "zh-hans", user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client.get(url)


def year_url(loop) -> str:
    return reverse("projects:public_year", args=[loop.congress.pk, YEAR])


def test_nothing_public_is_404_and_not_listed(demo):
    congress = demo["county_congress"]
    assert _get(reverse("projects:public_year", args=[congress.pk, YEAR])).status_code == 404
    page = _get(reverse("projects:public_index"))
    assert page.status_code == 200
    assert congress.name not in page.content.decode()


def test_collection_stage_shows_window_and_counts_by_source_only(demo, users):
    loop = build(demo, users["staff"], "window")
    index = _get(reverse("projects:public_index")).content.decode()
    assert loop.congress.name in index and year_url(loop) in index
    page = _get(year_url(loop))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2025-10-01" in html and "2025-11-30" in html
    count = html.split('data-testid="proposal-count">')[1].split("</dd>")[0]
    assert count.startswith("4") and "群众 2" in count and "代表 1" in count
    # Never the citizen's name, phone or the text of a proposal; no candidates yet.
    for secret in (CITIZEN_NAME, CITIZEN_PHONE, "私人信息"):
        assert secret not in html
    assert "候选项目名单尚未公布" in html
    assert TITLES[0] not in html


def test_draft_slate_is_not_shown(demo, users):
    loop = build(demo, users["staff"], "slate_draft")
    html = _get(year_url(loop)).content.decode()
    assert TITLES[0] not in html
    assert _get(reverse("projects:public_project", args=[loop.projects[0].pk])).status_code == 404


def test_published_slate_shows_candidates_without_counts(demo, users):
    loop = build(demo, users["staff"], "slate")
    html = _get(year_url(loop)).content.decode()
    assert html.count('data-testid="candidate"') == 3
    for title in TITLES:
        assert title in html
    assert "县人大常委会主任会议" in html and "120.50" in html
    assert "县住建局" in html or demo["departments"][0].name in html
    assert "2026年11月底" in html
    assert 'class="pp-counts"' not in html
    page = _get(reverse("projects:public_project", args=[loop.projects[0].pk])).content.decode()
    assert "群众 2" in page and CITIZEN_NAME not in page and CITIZEN_PHONE not in page
    assert "投票尚未进行" in page


def test_open_vote_shows_no_partial_counts(demo, users):
    loop = build(demo, users["staff"], "voting")
    assert loop.vote.status == "open" and loop.vote.ballots.count() > 0
    html = _get(year_url(loop)).content.decode()
    assert 'data-testid="vote-open"' in html
    assert 'class="pp-counts"' not in html and "赞成" not in html
    page = _get(reverse("projects:public_project", args=[loop.projects[0].pk])).content.decode()
    assert 'class="pp-counts"' not in page and "代表们正在投票" in page


def test_closed_vote_shows_counts_ranking_and_approval(demo, users):
    loop = build(demo, users["staff"], "voted")
    n = loop.vote.voted_count
    html = _get(year_url(loop)).content.decode()
    assert f"赞成 <strong>{n}</strong>" in html
    assert html.count("pp-state ok") == 2 and html.count("pp-state no") == 1
    assert "按赞成票排名第 1" in html
    # Ranked: the two approved first, the rejected one last.
    assert html.index(TITLES[2]) > html.index(TITLES[0])
    rejected = _get(reverse("projects:public_project", args=[loop.projects[2].pk])).content
    assert f"反对 <strong>{n}</strong>".encode() in rejected
    assert b'data-testid="plan"' not in rejected  # no implementation for a rejected one


def test_implementation_shows_plan_progress_photos_and_group_names_only(demo, users, photos):
    loop = build(demo, users["staff"], "implementing")
    project = loop.projects[0]
    html = _get(reverse("projects:public_project", args=[project.pk])).content.decode()
    assert "118.00" in html and "2026-03-01" in html and "完成招标" in html
    assert "80% done" not in html and "截至 2026-09-30 已完成 80%" in html
    assert "完成招标，开工建设" in html and "主体工程完工" in html
    photo_url = reverse("projects:public_photo", args=[loop.photo.pk])
    assert photo_url in html
    deputies = demo["deputies"]
    for d in deputies[:3]:
        assert d.name in html
    assert deputies[5].name not in html  # proposed, not confirmed
    assert "2026-06-15" in html and "(2026-06)" in html  # the cadence step done
    assert "施工噪音扰民" not in html  # the record's findings stay with staff and the report
    photo = _get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_photo_of_a_project_not_published_is_404(demo, users, photos):
    loop = build(demo, users["staff"], "implementing")
    loop.slate.vote = None
    loop.slate.approved_by = ""
    loop.slate.save()
    assert _get(reverse("projects:public_photo", args=[loop.photo.pk])).status_code == 404


def test_rated_year_shows_grades_and_rectification(demo, users, photos):
    loop = build(demo, users["staff"], "rated")
    n = loop.satisfaction.voted_count
    html = _get(year_url(loop)).content.decode()
    assert 'data-testid="satisfaction"' in html
    assert f"满意 <strong>{n}</strong>" in html
    bad = _get(reverse("projects:public_project", args=[loop.projects[1].pk])).content.decode()
    assert 'data-testid="grade">不满意' in bad
    assert "路面质量不达标" in bad and "返工重铺" in bad and "县交通运输局负主要责任" in bad
    assert 'data-testid="rect-open"' in bad
    good = _get(reverse("projects:public_project", args=[loop.projects[0].pk])).content.decode()
    assert 'data-testid="grade">满意' in good and 'data-testid="rectification"' not in good


def test_english_page_is_complete(demo, users, photos):
    loop = build(demo, users["staff"], "rated")
    html = _get(year_url(loop), language="en").content.decode()
    assert "Livelihood projects of 2026" in html and "Candidates" in html
    assert "Year-end satisfaction" in html and "ranked 1 by votes for" in html
    page = _get(reverse("projects:public_project", args=[loop.projects[1].pk]), "en")
    text = page.content.decode()
    assert "Rectification" in text and "Supervision by the deputies" in text


def test_report_links_only_for_staff_and_leaders(demo, users):
    loop = build(demo, users["staff"], "slate")
    pdf = reverse("projects:report_pdf", args=[loop.congress.pk, YEAR])
    assert pdf not in _get(year_url(loop)).content.decode()
    assert pdf not in _get(year_url(loop), user=users["deputy"]).content.decode()
    assert pdf in _get(year_url(loop), user=users["leader"]).content.decode()


def test_runoff_counts_appear_only_when_the_runoff_closes(demo, users):
    staff = users["staff"]
    loop = build(demo, staff, "slate")
    a, b, c = (p.pk for p in loop.projects)
    vote = vs.vote_create(
        actor=staff,
        kind="session",
        method="approve",
        congress=loop.congress,
        year=YEAR,
        title="票决",
        options=[
            vs.OptionSpec(label=p.title, subject_type="projects.project", subject_id=p.pk)
            for p in loop.projects
        ],
        quota=1,
        max_for=2,
    )
    loop.slate.vote = vote
    loop.slate.save()
    vote = _cast_all(staff, vote, {a: "for", b: "for", c: "against"}, close=True)
    runoff = vs.vote_runoff(actor=staff, vote=vote)
    html = _get(year_url(loop)).content.decode()
    assert 'data-testid="runoff-open"' in html and "票数相同" in html
    assert "第 2 轮" not in html
    runoff = _cast_all(staff, runoff, {a: "for", b: "against"}, close=True)
    html = _get(year_url(loop)).content.decode()
    assert 'data-testid="runoff-open"' not in html
    assert "第 2 轮" in html
    page = _get(reverse("projects:public_project", args=[b])).content.decode()
    assert "第 2 轮" in page and 'pp-state no">未通过' in page


def test_year_page_queries_do_not_grow_with_projects(demo, users, photos):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lianluo.projects.models import Member, MemberStatus, Progress, Project, ProjectStatus

    loop = build(demo, users["staff"], "rated")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _get(url).status_code == 200
        return len(ctx.captured_queries)

    project_url = reverse("projects:public_project", args=[loop.projects[0].pk])
    before = queries(year_url(loop)), queries(project_url)
    extra = Project.objects.create(
        congress=loop.congress,
        year=YEAR,
        title="新增项目",
        content="内容",
        slate=loop.slate,
        status=ProjectStatus.APPROVED,
    )
    Progress.objects.create(project=extra, reported_on=loop.slate.approved_on, percent=10, text="x")
    for deputy in demo["deputies"][:3]:
        Member.objects.create(project=extra, deputy=deputy, status=MemberStatus.CONFIRMED)
    assert (queries(year_url(loop)), queries(project_url)) == before
