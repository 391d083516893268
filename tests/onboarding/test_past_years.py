"""Past years: a county's ledger of earlier cases imported from Excel — every bad row reported,
nothing written before confirmation, cases with their own dates, numbered in their year's
ledger, a dated history, no notifications or points, and a re-import that adds nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.services import case_submit
from lianluo.core.errors import Forbidden
from lianluo.core.models import AuditLog, OutboxMessage
from lianluo.duty.models import PointEntry
from lianluo.onboarding.services import import_upload
from lianluo.stations.models import Station
from tests.factories.onboarding import xlsx

pytestmark = pytest.mark.usefixtures("_imports")

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
CASE_HEADERS = [
    "日期", "联络站", "渠道", "群众姓名", "联系电话", "反映事项", "类别", "地点",
    "办理结果/答复", "办理状态", "办结日期", "满意度", "代表",
]  # fmt: skip


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def matter(**changes: str) -> dict:
    """A closed, rated 2023 matter of the 城关 hub, as a county ledger records it."""
    row = {
        "日期": "2023-03-15",
        "联络站": "cg-hub",
        "渠道": "进站接待",
        "群众姓名": "张某",
        "联系电话": "13800001111",
        "反映事项": "小区门口路灯损坏，夜间出行不便",
        "类别": "城乡建设",
        "地点": "城关镇建设路",
        "办理结果/答复": "已协调县城管局更换路灯",
        "办理状态": "已办结",
        "办结日期": "2023-03-29",
        "满意度": "满意",
        "代表": "王建国",
    }
    row.update(changes)
    return row


def cases_file(rows: list[dict]) -> bytes:
    return xlsx(rows, title="群众意见台账", headers=CASE_HEADERS)


def local(value: datetime) -> tuple[str, str]:
    at = value.astimezone(SHANGHAI)
    return at.date().isoformat(), at.strftime("%H:%M")


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    demo, users, neighbour, run
):
    # given a ledger with one good row and a bad one of each kind
    rows = [
        matter(),  # row 2: good
        matter(日期="2023-02-30"),  # row 3: no such day
        matter(联络站="不存在的站"),  # row 4
        matter(办结日期="2023-03-01"),  # row 5: closed before received
        matter(办理状态="办理中", 办结日期=""),  # row 6: rating without a closing
        matter(渠道="飞鸽传书"),  # row 7
        matter(联络站="lx-hub"),  # row 8: the neighbouring county's station
        matter(反映事项=""),  # row 9
        matter(代表="查无此人"),  # row 10
    ]
    before = Case.objects.count()

    # when the county staff uploads it
    job = run(users["staff"], "cases", cases_file(rows))

    # then every bad row is listed with its line number and what is wrong, and nothing is written
    assert job.status == "invalid"
    found = {(e["row"], e["code"]) for e in job.errors}
    assert found == {
        (3, "bad_date"),
        (4, "unknown_station_ref"),
        (5, "closed_before_received"),
        (6, "rating_not_closed"),
        (7, "bad_choice"),
        (8, "station_out_of_scope"),
        (9, "required"),
        (10, "unknown_deputy"),
    }
    messages = {e["row"]: e["message"] for e in job.errors}
    assert messages[3] == "“2023-02-30”不是日期，请按 2023-05-06 的格式填写。"
    assert messages[5] == "办结日期 2023-03-01 早于登记日期 2023-03-15。"
    assert messages[6] == "填写了满意度，但该事项未办结。"
    assert "进站接待" in messages[7] and "飞鸽传书" in messages[7]
    assert messages[8] == "联络站“lx-hub”不在您的辖区内。"
    assert Case.objects.count() == before


def test_confirmed_cases_keep_their_dates_numbers_and_history(demo, users, run):
    # given a live case of this year, and a ledger of 2023 listed out of order
    hub = Station.objects.get(code="cg-hub")
    live, _created = case_submit(text="今年的留言", station=hub)
    rows = [
        matter(日期="2023-05-06", 反映事项="第二件", 办结日期="2023-05-20", 满意度="基本满意"),
        matter(),
        matter(日期="2023-06-01", 反映事项="还在办", 办理状态="办理中", 办结日期="", 满意度=""),
        matter(
            日期="2023-07-01", 反映事项="不归我们管", 办理状态="不予受理", 办结日期="", 满意度=""
        ),
    ]
    outbox, points = OutboxMessage.objects.count(), PointEntry.objects.count()
    job = run(users["staff"], "cases", cases_file(rows))
    assert (job.status, job.summary["create"], job.summary["update"]) == ("ready", 4, 0)
    assert not Case.objects.filter(imported=True).exists()  # the preview writes nothing

    # when the staff confirms
    job = run.confirm(job, users["staff"])

    # then the cases are in the 2023 ledger, numbered in the order received
    assert job.status == "done"
    imported = list(Case.objects.filter(imported=True).order_by("seq"))
    assert [c.number for c in imported] == [f"430399100-2023-{n:06d}" for n in (1, 2, 3, 4)]
    assert [c.text for c in imported] == [
        "小区门口路灯损坏，夜间出行不便",
        "第二件",
        "还在办",
        "不归我们管",
    ]
    first = imported[0]
    assert (first.year, first.status, first.rating, first.channel) == (
        2023,
        "closed",
        "satisfied",
        "reception",
    )
    assert local(first.created_at) == ("2023-03-15", "09:00")
    assert local(first.accepted_at) == ("2023-03-15", "09:00")
    assert local(first.answered_at) == local(first.closed_at) == ("2023-03-29", "17:00")
    assert (first.citizen_name, first.citizen_phone) == ("张某", "13800001111")
    assert first.category.name == "城乡建设" and first.responsible_deputy.name == "王建国"
    assert (imported[2].status, imported[2].closed_at) == ("accepted", None)
    assert imported[3].status == "declined" and local(imported[3].closed_at)[0] == "2023-07-01"

    # and its history is dated as the ledger says, by the importing staff, marked imported
    events = list(first.events.order_by("at", "id"))
    assert [(e.action, e.to_status) for e in events] == [
        ("submit", "submitted"),
        ("accept", "accepted"),
        ("answer", "answered"),
        ("rate", "rated"),
        ("close", "closed"),
    ]
    assert [local(e.at)[0] for e in events] == ["2023-03-15"] * 2 + ["2023-03-29"] * 3
    assert all(e.actor == users["staff"] and e.data["imported"] is True for e in events)
    assert events[2].public_note == "已协调县城管局更换路灯"

    # and nobody was notified of the cases (only the staff of the finished import), no points
    assert OutboxMessage.objects.count() - outbox == 1
    assert OutboxMessage.objects.latest("pk").kind == "import_done"
    assert PointEntry.objects.count() == points

    # and the live year's numbering goes on where it was
    nxt, _created = case_submit(text="今年的第二条留言", station=hub)
    assert live.number.endswith("-2026-000001") and nxt.number.endswith("-2026-000002")
    assert not live.imported and not nxt.imported

    # and one audit entry tells the confirmed import with its counts
    audit = AuditLog.objects.get(verb="import_confirm", target_id=str(job.pk))
    assert audit.data["create"] == 4


def test_importing_the_same_file_again_adds_nothing(demo, users, run):
    # given a ledger imported once (two identical rows are two matters)
    rows = [matter(), matter(), matter(日期="2023-04-01", 办结日期="2023-04-10")]
    first = run(users["staff"], "cases", cases_file(rows))
    assert first.status == "ready", first.errors
    run.confirm(first, users["staff"])
    assert Case.objects.filter(imported=True).count() == 3

    # when the same file is imported again
    job = run(users["staff"], "cases", cases_file(rows))

    # then the preview finds every row saved, and confirming adds nothing
    assert (job.status, job.summary["create"], job.summary["update"]) == ("ready", 0, 3)
    job = run.confirm(job, users["staff"])
    assert job.status == "done"
    assert Case.objects.filter(imported=True).count() == 3
    assert CaseEvent.objects.filter(case__imported=True, action="submit").count() == 3


def test_an_imported_2023_case_counts_in_a_plain_query_for_2023(demo, users, run):
    # given a 2023 ledger row imported
    run.confirm(run(users["staff"], "cases", cases_file([matter()])), users["staff"])

    # then a plain count over the ledger for 2023 finds it, closed and rated in 2023
    assert Case.objects.filter(created_at__year=2023).count() == 1
    assert Case.objects.filter(closed_at__year=2023, rating="satisfied").count() == 1
    assert CaseEvent.objects.filter(action="close", at__year=2023).count() == 1
    assert not Case.objects.filter(created_at__year=2026).exists()


def test_only_staff_import_and_only_for_their_area(demo, users, neighbour, run):
    # a liaison officer may not import at all
    with pytest.raises(Forbidden):
        import_upload(kind="cases", upload=None, actor=users["liaison"])  # type: ignore[arg-type]

    # county staff may not import for a station of another county
    job = run(users["staff"], "cases", cases_file([matter(联络站="邻县联络总站")]))
    assert job.status == "invalid"
    assert [(e["row"], e["code"]) for e in job.errors] == [(2, "station_out_of_scope")]
    assert not Case.objects.filter(station=neighbour["station"]).exists()
