"""Excel onboarding: a roster import is a preview first (every bad row reported with its row
number and reason, nothing written), is written only on confirmation, and importing the same
file again updates instead of duplicating."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lianluo.core.errors import Forbidden
from lianluo.core.models import Area, AuditLog, Congress, Notification, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy, DeputyGroup, Mandate
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.selectors import import_errors, import_progress
from lianluo.onboarding.services import import_check, import_confirm, import_sweep, import_upload
from lianluo.stations.models import Station, StationMembership

DEPUTY_HEADERS = [
    "代表编码", "姓名", "性别", "民族", "出生年份", "政治面貌", "行业", "职业", "专长", "职务代表",
    "手机号码", "所在联络站", "联系网格", "代表小组",
    "层级1", "人大1", "届次1", "选区1", "层级2", "人大2", "届次2", "选区2",
]  # fmt: skip
COUNTY = "430399000000"
CHENGGUAN = "430399100000"


def xlsx(rows: list[dict], *, title: str = "代表", headers: list[str] | None = None) -> bytes:
    """A workbook as a person would fill it in (written with openpyxl, not with our code)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    headers = headers or list(dict.fromkeys(k for r in rows for k in r))
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def person(n: int, **changes: str) -> dict:
    """A valid new deputy of the 城关 hub with a county mandate."""
    row = {
        "代表编码": f"new-{n:03d}",
        "姓名": f"测试代表{n}",
        "性别": "女" if n % 2 else "男",
        "民族": "汉族",
        "出生年份": str(1960 + n % 40),
        "政治面貌": "群众",
        "行业": "农业",
        "职业": "种植户",
        "专长": "农业技术、乡村振兴",
        "职务代表": "否",
        "手机号码": f"1370000{n:04d}",
        "所在联络站": "cg-hub;cg-sector-1",
        "联系网格": "430399100200",
        "代表小组": "城关代表小组",
        "层级1": "县级",
        "人大1": COUNTY,
        "届次1": "14",
        "选区1": "城关镇选区",
    }
    row.update(changes)
    return row


@pytest.fixture(autouse=True)
def _imports(settings, tmp_path, monkeypatch):
    """Imports run inline; uploaded files go to a temporary directory."""
    settings.LIANLUO_IMPORT_MODE = "sync"
    field = ImportJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))


@pytest.fixture
def group(demo):
    congress = Congress.objects.get(area__code=CHENGGUAN)
    return DeputyGroup.objects.create(congress=congress, name="城关代表小组")


