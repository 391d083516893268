"""The session vote run through the pages, as the people at the session do it: staff build the
slate and open the vote, mark presence and print a code for the shared device; deputies vote on
their phones and one on the device; a teller enters a paper ballot; staff close; the public
result shows the counts and a deputy finds their receipt in the list. Refusals are read in
Chinese where the user looks."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lianluo.demo.seed.base import demo_deputy_login
from lianluo.projects.models import Project, ProjectStatus, Slate
from lianluo.voting.models import Ballot, Receipt, Status, Vote, Voter

YEAR = 2027


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def client_for(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        c.force_login(user)
    return c


def text(response) -> str:
    return response.content.decode()


def pool(congress, n: int) -> list[Project]:
    """The year's reserve pool (a new project starts in the pool)."""
    return [
        Project.objects.create(
            congress=congress,
            year=YEAR,
            title=f"民生项目{i}",
            content=f"第{i}个项目的建设内容",
            estimated_cost=Decimal(100 * i),
        )
        for i in range(1, n + 1)
    ]


def build_slate(staff_client: Client, congress, projects: list[Project], quota: int) -> Vote:
    """Staff record the list, pick the candidates, fill their completion time, make the vote."""
    url = reverse("projects:slate", args=[congress.pk, YEAR])
    r = staff_client.post(
        url,
        {
            "action": "slate",
            "slate-approved_by": "大会主席团",
            "slate-approved_on": f"{YEAR}-01-10",
            "slate-quota": quota,
        },
    )
    assert r.status_code == 302
    r = staff_client.post(url, {"action": "pick", "pick-projects": [str(p.pk) for p in projects]})
    assert r.status_code == 302
    for p in projects:
        r = staff_client.post(
            reverse("projects:candidate", args=[congress.pk, YEAR, p.pk]),
            {
                "title": p.title,
                "content": p.content,
                "investment": "150.50",
                "completion": f"{YEAR}年底前",
            },
        )
        assert r.status_code == 302, text(r)
    r = staff_client.post(url, {"action": "vote", "vote-base": "all"})
    assert r.status_code == 302
    vote = Slate.objects.get(congress=congress, year=YEAR).vote
    assert vote is not None and r["Location"] == reverse("voting:run", args=[vote.pk])
    return vote


def marks_post(vote: Vote, choices: list[str], step: str) -> dict[str, str]:
    options = list(vote.options.order_by("position"))
    return {"step": step, **{f"o{o.pk}": c for o, c in zip(options, choices, strict=True)}}


def cast_on_phone(c: Client, vote: Vote, choices: list[str]) -> str:
    url = reverse("voting:ballot", args=[vote.pk])
    r = c.post(url, marks_post(vote, choices, "ballot"))
    assert 'data-testid="summary"' in text(r)  # the confirmation step
    r = c.post(url, marks_post(vote, choices, "cast"))
    assert r.status_code == 302 and r["Location"] == reverse("voting:receipt", args=[vote.pk])
    r = c.get(r["Location"])
    return re.search(r'data-testid="receipt">([^<]+)<', text(r)).group(1)


