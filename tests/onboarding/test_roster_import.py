"""Excel onboarding, the writing: only on confirmation, importing the same file again updates
instead of duplicating, within the importer's scope, audited, and picked up again if left
behind."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from lianluo.core.errors import Forbidden
from lianluo.core.models import Area, AuditLog, Notification, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.selectors import import_progress
from lianluo.onboarding.services import import_check, import_confirm, import_sweep, import_upload
from lianluo.stations.models import StationMembership
from tests.factories.onboarding import (
    CHENGGUAN,
    COUNTY,
    counts,
    person,
    xlsx,
)

pytestmark = pytest.mark.usefixtures("_imports")


# ---- preview, confirmation, idempotence -----------------------------------------------------


def test_the_preview_writes_nothing_and_confirmation_writes_everything(demo, users, group, run):
    # given a valid file of three new deputies, one holding two mandates
    rows = [person(1), person(2), person(3, 层级2="乡镇级", 人大2=CHENGGUAN, 届次2="19")]
    before = counts()

    # when it is uploaded
    job = run(users["staff"], "deputies", xlsx(rows))

    # then the preview counts them and nothing is written
    assert job.status == "ready"
    assert (job.summary["create"], job.summary["update"]) == (3, 0)
    assert counts() == before
    assert import_progress(job=job).percent == 100

    # when the staff confirms
    job = run.confirm(job, users["staff"])

    # then the deputies exist with their particulars, stations, group and mandates
    assert job.status == "done" and job.finished_at is not None
    assert job.summary["create"] == 3
    d = Deputy.objects.get(code="new-003")
    assert (d.name, d.gender, d.birth_year, d.ethnicity) == ("测试代表3", "f", 1963, "汉族")
    assert d.specialties == "农业技术,乡村振兴" and d.is_official is False
    assert d.phone == "13700000003" and d.group == group
    assert d.grid_area.code == "430399100200"
    memberships = {(m.station.code, m.primary) for m in d.memberships.select_related("station")}
    assert memberships == {("cg-hub", True), ("cg-sector-1", False)}
    mandates = {(m.level, m.congress.area.code, m.term) for m in d.mandates.all()}
    assert mandates == {("county", COUNTY, 14), ("township", CHENGGUAN, 19)}
    assert [i["code"] for i in job.summary["items"]] == ["new-001", "new-002", "new-003"]


def test_importing_the_same_file_again_updates_instead_of_duplicating(demo, users, group, run):
    # given a file imported once
    rows = [person(n) for n in range(1, 6)]
    data = xlsx(rows)
    run.confirm(run(users["staff"], "deputies", data), users["staff"])
    after_first = counts()

    # when the same file is imported again
    job = run(users["staff"], "deputies", data)
    assert (job.summary["create"], job.summary["update"], job.summary["changed"]) == (0, 5, 0)
    job = run.confirm(job, users["staff"])

    # then nothing is duplicated
    assert job.status == "done"
    assert counts() == after_first
    assert Deputy.objects.filter(code__startswith="new-").count() == 5


def test_without_a_code_a_deputy_is_found_by_phone_then_by_name_and_birth_year(
    demo, users, group, run
):
    # given two deputies imported without codes: one with a phone, one with only a birth year
    rows = [
        person(1, 代表编码=None),
        person(2, 代表编码=None, 手机号码=None, 出生年份="1977"),
    ]
    run.confirm(run(users["staff"], "deputies", xlsx(rows)), users["staff"])
    made = {d.name: d.code for d in Deputy.objects.filter(name__startswith="测试代表")}
    assert len(made) == 2 and all(c.startswith("dep-") for c in made.values())

    # when the file comes back with an occupation changed on both rows
    rows = [
        person(1, 代表编码=None, 职业="合作社理事长"),
        person(2, 代表编码=None, 手机号码=None, 出生年份="1977", 职业="村医"),
    ]
    job = run(users["staff"], "deputies", xlsx(rows))

    # then both rows are recognised and updated, under the codes they were given
    assert (job.summary["create"], job.summary["update"], job.summary["changed"]) == (0, 2, 2)
    run.confirm(job, users["staff"])
    now = {d.name: (d.code, d.occupation) for d in Deputy.objects.filter(name__startswith="测试")}
    assert now == {
        "测试代表1": (made["测试代表1"], "合作社理事长"),
        "测试代表2": (made["测试代表2"], "村医"),
    }


def test_a_row_with_no_code_phone_or_birth_year_cannot_be_found_again_and_is_refused(
    demo, users, group, run
):
    job = run(
        users["staff"], "deputies", xlsx([person(1, 代表编码=None, 手机号码=None, 出生年份=None)])
    )
    assert [(e["row"], e["code"]) for e in job.errors] == [(2, "not_identifiable")]


def test_memberships_follow_the_file_within_the_importers_area_and_mandates_are_kept(
    demo, users, group, neighbour, run
):
    # given a deputy of the 城关 hub who is also a member of the neighbouring county's station
    run.confirm(run(users["staff"], "deputies", xlsx([person(1)])), users["staff"])
    d = Deputy.objects.get(code="new-001")
    StationMembership.objects.create(station=neighbour["station"], deputy=d)

    # when the file moves them to 河口's hub and names a second mandate
    row = person(1, 所在联络站="hk-hub", 层级1="乡镇级", 人大1="430399101000", 届次1="19")
    job = run.confirm(run(users["staff"], "deputies", xlsx([row])), users["staff"])

    # then the memberships in the staff's area follow the file, the other county's stays,
    # and the county mandate is kept beside the new township one
    assert job.status == "done" and job.summary["changed"] == 1
    memberships = {(m.station.code, m.primary) for m in d.memberships.select_related("station")}
    assert memberships == {("hk-hub", True), ("lx-hub", False)}
    assert {(m.level, m.term) for m in d.mandates.all()} == {("county", 14), ("township", 19)}


def test_english_headers_and_values_are_accepted(demo, users, group, run):
    row = {
        "Deputy code": "en-001",
        "Name": "Li Lei",
        "Gender": "Male",
        "Birth year": "1981",
        "Phone": "137 0000 9999",
        "Stations": "cg-hub",
        "Official deputy": "Yes",
        "Mandate 1 level": "County",
        "Mandate 1 congress": COUNTY,
        "Mandate 1 term": "14",
    }
    data = xlsx([row], title="Deputies")

    job = run.confirm(run(users["staff"], "deputies", data), users["staff"])

    assert job.status == "done"
    d = Deputy.objects.get(code="en-001")
    assert (d.gender, d.phone, d.is_official) == ("m", "13700009999", True)
    assert d.mandates.get().level == "county"


def test_confirmation_checks_again_and_writes_nothing_if_the_database_moved_on(
    demo, users, group, run
):
    # given a previewed file whose rows name the 城关 east sector station
    job = run(users["staff"], "deputies", xlsx([person(1), person(2)]))
    assert job.status == "ready"

    # when, before confirmation, someone else gives a deputy the second row's phone number
    Deputy.objects.filter(code="dep-001").update(phone="13700000002")
    job = run.confirm(job, users["staff"])

    # then the import stops with the new problem and writes nothing
    assert job.status == "invalid"
    assert [(e["row"], e["code"]) for e in job.errors] == [(3, "phone_taken")]
    assert not Deputy.objects.filter(code__startswith="new-").exists()


# ---- scope and roles ------------------------------------------------------------------------


def test_township_staff_may_only_import_for_their_township(demo, users, group, run):
    # given a staff user of 城关镇 only
    township = Area.objects.get(code=CHENGGUAN)
    clerk = User.objects.create(username="cg-staff")
    RoleAssignment.objects.create(user=clerk, role=Role.STAFF, area=township)

    # when they import a deputy of 城关 and one of 河口, and touch a 河口 deputy
    hk_deputy = Deputy.objects.filter(memberships__station__code="hk-hub").first()
    rows = [
        person(1, 所在联络站="cg-hub"),
        person(2, 所在联络站="hk-hub"),
        person(3, 代表编码=hk_deputy.code, 所在联络站="cg-hub"),
    ]
    job = run(clerk, "deputies", xlsx(rows))

    # then the rows outside their township are refused, naming the row
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (3, "stations", "station_out_of_scope"),
        (4, "code", "deputy_out_of_scope"),
    ]


@pytest.mark.parametrize("username", ["liaison", "deputy", "leader", "dept"])
def test_only_congress_staff_can_import_or_export(demo, users, username):
    user = users[username]
    with pytest.raises(Forbidden):
        import_upload(kind="deputies", upload=ContentFile(xlsx([person(1)]), "a.xlsx"), actor=user)
    client = Client()
    client.force_login(user)
    assert client.get("/imports/").status_code == 404
    assert client.get("/imports/export/deputies.xlsx").status_code == 404
    assert client.get("/imports/template/deputies.xlsx").status_code == 404
    assert not ImportJob.objects.exists()


def test_an_import_is_seen_only_by_whoever_uploaded_it(demo, users, group, run):
    job = run(users["staff"], "deputies", xlsx([person(1)]))
    other = User.objects.create(username="staff2")
    RoleAssignment.objects.create(user=other, role=Role.STAFF, area=Area.objects.get(code=COUNTY))
    client = Client()
    client.force_login(other)
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.post(f"/imports/{job.pk}/confirm/").status_code == 404
    job.refresh_from_db()
    assert job.status == "ready"


# ---- audit, notification, background work ---------------------------------------------------


def test_an_import_is_audited_and_its_uploader_notified(demo, users, group, run, settings):
    settings.LIANLUO_OUTBOX_MODE = "sync"
    job = run.confirm(run(users["staff"], "deputies", xlsx([person(1)])), users["staff"])

    verbs = list(
        AuditLog.objects.filter(target_type="onboarding.importjob", target_id=str(job.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["import_upload", "import_confirm", "import_done"]
    assert AuditLog.objects.get(verb="import_done").data == {"create": 1, "update": 0, "changed": 0}
    note = Notification.objects.get(user=users["staff"])
    assert note.link == f"/imports/{job.pk}/" and "名单.xlsx" in note.subject
    assert not job.file  # the uploaded file (personal data) is not kept after the import


def test_jobs_left_behind_are_picked_up_by_the_sweep_and_never_run_twice(demo, users, group):
    # given an upload and a confirmation whose background steps never ran (a lost thread)
    job = import_upload(
        kind="deputies", upload=ContentFile(xlsx([person(1)]), "a.xlsx"), actor=users["staff"]
    )
    assert ImportJob.objects.get(pk=job.pk).status == "uploaded"

    # when the sweep runs (the periodic task, or `manage.py run_imports`)
    assert import_sweep() == 1
    job.refresh_from_db()
    assert job.status == "ready"
    assert import_check(job_id=job.pk) is None  # a late duplicate delivery does nothing

    import_confirm(job=job, actor=users["staff"])
    from django.core.management import call_command

    call_command("run_imports", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "done"
    assert import_sweep() == 0
    assert Deputy.objects.filter(code="new-001").count() == 1


def test_the_api_reports_the_progress_of_ones_own_import(demo, users, group, run, api):
    job = run(users["staff"], "deputies", xlsx([person(1), person(2)]))

    body = api("staff").get(f"/api/v1/imports/{job.pk}").json()

    assert (body["status"], body["percent"], body["running"]) == ("ready", 100, False)
    assert (body["create"], body["update"], body["total_rows"]) == (2, 0, 2)
    assert api("liaison").get(f"/api/v1/imports/{job.pk}").status_code == 404
