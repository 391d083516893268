"""Excel onboarding, the preview: every bad row of a roster sheet is reported with its row
number and reason, in the reader's language, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import translation

from lianluo.core.models import Area
from lianluo.deputies.models import Deputy
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.selectors import import_errors
from lianluo.stations.models import Station
from tests.factories.onboarding import (
    CHENGGUAN,
    COUNTY,
    DEPUTY_HEADERS,
    counts,
    person,
    xlsx,
)

pytestmark = pytest.mark.usefixtures("_imports")


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
