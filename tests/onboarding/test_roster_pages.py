"""Excel onboarding through the pages: upload, preview, confirm; the template and the export
that import back unchanged; no row-by-row queries."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook

from lianluo.core.models import Area, AuditLog
from lianluo.deputies.models import Deputy, Mandate
from lianluo.onboarding.models import ImportJob
from lianluo.stations.models import Station, StationMembership
from tests.factories.onboarding import (
    CHENGGUAN,
    person,
    xlsx,
)

pytestmark = pytest.mark.usefixtures("_imports")


# ---- the pages ------------------------------------------------------------------------------


def test_the_staff_uploads_previews_and_confirms_through_the_pages(
    demo, users, group, django_capture_on_commit_callbacks
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["staff"])
    page = client.get("/imports/").content.decode()
    assert 'data-testid="upload-form"' in page

    data = ContentFile(xlsx([person(1), person(2)]), name="roster.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/", {"kind": "deputies", "file": data})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"

    status = client.get(f"/imports/{job.pk}/status/").content.decode()
    assert 'data-testid="count-create">2<' in status
    assert "hx-trigger" not in status  # finished: the page stops polling

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/confirm/")
    done = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'data-testid="import-done"' in done
    assert "测试代表1" in done and "测试代表2" in done
    assert "13700000001" not in done  # phones are not shown


def test_a_running_job_is_polled_every_second(demo, users):
    job = ImportJob.objects.create(
        kind="deputies",
        filename="x.xlsx",
        created_by=users["staff"],
        status="checking",
        total_rows=200,
        processed_rows=100,
    )
    client = Client()
    client.force_login(users["staff"])
    html = client.get(f"/imports/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="25"' in html  # 100 of 200 rows read, none validated yet


# ---- templates and export -------------------------------------------------------------------


def test_the_template_has_headers_dropdowns_and_instructions_in_the_users_language(demo, users):
    client = Client()
    client.force_login(users["staff"])

    zh = load_workbook(
        io.BytesIO(
            client.get("/imports/template/deputies.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans").content
        )
    )
    en = load_workbook(
        io.BytesIO(client.get("/imports/template/deputies.xlsx", HTTP_ACCEPT_LANGUAGE="en").content)
    )

    assert zh.sheetnames == ["代表", "填写说明", "参考代码"]
    assert en.sheetnames == ["Deputies", "Instructions", "Codes"]
    header = [c.value for c in zh["代表"][1]]
    assert header[:3] == ["代表编码", "姓名*", "性别"] and "所在联络站*" in header
    lists = {dv.formula1 for dv in zh["代表"].data_validations.dataValidation}
    assert '"男,女"' in lists and '"是,否"' in lists
    assert '"全国,省级,市级,县级,乡镇级"' in lists
    assert '"Male,Female"' in {dv.formula1 for dv in en["Deputies"].data_validations.dataValidation}
    codes = [r[3] for r in zh["参考代码"].iter_rows(min_row=2, values_only=True)]
    assert "cg-hub" in codes


def test_a_filled_in_template_imports(demo, users, group, run):
    client = Client()
    client.force_login(users["staff"])
    wb = load_workbook(io.BytesIO(client.get("/imports/template/stations.xlsx").content))
    ws = wb["联络站"]
    ws.append(
        ["cg-new", "城关新联系点", "联系点", CHENGGUAN, "cg-hub", "", "南街1号", "", "", "是"]
    )
    buf = io.BytesIO()
    wb.save(buf)

    job = run.confirm(run(users["staff"], "stations", buf.getvalue()), users["staff"])

    assert job.status == "done"
    s = Station.objects.get(code="cg-new")
    assert (s.kind, s.parent.code, s.congress.area.code) == ("contact", "cg-hub", CHENGGUAN)


def test_export_then_import_of_every_sheet_changes_nothing(demo, users, run):
    from lianluo.demo.seed import seed_onboarding

    # given the demo county with its groups and particulars
    seed_onboarding(demo)
    client = Client()
    client.force_login(users["staff"])
    data = client.get("/imports/export/all.xlsx").content
    snapshot = (
        list(Deputy.objects.order_by("code").values()),
        list(Mandate.objects.order_by("id").values()),
        list(StationMembership.objects.order_by("id").values()),
        list(Station.objects.order_by("code").values()),
        list(Area.objects.order_by("code").values()),
    )

    # when each sheet of the export is imported back
    results = {}
    for kind in ("areas", "stations", "deputies"):
        job = run.confirm(run(users["staff"], kind, data), users["staff"])
        assert job.status == "done", job.errors
        results[kind] = (job.summary["create"], job.summary["update"], job.summary["changed"])

    # then every row is an update, none a change, and the database is as it was
    assert results == {"areas": (0, 13, 0), "stations": (0, 25, 0), "deputies": (0, 64, 0)}
    assert snapshot == (
        list(Deputy.objects.order_by("code").values()),
        list(Mandate.objects.order_by("id").values()),
        list(StationMembership.objects.order_by("id").values()),
        list(Station.objects.order_by("code").values()),
        list(Area.objects.order_by("code").values()),
    )
    assert AuditLog.objects.filter(verb="roster_export", actor=users["staff"]).count() == 1


def test_the_demo_roster_command_writes_a_file_that_imports_into_the_demo_as_updates(
    demo, users, tmp_path
):
    from django.core.management import call_command

    path = tmp_path / "demo-roster.xlsx"
    call_command("export_demo_roster", output=str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_roster", str(path), kind="deputies", user="staff", yes=True, stdout=out)
    assert "0 new, 64 existing (0 with changes)" in out.getvalue()
    assert Deputy.objects.count() == 64


def test_checking_and_writing_do_not_query_row_by_row(
    demo, users, group, run, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int, offset: int) -> tuple[int, int]:
        rows = [person(offset + i, 层级2="乡镇级", 人大2=CHENGGUAN, 届次2="19") for i in range(n)]
        with CaptureQueriesContext(connection) as check:
            job = run(users["staff"], "deputies", xlsx(rows))
        with CaptureQueriesContext(connection) as write:
            job = run.confirm(job, users["staff"])
        assert job.status == "done" and job.summary["create"] == n
        return len(check.captured_queries), len(write.captured_queries)

    from lianluo.core.scope import scope_for

    scope_for(users["staff"])  # the uploader's scope, read once per request in real life
    check_20, write_20 = queries(20, 100)
    check_200, write_200 = queries(200, 300)
    assert check_200 == check_20
    # Bulk writes are split only by the database's parameter limit (999 on SQLite): nothing
    # is written row by row.
    assert write_200 <= write_20 + 10
