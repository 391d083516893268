"""The collection pages: the citizen's public form (honeypot, idempotency, rate limit, consent,
errors in Chinese that keep the text), the links from the station page and the case page, the
staff hub and pages, and their scope."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client

from lianluo.projects.models import Proposal, ProposalStatus
from lianluo.projects.services import collection as svc
from tests.projects import collection_cast

# The collection window of the cast is open around 2026-12-02 (projects of 2027).
pytestmark = pytest.mark.clock("2026-12-02T10:00")

cx, demo = collection_cast.cx, collection_cast.demo


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def _form(**extra):
    data = {"title": "修建村口路灯", "text": "村口很黑，建议安装路灯。", "idempotency_key": "key-1"}
    return {**data, **extra}


def test_a_citizen_proposes_and_gets_a_tracking_code(cx):
    client = _client()
    url = f"/projects/propose/{cx.congress.pk}/"
    assert "请提出明年的民生实事项目建议" in client.get(url).content.decode()
    answer = client.post(url, _form(name="张三", phone="13812345678", consent="on"))
    proposal = Proposal.objects.get()
    assert answer.status_code == 302 and proposal.tracking_code in answer["Location"]
    done = client.get(answer["Location"]).content.decode()
    assert proposal.tracking_code in done and "修建村口路灯" in done
    # a retry of the same form (double tap) lands on the same proposal
    again = client.post(url, _form(name="张三", phone="13812345678", consent="on"))
    assert again["Location"] == answer["Location"] and Proposal.objects.count() == 1
    # another device with the code sees the status, not the title
    other = _client().get(answer["Location"]).content.decode()
    assert "修建村口路灯" not in other and proposal.tracking_code in other


def test_the_honeypot_thanks_a_robot_and_records_nothing(cx):
    answer = _client().post(f"/projects/propose/{cx.congress.pk}/", _form(website="http://x"))
    assert answer.status_code == 200 and Proposal.objects.count() == 0


def test_errors_are_in_chinese_and_keep_the_text(cx):
    answer = _client().post(
        f"/projects/propose/{cx.congress.pk}/", _form(title="", name="张三", text="一段很长的说明")
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "一段很长的说明" in page and "张三" in page
    assert 'data-testid="error-title"' in page and 'data-testid="error-consent"' in page
    assert "请" in page  # the messages are translated
    assert Proposal.objects.count() == 0


def test_the_rate_limit_refuses_a_flood(cx, settings):
    settings.LIANLUO_INTAKE_RATE = "2/m"
    # An address of its own: with REDIS_URL the counters outlive a test, and other tests (in
    # this worker or the other) post from the test client's default address in the same minute.
    octets = uuid.uuid4().bytes[:3]
    address = ".".join(str(b) for b in (10, *octets))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", REMOTE_ADDR=address)
    url = f"/projects/propose/{cx.congress.pk}/"
    for i in range(2):
        client.post(url, _form(idempotency_key=f"k{i}", title=f"建议{i}"))
    answer = client.post(url, _form(idempotency_key="k9", title="第三条"))
    assert answer.status_code == 429 and "第三条" in answer.content.decode()
    assert Proposal.objects.count() == 2


def test_a_closed_window_takes_nothing(cx):
    svc.window_update(
        actor=cx.staff, window=cx.window, opens_on=date(2026, 11, 1), closes_on=date(2026, 12, 1)
    )
    client = _client()
    url = f"/projects/propose/{cx.congress.pk}/"
    assert 'data-testid="closed"' in client.get(url).content.decode()
    assert client.post(url, _form()).status_code == 400
    assert Proposal.objects.count() == 0


def test_the_station_page_links_to_the_form_while_the_window_is_open(cx, users):
    station = cx.demo["cg_hub"]
    page = _client().get(f"/s/{station.code}/").content.decode()
    assert 'data-testid="propose-link"' not in page
    svc.window_open(
        actor=cx.staff,
        congress=station.congress,
        year=2027,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
    )
    page = _client().get(f"/s/{station.code}/").content.decode()
    assert f"/projects/propose/{station.congress.pk}/?station={station.code}" in page
    assert "提民生实事项目建议" in page
    _client().post(f"/projects/propose/{station.congress.pk}/?station={station.code}", _form())
    assert Proposal.objects.get().station == station


def test_staff_turn_a_case_into_a_proposal_from_the_case_page(cx, make_case):
    case = make_case(text="小区门口积水严重")
    svc.window_open(
        actor=cx.staff,
        congress=case.congress,
        year=2027,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
    )
    client = _client(cx.staff)
    assert (
        f"/projects/from-case/{case.pk}/" in client.get(f"/ledger/{case.number}/").content.decode()
    )
    answer = client.post(f"/projects/from-case/{case.pk}/", {"title": "排水改造", "text": "改造"})
    proposal = Proposal.objects.get()
    assert answer["Location"] == f"/projects/proposals/{proposal.pk}/"
    assert proposal.case == case
    assert _client(cx.outsider).get(f"/projects/from-case/{case.pk}/").status_code == 404


def test_the_hub_counts_proposals_by_source_and_status(cx):
    svc.proposal_submit_citizen(congress=cx.congress, title="a", text="a")
    declined, _ = svc.proposal_submit_citizen(congress=cx.congress, title="b", text="b")
    svc.proposal_decline(actor=cx.staff, proposal=declined, reason="重复")
    page = _client(cx.staff).get(f"/projects/?congress={cx.congress.pk}&year=2027")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-source="citizen"' in html
    row = html.split('data-source="citizen"')[1].split("</tr>")[0]
    assert "<td>1</td>" in row and "<strong>2</strong>" in row
    assert 'data-testid="projects-link"' in html


@pytest.mark.parametrize("who, status", [("staff", 200), ("leader", 200), ("outsider", 404)])
def test_the_proposal_page_scope_and_masking(cx, users, who, status):
    proposal, _ = svc.proposal_submit_citizen(
        congress=cx.congress,
        title="路灯",
        text="装",
        name="张三丰",
        phone="13812345678",
        consent=True,
    )
    user = users.get(who) or cx.outsider
    answer = _client(user).get(f"/projects/proposals/{proposal.pk}/")
    assert answer.status_code == status
    if status == 200:
        html = answer.content.decode()
        assert "13812345678" not in html and "138****5678" in html
        assert ("张三丰" in html) == (who == "staff")
        assert ('data-testid="action-file"' in html) == (who == "staff")


def test_staff_file_a_proposal_into_the_pool_through_the_page(cx):
    proposal, _ = svc.proposal_submit_citizen(congress=cx.congress, title="路灯", text="装")
    client = _client(cx.staff)
    answer = client.post(
        f"/projects/proposals/{proposal.pk}/do/file/",
        {"file-title": "亮化工程", "file-content": "装路灯", "file-tags": "亮化,交通"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.POOLED
    assert answer["Location"] == f"/projects/pool/{proposal.project_id}/"
    pool = client.get("/projects/pool/?tag=亮化").content.decode()
    assert "亮化工程" in pool
    leader = _client(cx.leader).post(
        f"/projects/pool/{proposal.project_id}/", {"title": "领导改名", "content": "x"}
    )
    assert leader.status_code == 403
