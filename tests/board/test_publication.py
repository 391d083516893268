"""Publication of rankings on the public board (阳光栏公示): the snapshot, ties, the objection
window, decisions (upholding reverses the entry), scope, the public page and API, grades."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lianluo.board.evaluation import evaluation_for, grades_set
from lianluo.board.publications import (
    board_for_station,
    objection_decide,
    objection_file,
    publication_publish,
)
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog, OutboxMessage
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, Objection, ObjectionStatus, PointEntry
from lianluo.duty.services import catalog_install_default
from tests.factories.duty import entry_registered

# Points "three days ago" of this year's catalog, periods from 1 January to today and week-long
# objection windows: the stories need a day well inside the year (docs/testing.md).
pytestmark = pytest.mark.clock("2026-06-10T10:00")


@pytest.fixture
def hub(demo, users):
    """The 城关 hub with its catalog; returns (station, members by code, items by code)."""
    station = demo["cg_hub"]
    year = timezone.localdate().year
    catalog_install_default(congress=station.congress, year=year, actor=users["staff"])
    items = {i.code: i for i in DutyItem.objects.filter(congress=station.congress, year=year)}
    members = {d.code: d for d in Deputy.objects.filter(memberships__station=station)}
    return station, members, items


def _publish(users, station, **kw):
    today = timezone.localdate()
    args = dict(
        actor=users["liaison"],
        station=station,
        title="城关联络站代表履职积分公示",
        period_start=today.replace(month=1, day=1),
        period_end=today,
        visible_days=15,
        objection_days=7,
    )
    args.update(kw)
    return publication_publish(**args)


def test_publish_snapshots_the_ranking_with_ties_and_tells_the_deputies(demo, users, hub):
    # given two members with the same points and a third with fewer
    station, members, items = hub
    a, b, c = sorted(members.values(), key=lambda d: d.code)[:3]
    entry_registered(users["liaison"], a, items["session"])  # 5
    entry_registered(users["liaison"], b, items["session"])  # 5
    entry_registered(users["liaison"], c, items["research"])  # 3
    # when the officer publishes
    pub = _publish(users, station)
    # then ties share a rank (1, 1, 3) and everyone is listed
    ranks = {row["deputy"]: (row["rank"], row["points"]) for row in pub.ranking}
    assert ranks[a.code] == (1, "5.0") and ranks[b.code] == (1, "5.0")
    assert ranks[c.code] == (3, "3.0")
    assert len(pub.ranking) == len(members)
    # and the deputy with an account is told
    demo_deputy = demo["deputy"]
    assert OutboxMessage.objects.filter(recipient=demo_deputy.user, kind="board_published").exists()
    assert AuditLog.objects.filter(verb="board.publish", target_id=str(pub.pk)).exists()
    # when a later entry is credited, the published ranking does not change
    entry_registered(users["liaison"], c, items["session"], days_ago=1)
    pub.refresh_from_db()
    assert {row["deputy"]: row["points"] for row in pub.ranking}[c.code] == "3.0"


def test_publish_with_no_points_lists_everyone_at_zero(demo, users, hub):
    station, members, _items = hub
    pub = _publish(users, station)
    assert {row["rank"] for row in pub.ranking} == {1}
    assert all(row["points"] == "0.0" for row in pub.ranking)


def test_publish_is_refused_out_of_scope_and_for_bad_windows(demo, users, hub):
    station, _m, _i = hub
    with pytest.raises(NotFound):
        _publish(users, station, actor=users["other"])
    with pytest.raises(DomainError) as exc:
        _publish(users, station, visible_days=3, objection_days=7)
    assert exc.value.field == "visible_days"
    with pytest.raises(DomainError) as exc:
        _publish(users, station, period_start=timezone.localdate() + timedelta(days=1))
    assert exc.value.code == "invalid_period"
    # the county's staff may publish the county congress's ranking; the township officer not
    pub = publication_publish(
        actor=users["staff"],
        congress=demo["county_congress"],
        title="县人大代表履职积分公示",
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate(),
        visible_days=10,
        objection_days=5,
    )
    assert len(pub.ranking) > 20
    with pytest.raises(NotFound):
        publication_publish(
            actor=users["liaison"],
            congress=demo["county_congress"],
            title="x",
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
            visible_days=10,
            objection_days=5,
        )


def test_objection_only_within_the_window_and_only_by_a_ranked_deputy(demo, users, hub):
    station, members, items = hub
    deputy = demo["deputy"]
    entry = entry_registered(users["liaison"], deputy, items["research"])
    pub = _publish(users, station)
    # when the deputy objects within the window
    objection = objection_file(
        actor=deputy.user, publication=pub, entry=entry, text="该次调研时间登记有误"
    )
    assert objection.status == ObjectionStatus.OPEN
    assert OutboxMessage.objects.filter(recipient=users["liaison"], kind="board_objection").exists()
    # a user who is not a ranked deputy may not
    with pytest.raises(DomainError) as exc:
        objection_file(actor=users["other"], publication=pub, text="x")
    assert exc.value.code == "not_in_ranking"
    # after the deadline the deputy is refused with the reason
    with (
        time_machine.travel(pub.objection_deadline + timedelta(seconds=1)),
        pytest.raises(DomainError) as exc,
    ):
        objection_file(actor=deputy.user, publication=pub, text="还有一处错误")
    assert exc.value.code == "objection_closed"
    deadline = timezone.localtime(pub.objection_deadline).strftime("%Y-%m-%d %H:%M")
    assert deadline in str(exc.value.message)
    # one second before, it is still accepted
    with time_machine.travel(pub.objection_deadline - timedelta(seconds=1)):
        objection_file(actor=deputy.user, publication=pub, text="最后一刻")
    assert pub.objections.count() == 2


def test_upholding_an_objection_reverses_the_entry_and_is_audited(demo, users, hub):
    station, _members, items = hub
    deputy = demo["deputy"]
    entry = entry_registered(users["liaison"], deputy, items["research"])
    pub = _publish(users, station)
    objection = objection_file(actor=deputy.user, publication=pub, entry=entry, text="重复登记")
    # another station's officer cannot decide (not theirs = missing)
    with pytest.raises(NotFound):
        objection_decide(actor=users["other"], objection=objection, uphold=True, outcome="x")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN
    # when the station's officer upholds it
    decided = objection_decide(
        actor=users["liaison"], objection=objection, uphold=True, outcome="核实为重复登记，已更正"
    )
    assert decided.status == ObjectionStatus.UPHELD
    assert PointEntry.objects.filter(reverses=entry).exists()
    assert AuditLog.objects.filter(verb="board.objection_decide").exists()
    assert OutboxMessage.objects.filter(
        recipient=deputy.user, kind="board_objection_decided"
    ).exists()
    # and it cannot be decided twice
    with pytest.raises(DomainError) as exc:
        objection_decide(actor=users["liaison"], objection=decided, uphold=False, outcome="x")
    assert exc.value.code == "already_decided"


def test_dismissal_records_the_outcome_only(demo, users, hub):
    station, _members, items = hub
    deputy = demo["deputy"]
    entry = entry_registered(users["liaison"], deputy, items["research"])
    pub = _publish(users, station)
    objection = objection_file(actor=deputy.user, publication=pub, entry=entry, text="分数偏低")
    objection_decide(actor=users["staff"], objection=objection, uphold=False, outcome="按目录计分")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and objection.outcome == "按目录计分"
    assert not PointEntry.objects.filter(reverses=entry).exists()


def test_public_board_page_and_api_show_the_current_publication(demo, users, hub, api):
    station, members, items = hub
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    # nothing published yet
    assert board_for_station(station=station) is None
    response = client.get(f"/board/{station.code}/")
    assert response.status_code == 200 and "board-empty" in response.content.decode()
    assert api().get(f"/api/v1/public/stations/{station.code}/board").status_code == 404
    # when a ranking is published
    deputy = demo["deputy"]
    entry_registered(users["liaison"], deputy, items["session"])
    pub = _publish(users, station)
    page = client.get(f"/board/{station.code}/").content.decode()
    assert pub.title in page and deputy.name in page
    assert 'data-testid="window-open"' in page
    assert timezone.localtime(pub.objection_deadline).strftime("%Y-%m-%d %H:%M") in page
    body = api().get(f"/api/v1/public/stations/{station.code}/board").json()
    assert body["title"] == pub.title and body["objection_open"] is True
    assert body["period"]["end"] == timezone.localdate().isoformat()
    assert body["ranking"][0] == {
        "rank": 1,
        "deputy": deputy.code,
        "name": deputy.name,
        "points": 5.0,
    }
    # a substation without its own publication shows nothing of the hub's
    sub = demo["stations"][demo["townships"][0].code][1]
    assert board_for_station(station=sub) is None
    # after the window: still shown, objections closed; after visible_until: gone
    with time_machine.travel(pub.objection_deadline + timedelta(hours=1)):
        assert (
            api().get(f"/api/v1/public/stations/{station.code}/board").json()["objection_open"]
            is False
        )
        assert (
            'data-testid="window-closed"' in client.get(f"/board/{station.code}/").content.decode()
        )
    with time_machine.travel(timezone.now() + timedelta(days=17)):
        assert api().get(f"/api/v1/public/stations/{station.code}/board").status_code == 404


def test_a_congress_publication_shows_on_its_stations_boards(demo, users, hub, api):
    station, _m, _i = hub
    publication_publish(
        actor=users["staff"],
        congress=station.congress,
        title="城关镇人大代表积分公示",
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate(),
        visible_days=10,
        objection_days=5,
    )
    sub = demo["stations"][demo["townships"][0].code][1]
    body = api().get(f"/api/v1/public/stations/{sub.code}/board").json()
    assert body["title"] == "城关镇人大代表积分公示" and body["station"] is None


def test_pages_publish_object_and_decide(demo, users, hub):
    station, _m, items = hub
    deputy = demo["deputy"]
    entry = entry_registered(users["liaison"], deputy, items["research"])
    officer = Client(HTTP_ACCEPT_LANGUAGE="en")
    officer.force_login(users["liaison"])
    today = timezone.localdate()
    # when the officer publishes through the form
    response = officer.post(
        "/board/publish/",
        {
            "target": f"s:{station.code}",
            "title": "Points board",
            "period_start": today.replace(month=1, day=1).isoformat(),
            "period_end": today.isoformat(),
            "visible_days": 15,
            "objection_days": 7,
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    assert "Points board" in officer.get("/board/").content.decode()
    # the deputy sees the objection form and objects
    own = Client(HTTP_ACCEPT_LANGUAGE="en")
    own.force_login(deputy.user)
    page = own.get(url).content.decode()
    assert 'data-testid="objection-form"' in page
    response = own.post(url + "object/", {"entry": entry.pk, "text": "Wrong date"}, follow=True)
    assert "Your objection is recorded" in response.content.decode()
    # another station's officer cannot see it
    stranger = Client()
    stranger.force_login(users["other"])
    assert stranger.get(url).status_code == 404
    # the officer decides
    page = officer.get(url).content.decode()
    assert "Wrong date" in page
    objection = Objection.objects.get(text="Wrong date")
    response = officer.post(
        f"/board/objections/{objection.pk}/decide/",
        {"uphold": "1", "outcome": "Corrected"},
        follow=True,
    )
    assert "The outcome is recorded" in response.content.decode()
    assert "Corrected" in response.content.decode()
    # once the window is over the deputy is told so
    pub_deadline = objection.publication.objection_deadline
    with time_machine.travel(pub_deadline + timedelta(minutes=1)):
        page = own.get(url).content.decode()
        assert 'data-testid="objections-closed"' in page
        response = own.post(url + "object/", {"text": "Too late"}, follow=True)
        assert "no longer accepted" in response.content.decode()


def test_grades_by_thresholds_and_excel_export(demo, users, hub):
    station, _members, items = hub
    congress = demo["county_congress"]  # the demo deputy's county mandate
    year = timezone.localdate().year
    deputy = demo["deputy"]
    entry_registered(users["liaison"], deputy, items["session"])  # 5
    entry_registered(users["liaison"], deputy, items["research"])  # 3
    grades_set(
        actor=users["staff"],
        congress=congress,
        year=year,
        thresholds=[("优秀", Decimal(8)), ("合格", Decimal(0))],
    )
    rows = {r.deputy.code: r for r in evaluation_for(congress=congress, year=year)}
    assert rows[deputy.code].grade == "优秀" and rows[deputy.code].points == Decimal(8)
    others = [r for code, r in rows.items() if code != deputy.code and r.points == 0]
    assert others and others[0].grade == "合格"
    with pytest.raises(NotFound):
        grades_set(actor=users["other"], congress=congress, year=year, thresholds=[])
    client = Client()
    client.force_login(users["staff"])
    response = client.get(f"/board/evaluation/{congress.pk}/export.xlsx?year={year}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert (1, deputy.code, deputy.name, 8.0, "优秀") in values
    stranger = Client()
    stranger.force_login(users["other"])
    assert stranger.get(f"/board/evaluation/{congress.pk}/").status_code == 404


def test_demo_shows_a_published_ranking_with_an_open_objection_window(demo, users, hub, api):
    from lianluo.demo.seed import seed_board

    # given the demo's board data (here over an empty ledger)
    seed_board(demo)
    seed_board(demo)  # idempotent
    body = api().get(f"/api/v1/public/stations/{demo['cg_hub'].code}/board").json()
    assert body["objection_open"] is True
    assert body["ranking"] and "履职积分公示" in body["title"]
    county = api().get("/api/v1/public/stations/qx-hub/board").json()
    assert county["objection_open"] is True and len(county["ranking"]) > 20
    assert Objection.objects.filter(deputy=demo["deputy"]).count() == 1