def test_the_session_vote_from_the_slate_to_the_published_result(demo, users):
    congress = demo["county_congress"]
    staff = client_for(users["staff"])
    projects = pool(congress, 4)

    # Given the slate of 4 candidates for 2 projects, and its vote
    vote = build_slate(staff, congress, projects, quota=2)
    run_url = reverse("voting:run", args=[vote.pk])
    register = list(Voter.objects.filter(vote=vote).order_by("deputy__name"))
    deputies = [v.deputy for v in register]
    page = text(staff.get(run_url))
    assert f'data-testid="entitled">{len(register)}<' in page
    assert "开始表决" in page

    # When staff mark everyone present but the last, and open the vote
    present = [d.pk for d in deputies[:-1]]
    staff.post(run_url, {"action": "presence", "deputy": [str(pk) for pk in present]})
    r = staff.post(run_url, {"action": "open"}, follow=True)
    assert "表决已开始" in text(r)
    assert f'data-testid="present">{len(present)}<' in text(r)
    vote.refresh_from_db()
    assert vote.status == Status.OPEN

    # Three deputies vote on their phones
    phones = [client_for(demo_deputy_login(d)) for d in deputies[:3]]
    receipts = [
        cast_on_phone(phones[0], vote, ["for", "for", "against", "abstain"]),
        cast_on_phone(phones[1], vote, ["for", "against", "for", "abstain"]),
        cast_on_phone(phones[2], vote, ["for", "for", "abstain", "against"]),
    ]
    # …and one of them cannot vote twice: the page says so
    again = text(phones[0].get(reverse("voting:ballot", args=[vote.pk])))
    assert "您的选票已投出" in again and "ballot-form" not in again

    # One deputy gets a slip with a code and votes on the shared device
    r = staff.post(reverse("voting:slips", args=[vote.pk]), {"deputy": [str(deputies[3].pk)]})
    code = re.search(r'data-testid="slip-code">([^<]+)<', text(r)).group(1)
    device = client_for()
    kiosk_url = reverse("voting:kiosk", args=[vote.pk])
    r = device.post(kiosk_url, {"step": "code", "code": code})
    assert 'data-testid="ballot-form"' in text(r)
    ballot = marks_post(vote, ["against", "for", "for", "against"], "ballot")
    r = device.post(kiosk_url, {**ballot, "code": code})
    assert "确认投票" in text(r)
    r = device.post(kiosk_url, {**ballot, "step": "cast", "code": code})
    r = device.get(r["Location"])
    receipts.append(re.search(r'data-testid="receipt">([^<]+)<', text(r)).group(1))
    assert "完成，下一位代表" in text(r)
    # the receipt is shown once: the next deputy at the device does not see it
    assert receipts[-1] not in text(device.get(reverse("voting:receipt", args=[vote.pk])))
    # the used code is refused at its field
    r = device.post(kiosk_url, {"step": "code", "code": code})
    assert re.search(r'data-field="code".*该投票码无效', text(r), re.S)

    # A teller hands a paper ballot to another deputy and enters it
    paper_url = reverse("voting:paper", args=[vote.pk])
    r = staff.post(paper_url, {"action": "issue", "issue-deputy": str(deputies[4].pk)})
    assert r.status_code == 302
    options = list(vote.options.order_by("position"))
    r = staff.post(
        paper_url,
        {
            "action": "enter",
            **{
                f"enter-o{o.pk}": c
                for o, c in zip(options, ["for", "for", "against", "against"], strict=False)
            },
        },
        follow=True,
    )
    page = text(r)
    paper_code = re.search(r'data-testid="paper-receipt">([^<]+)<', page).group(1)
    assert 'data-testid="paper-issued">1<' in page and 'data-testid="paper-entered">1<' in page
    receipts.append(paper_code)

    # The public result is not out while the vote is open
    assert client_for().get(reverse("voting:result", args=[vote.pk])).status_code == 404

    # When staff close the vote
    r = staff.post(run_url, {"action": "close"}, follow=True)
    assert "表决已结束" in text(r)

    # Then the result shows the counts, the rule and the outcome
    public = client_for()
    page = text(public.get(reverse("voting:result", args=[vote.pk])))
    assert f'data-testid="entitled">{len(register)}<' in page
    assert f'data-testid="present">{len(present)}<' in page
    assert 'data-testid="voted">5<' in page and 'data-testid="ballots">5<' in page
    assert 'data-testid="invalid">0<' in page
    assert f"全体{len(register)}名代表" in page
    row1 = re.search(r'data-testid="row-1">(.*?)</tr>', page, re.S).group(1)
    assert "民生项目1" in row1 and ">4<" in row1  # 4 for, of 5 ballots
    # 4 for of all deputies is not more than half: nothing passes
    assert "未通过" in row1
    # The candidates follow the result
    assert set(
        Project.objects.filter(pk__in=[p.pk for p in projects]).values_list("status", flat=True)
    ) == {ProjectStatus.NOT_APPROVED}
    assert Project.objects.get(pk=projects[0].pk).votes_for == 4

    # A deputy finds their receipt in the list; a made-up code is not there
    receipts_url = reverse("voting:receipts", args=[vote.pk])
    page = text(public.get(receipts_url, {"code": receipts[1].replace("-", "").lower()}))
    assert 'data-testid="found"' in page
    assert all(code in page for code in receipts)
    page = text(public.get(receipts_url, {"code": "2222-2222-2222"}))
    assert 'data-testid="not-found"' in page and "回执清单中没有" in page

    # The anonymous ballots are published, as many as the receipts, and recount to the result
    page = text(public.get(reverse("voting:ballots", args=[vote.pk])))
    assert "与公布的结果一致" in page
    assert Ballot.objects.filter(vote=vote).count() == Receipt.objects.filter(vote=vote).count()
    assert page.count('<tr><td class="n">') == 5
