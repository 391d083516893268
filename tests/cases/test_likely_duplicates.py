"""Triage shows a new case's likely duplicates: the same problem at the same place, open, at the
same station, never another place's or another station's."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.selectors import likely_duplicates
from lianluo.core.models import User


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def test_triage_proposes_the_same_problem_at_the_same_place(demo, make_case, users):
    first = make_case(text="幸福小区3号楼门口的路灯坏了两个星期，晚上很黑")
    same = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
    other_place = make_case(text="幸福小区5号楼门口的路灯坏了两个星期，晚上很黑")
    other_matter = make_case(text="幸福小区3号楼门口垃圾没人清运")
    elsewhere = make_case(
        text="幸福小区3号楼门口的路灯坏了两个星期，晚上很黑",
        station=demo["stations"][demo["townships"][1].code][0],
    )
    closed = make_case(("decline", {"reason": "重复"}), text="幸福小区3号楼门口的路灯坏了两个星期")

    found = likely_duplicates(viewer=users["staff"], case=same)

    assert [d.case for d in found] == [first]
    assert 0 < found[0].score <= 1
    for case in (other_place, other_matter, elsewhere, closed):
        assert case not in [d.case for d in found]
    # and the triage page shows it, with a link
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="staff"))
    html = client.get(f"/ledger/{same.number}/").content.decode()
    assert 'data-testid="duplicates"' in html and f"/ledger/{first.number}/" in html
    assert "可能是同一问题" in html
    # once triaged onward, nothing is proposed
    assert likely_duplicates(viewer=users["staff"], case=closed) == []