@pytest.fixture
def neighbour(demo):
    """A county next door, outside the demo staff's area: a station and a deputy there."""
    city = Area.objects.get(code="430300000000")
    area = Area.objects.create(code="430398000000", name="邻县", level="county", parent=city)
    congress = Congress.objects.create(area=area, name="邻县人民代表大会")
    station = Station.objects.create(
        code="lx-hub", name="邻县联络总站", kind="hub", area=area, congress=congress
    )
    deputy = Deputy.objects.create(code="lx-dep", name="邻县代表", phone="13600000001")
    StationMembership.objects.create(station=station, deputy=deputy, primary=True)
    return {"area": area, "station": station, "deputy": deputy}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(user, kind, data) uploads and checks a file; confirm(job, user) writes it."""

    def upload(user, kind: str, data: bytes, name: str = "名单.xlsx") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = import_upload(kind=kind, upload=ContentFile(data, name=name), actor=user)
        job.refresh_from_db()
        return job

    def confirm(job: ImportJob, user) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(job=job, actor=user)
        job.refresh_from_db()
        return job

    upload.confirm = confirm
    return upload


def counts() -> tuple[int, int, int, int]:
    return (
        Deputy.objects.count(),
        Mandate.objects.count(),
        StationMembership.objects.count(),
        DeputyGroup.objects.count(),
    )


# ---- validation ----------------------------------------------------------------------------

TWENTY_MISTAKES = [
    # (column key, error code, what the person got wrong)
    ("name", "required", {"姓名": None}),
    ("name", "too_long", {"姓名": "张" * 51}),
    ("gender", "bad_choice", {"性别": "未知"}),
    ("birth_year", "bad_year", {"出生年份": "1850"}),
    ("phone", "bad_phone", {"手机号码": "12345"}),
    ("code", "bad_code", {"代表编码": "张 三!"}),
    ("stations", "unknown_station", {"所在联络站": "cg-hub;nope-1"}),
    ("stations", "station_out_of_scope", {"所在联络站": "lx-hub"}),
    ("grid_area", "unknown_area", {"联系网格": "430399999999"}),
    ("grid_area", "bad_area_code", {"联系网格": "4303"}),
    ("group", "unknown_group", {"代表小组": "不存在的小组"}),
    ("term1", "mandate_incomplete", {"届次1": None}),
    ("congress1", "unknown_congress", {"人大1": "青山县人民代表大会"}),
    ("congress1", "mandate_level", {"人大1": CHENGGUAN}),
    ("term1", "bad_term", {"届次1": "十四"}),
    ("congress2", "mandate_twice", {"层级2": "县级", "人大2": COUNTY, "届次2": "第14届"}),
    ("code", "duplicate_code", {"代表编码": "new-001"}),
    ("phone", "duplicate_phone", {"手机号码": "13700000002"}),
    ("phone", "phone_taken", {"手机号码": "PHONE_OF_DEP_005"}),
    ("code", "deputy_out_of_scope", {"代表编码": "lx-dep"}),
]


def test_a_sheet_with_twenty_kinds_of_mistakes_gets_twenty_precise_messages_and_writes_nothing(
    demo, users, group, neighbour, run
):
    # given two good rows, then twenty rows with one mistake each
    taken = Deputy.objects.get(code="dep-005").phone
    rows = [person(1), person(2)]
    for i, (_key, _code, change) in enumerate(TWENTY_MISTAKES, start=10):
        change = {k: (taken if v == "PHONE_OF_DEP_005" else v) for k, v in change.items()}
        rows.append(person(i, **change))
    before = counts()

    # when the staff uploads it
    job = run(users["staff"], "deputies", xlsx(rows, headers=DEPUTY_HEADERS))

    # then twenty messages, one per bad row, each naming its row and column; nothing written
    assert job.status == "invalid"
    found = [(e["row"], e["column"], e["code"]) for e in job.errors]
    expected = [(row, key, code) for row, (key, code, _c) in enumerate(TWENTY_MISTAKES, start=4)]
    assert found == expected
    assert len({code for *_x, code in found}) == 20
    assert job.summary["error_count"] == 20
    assert counts() == before
    assert not Deputy.objects.filter(code__in=["new-001", "new-002"]).exists()
    with translation.override("en"):
        lines = import_errors(job=job)
    assert [line.row for line in lines] == list(range(4, 24))
    assert lines[4].column == "手机号码"
    assert lines[6].message == "No station has the code “nope-1”."
    assert lines[16].message == "The code “new-001” is already on row 2 of this file."


def test_the_errors_are_shown_in_the_readers_language(demo, users, group, run):
    # given a file with a missing name and a bad phone number, uploaded in Chinese
    rows = [person(1, 姓名=None), person(2, 手机号码="12345")]
    job = run(users["staff"], "deputies", xlsx(rows))

    # when the job page is read in Chinese and in English
    client = Client()
    client.force_login(users["staff"])
    zh = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # then each shows the row numbers, the file's own column headers and the reasons
    assert "此项为必填项。" in zh and "请输入正确的电话号码，例如 13812345678。" in zh
    assert "This field is required." in en and "Enter a phone number such as 13812345678." in en
    for page in (zh, en):
        assert 'data-row="2"' in page and 'data-row="3"' in page
        assert "姓名" in page and "手机号码" in page
    assert Deputy.objects.filter(code__startswith="new-").count() == 0


def test_station_sheet_mistakes_are_reported_row_by_row(demo, users, neighbour, run):
    # given a station sheet with a mistake on every row but the first
    headers = ["站点编码", "站点名称", "类型", "区划代码", "上级站点编码", "所属人大"]
    rows = [
        ["cg-new-1", "城关新站", "联络站", CHENGGUAN, "cg-hub", ""],
        ["cg-new-2", "城关二站", "办事处", CHENGGUAN, "", ""],  # bad kind
        ["cg-new-3", "城关三站", "联络站", CHENGGUAN, "nowhere", ""],  # unknown parent
        ["cg-new-4", "城关四站", "联络站", CHENGGUAN, "cg-new-4", ""],  # its own parent
        ["cg-new-5", "城关五站", "联络站", "430398000000", "", ""],  # outside the area
        ["cg-new-6", "城关六站", "联络站", CHENGGUAN, "", "430399101000"],  # congress of 河口
        ["cg-new-7", "城关七站", "联络站", CHENGGUAN, "hk-hub", ""],  # parent in 河口
        ["cg-new-1", "重复", "联络站", CHENGGUAN, "", ""],  # duplicate code
        ["lx-hub", "改邻县的站", "总站", CHENGGUAN, "", ""],  # a station of another county
        ["cg-loop-a", "甲", "联络站", CHENGGUAN, "cg-loop-b", ""],  # a loop of parents
        ["cg-loop-b", "乙", "联络站", CHENGGUAN, "cg-loop-a", ""],
        ["cg-new-8", "城关八站", "联络站", "430399000001", "", "不知名人大"],
    ]
    data = xlsx([dict(zip(headers, r, strict=True)) for r in rows], title="联络站")

    # when it is checked
    job = run(users["staff"], "stations", data)

    # then every bad row is named with the reason, and no station is written
    assert job.status == "invalid"
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (3, "kind", "bad_choice"),
        (4, "parent", "unknown_parent_station"),
        (5, "parent", "parent_self"),
        (6, "area", "area_out_of_scope"),
        (7, "congress", "congress_not_above"),
        (8, "parent", "parent_area"),
        (9, "code", "duplicate_code"),
        (10, "code", "station_out_of_scope"),
        (11, "parent", "parent_cycle"),
        (12, "parent", "parent_cycle"),
        (13, "area", "unknown_area"),
        (13, "congress", "unknown_congress"),
    ]
    assert not Station.objects.filter(code__startswith="cg-new").exists()


def test_area_sheet_mistakes_are_reported_row_by_row(demo, users, neighbour, run):
    headers = ["区划代码", "名称", "层级", "上级区划代码", "人大名称"]
    rows = [
        ["430399104000", "新乡镇", "乡镇", COUNTY, "新乡镇人民代表大会"],  # fine
        ["4303991040", "短码", "乡镇", COUNTY, ""],  # not 12 digits
        ["430399105001", "码不对", "乡镇", COUNTY, ""],  # a village code for a township
        ["430398106000", "跨县", "乡镇", COUNTY, ""],  # does not start with the county's digits
        ["430399107000", "无上级", "乡镇", "430399888000", ""],  # unknown parent
        ["430398100000", "邻县的乡", "乡镇", "430398000000", ""],  # under another county
        ["430399100000", "城关镇", "乡镇", "430399101000", ""],  # moving an existing area
        ["430399104200", "新村", "村（社区）", "430399104000", "新村人大"],  # villages: no congress
        ["430397000000", "县下的县", "县", COUNTY, ""],  # a county under a county
    ]
    data = xlsx([dict(zip(headers, r, strict=True)) for r in rows], title="区划")

    job = run(users["staff"], "areas", data)

    assert job.status == "invalid"
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (3, "code", "bad_area_code"),
        (4, "code", "area_code_level"),
        (5, "code", "area_code_parent"),
        (6, "parent", "unknown_parent_area"),
        (7, "code", "area_out_of_scope"),
        (8, "parent", "area_move"),
        (9, "congress", "village_congress"),
        (10, "level", "area_level_parent"),
    ]
    assert not Area.objects.filter(code="430399104000").exists()


def test_a_missing_required_column_is_reported_on_the_header_row(demo, users, run):
    data = xlsx([{"姓名": "张三", "手机号码": "13700000001"}])
    job = run(users["staff"], "deputies", data)
    assert job.status == "invalid"
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (1, "stations", "missing_column")
    ]
    with translation.override("en"):
        line = import_errors(job=job)[0]
    assert line.message == "The column “Stations” is missing from the first row."


def test_a_file_that_is_not_a_workbook_is_refused_on_the_upload_page(demo, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["staff"])
    fake = ContentFile(b"name,phone\n", name="roster.xlsx")
    response = client.post("/imports/", {"kind": "deputies", "file": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file could not be read as an Excel workbook (.xlsx)." in page
    assert not ImportJob.objects.exists()


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
