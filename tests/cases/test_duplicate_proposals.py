"""Likely duplicates proposed after intake: computed at commit (outbox mode "sync" here), never
in the intake request's own queries; the ledger marks such cases and triage lists them first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianluo.cases.models import DuplicateProposal
from lianluo.cases.services.duplicates import duplicates_propose
from lianluo.core.models import User

LAMP = "幸福小区3号楼门口的路灯坏了两个星期，晚上很黑"


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _staff() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="staff"))
    return client


def test_a_new_case_gets_its_proposals_after_commit(make_case, django_capture_on_commit_callbacks):
    first = make_case(text=LAMP)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with CaptureQueriesContext(connection) as intake:
            new = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
        proposals_before_commit = DuplicateProposal.objects.filter(case=new).count()

    # nothing of the search ran in the request's transaction: it waits for the commit
    assert proposals_before_commit == 0
    assert not any("duplicate" in q["sql"].lower() for q in intake.captured_queries)
    assert callbacks
    proposal = DuplicateProposal.objects.get(case=new)
    assert proposal.other == first and 0 < proposal.score <= 1
    # a re-run adds nothing
    duplicates_propose(case_id=new.pk)
    assert DuplicateProposal.objects.filter(case=new).count() == 1


def test_the_ledger_marks_it_and_triage_lists_it_first(make_case):
    first = make_case(text=LAMP)
    unrelated = make_case(text="垃圾站没人清运")
    new = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
    duplicates_propose(case_id=new.pk)

    ledger = _staff().get("/ledger/").content.decode()
    row = ledger.split(f"/ledger/{new.number}/")[1].split("</tr>")[0]
    other_row = ledger.split(f"/ledger/{unrelated.number}/")[1].split("</tr>")[0]
    assert "可能重复" in row
    assert "可能重复" not in other_row

    page = _staff().get(f"/ledger/{new.number}/").content.decode()
    section = page.split('data-testid="duplicates"')[1]
    assert f'value="{first.number}"' in section


def test_a_merged_proposal_is_no_longer_marked(make_case, users):
    from lianluo.cases.services import case_merge

    first = make_case(text=LAMP)
    new = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
    duplicates_propose(case_id=new.pk)
    case_merge(survivor=new, cases=[first], actor=users["staff"])

    ledger = _staff().get("/ledger/").content.decode()
    row = ledger.split(f"/ledger/{new.number}/")[1].split("</tr>")[0]
    assert "可能重复" not in row
