"""The activities list's Excel export: every activity of the officer's stations that the page's
filters give, with sign-ups and check-ins counted, in the viewer's scope, audited."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from openpyxl import load_workbook

from lianluo.activities.models import Signup
from lianluo.activities.services import signup_create
from lianluo.core.models import AuditLog

HEADER_ROW = 2  # row 1 is the title


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))


def test_export_lists_the_filtered_activities_with_their_counts(users, make_activity):
    held = make_activity(title="民生实事座谈会")
    make_activity(title="草稿：普法宣讲", publish=False)
    signup_create(actor=users["deputy"], activity=held)
    Signup.objects.filter(activity=held).update(checked_in_at=held.start)

    client = _client(users["liaison"])
    page = client.get("/activities/", {"station": "cg-hub", "status": "published"})
    assert 'href="/activities.xlsx?station=cg-hub&amp;status=published"' in page.content.decode()

    header, *rows = _rows(
        client.get("/activities.xlsx", {"station": "cg-hub", "status": "published"})
    )
    assert header[:2] == ("联络站", "标题") and header[-2:] == ("已报名", "已签到")
    assert [(r[1], r[-2], r[-1]) for r in rows] == [("民生实事座谈会", 1, 1)]

    # Without the status filter the draft is there too.
    titles = {r[1] for r in _rows(client.get("/activities.xlsx", {"station": "cg-hub"}))[1:]}
    assert titles == {"民生实事座谈会", "草稿：普法宣讲"}

    audit = AuditLog.objects.filter(verb="export.activities").latest("id")
    assert audit.data["filters"] == {"station": "cg-hub"} and audit.data["rows"] == 2


def test_export_keeps_to_the_officers_stations(users, make_activity):
    make_activity(title="城关镇的座谈会")
    make_activity(station="hk-hub", actor="staff", title="别的镇的座谈会")
    # An officer of another station asking for cg-hub's gets only their own (the filter is
    # dropped, as the page ignores a station that is not theirs).
    rows = _rows(_client(users["liaison"]).get("/activities.xlsx", {"station": "hk-hub"}))[1:]
    assert {r[1] for r in rows} == {"城关镇的座谈会"}
    staff = {r[1] for r in _rows(_client(users["staff"]).get("/activities.xlsx"))[1:]}
    assert staff >= {"城关镇的座谈会", "别的镇的座谈会"}
