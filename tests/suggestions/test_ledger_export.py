"""The suggestion ledger's Excel export on the shared helper: the rows of the filtered page
(every page), overdue ones marked, audited with the filters and the count. The layout itself
is pinned in test_reports.py."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from lianluo.core.models import AuditLog
from lianluo.suggestions.services import suggestion_new, suggestion_transition


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _registered(demo, users, title: str):
    item = suggestion_new(
        actor=users["deputy"],
        congress=demo["county_congress"],
        deputy=demo["deputy"],
        title=title,
        text=f"{title}：正文",
    )
    return suggestion_transition(actor=users["staff"], suggestion=item, action="register")


@pytest.mark.django_db
def test_export_has_the_rows_of_the_filtered_page_and_is_audited(demo, users):
    for title in ["城区排水改造", "乡村排水沟清淤", "学校周边交通"]:
        _registered(demo, users, title)
    client = _client(users["staff"])
    page = client.get("/suggestions/ledger/", {"q": "排水"})
    shown = [line.item.number for line in page.context["lines"]]
    response = client.get("/suggestions/ledger.xlsx", {"q": "排水", "page": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    exported = [row[1] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert len(shown) == 2 and exported == shown
    entry = AuditLog.objects.get(verb="export.suggestions")
    assert entry.actor == users["staff"] and entry.data == {"filters": {"q": "排水"}, "rows": 2}


@pytest.mark.django_db
def test_export_is_refused_where_the_ledger_is(demo, users):
    response = _client(users["other"]).get("/suggestions/ledger.xlsx")
    assert response.status_code == 403
    assert not AuditLog.objects.filter(verb="export.suggestions").exists()
