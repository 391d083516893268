"""Past years: reception records imported from Excel — a published day and its record with the
citizens received and the deputies present, marked imported, no points; a re-import updates,
a record written on the platform is never overwritten; and the templates to start from."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from lianluo.cases.models import Case
from lianluo.cases.reception.services import reception_record_save
from lianluo.duty.models import PointEntry
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station
from tests.factories.onboarding import xlsx

pytestmark = pytest.mark.usefixtures("_imports")

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADERS = ["日期", "联络站", "开始时间", "结束时间", "接待群众人数", "参加代表", "情况摘要"]


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reception(**changes: str) -> dict:
    row = {
        "日期": "2023-03-15",
        "联络站": "城关镇人大代表联络总站",
        "开始时间": "",
        "结束时间": "",
        "接待群众人数": "12",
        "参加代表": "王建国、dep-025",
        "情况摘要": "接待群众12人次，收集意见建议5条",
    }
    row.update(changes)
    return row


def receptions_file(rows: list[dict]) -> bytes:
    return xlsx(rows, title="接待记录", headers=HEADERS)


def test_reception_records_are_written_with_their_citizens_and_deputies(demo, users, run):
    # given two past reception days, one at an hour of its own
    rows = [reception(), reception(日期="2023/4/20", 开始时间="14:30", 结束时间="17:00")]
    points = PointEntry.objects.count()
    job = run(users["staff"], "receptions", receptions_file(rows))
    assert (job.status, job.summary["create"]) == ("ready", 2)
    assert not ReceptionRecord.objects.filter(imported=True).exists()

    # when the staff confirms
    job = run.confirm(job, users["staff"])

    # then each is a published day of the station with its record, marked imported
    assert job.status == "done"
    hub = Station.objects.get(code="cg-hub")
    march = ReceptionDay.objects.get(station=hub, date=date(2023, 3, 15))
    # the station's usual hours (its rule: 9:00–12:00) where the sheet gives none
    assert (march.status, march.start, march.end) == ("published", time(9), time(12))
    assert march.record.imported and march.record.citizens_received == 12
    assert march.record.summary == "接待群众12人次，收集意见建议5条"
    present = {d.code for d in march.record.deputies_present.all()}
    assert present == {"dep-001", "dep-025"}
    april = ReceptionDay.objects.get(station=hub, date=date(2023, 4, 20))
    assert (april.start, april.end, april.record.citizens_received) == (time(14, 30), time(17), 12)

    # and no duty points were credited; the year's figure is a plain sum
    assert PointEntry.objects.count() == points
    records = ReceptionRecord.objects.filter(reception_day__date__year=2023)
    assert sum(r.citizens_received for r in records) == 24


def test_a_reimport_updates_the_imported_record(demo, users, run):
    # given a reception day imported once
    run.confirm(run(users["staff"], "receptions", receptions_file([reception()])), users["staff"])

    # when the corrected file is imported again
    job = run(users["staff"], "receptions", receptions_file([reception(接待群众人数="15")]))

    # then it is the same record, updated
    assert (job.summary["create"], job.summary["update"], job.summary["changed"]) == (0, 1, 1)
    run.confirm(job, users["staff"])
    record = ReceptionRecord.objects.get(imported=True)
    assert record.citizens_received == 15
    assert ReceptionDay.objects.filter(date=date(2023, 3, 15)).count() == 1


def test_bad_rows_and_a_record_written_on_the_platform(demo, users, run):
    # given a record written on the platform for a day of 2026
    hub = Station.objects.get(code="cg-hub")
    day = ReceptionDay.objects.create(
        station=hub, date=date(2026, 5, 20), start=time(9), end=time(12)
    )
    reception_record_save(actor=users["staff"], day=day, deputies_present=[], citizens_received=3)
    rows = [
        reception(日期="2026-05-20"),  # row 2: the platform's record
        reception(接待群众人数="十二"),  # row 3
        reception(日期="2023-03-16", 开始时间="11:00", 结束时间="10:00"),  # row 4
        reception(日期="2023-03-17", 参加代表="王建国、无名氏"),  # row 5
        reception(日期="2030-01-01"),  # row 6: in the future
        reception(日期="2023-03-18"),  # row 7: good
        reception(日期="2023-03-18"),  # row 8: the same reception again
    ]

    # when the file is uploaded
    job = run(users["staff"], "receptions", receptions_file(rows))

    # then every bad row is listed, and the platform's record is untouched
    assert job.status == "invalid"
    assert {(e["row"], e["code"]) for e in job.errors} == {
        (2, "record_exists"),
        (3, "bad_count"),
        (4, "time_order"),
        (5, "unknown_deputy"),
        (6, "date_range"),
        (8, "duplicate_reception"),
    }
    record = ReceptionRecord.objects.get(reception_day=day)
    assert (record.citizens_received, record.imported) == (3, False)
    assert not ReceptionRecord.objects.filter(imported=True).exists()


@pytest.mark.parametrize("kind", ["cases", "receptions"])
def test_the_template_example_imports_as_it_stands(demo, users, run, kind):
    # given the template of a past year's sheet, downloaded by the county staff
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["staff"])
    response = client.get(f"/imports/template/{kind}.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["日期*", "联络站*"]
    assert sheet.max_row == 2  # one example row, of last year

    # when it is uploaded unchanged and confirmed
    job = run(users["staff"], kind, data)
    assert job.status == "ready", job.errors
    run.confirm(job, users["staff"])

    # then its example is in last year's records
    if kind == "cases":
        case = Case.objects.get(imported=True)
        assert case.created_at.year == 2025 and case.status == "closed"
    else:
        assert ReceptionRecord.objects.get(imported=True).reception_day.date.year == 2025


def test_the_import_page_offers_the_past_years_templates(demo, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["staff"])
    page = client.get("/imports/").content.decode()
    assert "历史数据" in page and "历史群众意见台账" in page and "历史接待记录" in page
    # the past years are imported, not exported
    assert client.get("/imports/export/cases.xlsx").status_code == 404


def test_the_demo_sample_of_a_past_year_imports_cleanly(demo, users, run, tmp_path):
    # given the demo's sample workbooks of 2023 (made for testers: see docs/apps/onboarding.md)
    call_command("export_past_years_sample", output=str(tmp_path), rows=40, stdout=io.StringIO())

    # when both are uploaded and confirmed
    for kind in ("cases", "receptions"):
        job = run(users["staff"], kind, (tmp_path / f"demo-past-{kind}.xlsx").read_bytes())
        assert (job.status, job.summary["create"]) == ("ready", 40), job.errors
        assert run.confirm(job, users["staff"]).status == "done"

    # then 2023 has its 40 cases and 40 reception days
    assert Case.objects.filter(imported=True, created_at__year=2023).count() == 40
    assert (
        ReceptionRecord.objects.filter(imported=True, reception_day__date__year=2023).count() == 40
    )
