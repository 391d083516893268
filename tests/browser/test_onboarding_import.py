"""The county staff imports deputies from Excel on a phone: a sheet with mistakes is refused
row by row, in Chinese, with nothing written; a correct sheet is previewed, confirmed, written
in the background while the page's progress bar runs to the end, and the deputies are there."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook
from playwright.sync_api import expect

from lianluo.deputies.models import Deputy, Mandate
from lianluo.stations.models import StationMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "代表编码",
    "姓名",
    "性别",
    "出生年份",
    "手机号码",
    "所在联络站",
    "层级1",
    "人大1",
    "届次1",
]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def workbook(rows: list[list], path) -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "代表"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def new_deputy(n: int) -> list:
    return [
        f"imp-{n:03d}",
        f"新代表{n:02d}",
        "女",
        "1980",
        f"1360000{n:04d}",
        "cg-hub",
        "县级",
        "430399000000",
        "14",
    ]


@pytest.fixture
def background(settings):
    """The import runs in a thread of the server, as without a broker in production."""
    settings.LIANLUO_IMPORT_MODE = "thread"


def upload(page, site, path: str) -> None:
    page.goto(f"{site['url']}/imports/")
    page.locator("input[name=kind][value=deputies]").check()
    page.set_input_files("input[name=file]", path)
    page.get_by_test_id("upload").click()


def test_staff_imports_deputies_from_excel_after_a_refused_first_try(
    site, phone, login, shot, tmp_path, background
):
    staff = phone()
    login(staff, "staff")
    before = (Deputy.objects.count(), Mandate.objects.count(), StationMembership.objects.count())

    # Given a sheet where row 3 has no name, row 4 a bad phone and row 5 an unknown station
    bad = workbook(
        [
            new_deputy(1),
            ["imp-002", None, "男", "1975", "13600000002", "cg-hub", "县级", "430399000000", "14"],
            ["imp-003", "新代表03", "男", "1975", "12345", "cg-hub", "县级", "430399000000", "14"],
            [
                "imp-004",
                "新代表04",
                "男",
                "1975",
                "13600000004",
                "xx-9",
                "县级",
                "430399000000",
                "14",
            ],
        ],
        tmp_path / "有错误的名单.xlsx",
    )

    # When the staff uploads it from the set-up page
    staff.get_by_test_id("setup-link").click()
    staff.get_by_test_id("imports-link").click()
    upload(staff, site, bad)

    # Then the page lists the three bad rows with their numbers and reasons, in Chinese
    status = staff.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "invalid")
    errors = staff.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(3)
    expect(errors.locator("tr[data-row='3']")).to_contain_text("姓名")
    expect(errors.locator("tr[data-row='3']")).to_contain_text(zh("This field is required."))
    expect(errors.locator("tr[data-row='4']")).to_contain_text("手机号码")
    expect(errors.locator("tr[data-row='4']")).to_contain_text(
        zh("Enter a phone number such as 13812345678.")
    )
    expect(errors.locator("tr[data-row='5']")).to_contain_text("xx-9")
    expect(staff.get_by_test_id("nothing-written")).to_be_visible()
    assert zh("This field is required.") == "此项为必填项。"
    shot(staff, "errors")
    # and nothing was written, not even the good first row
    assert not Deputy.objects.filter(code__startswith="imp-").exists()
    assert before == (
        Deputy.objects.count(),
        Mandate.objects.count(),
        StationMembership.objects.count(),
    )

    # When they upload a corrected sheet: 40 new deputies and one already saved
    existing = Deputy.objects.get(code="dep-001")
    good = workbook(
        [new_deputy(n) for n in range(1, 41)]
        + [
            [
                existing.code,
                existing.name,
                "女",
                "1962",
                existing.phone,
                "cg-hub",
                "县级",
                "430399000000",
                "14",
            ]
        ],
        tmp_path / "名单.xlsx",
    )
    upload(staff, site, good)

    # Then the preview counts them and still nothing is written
    expect(status).to_have_attribute("data-status", "ready")
    expect(staff.get_by_test_id("count-create")).to_have_text("40")
    expect(staff.get_by_test_id("count-update")).to_have_text("1")
    shot(staff, "preview")
    assert not Deputy.objects.filter(code__startswith="imp-").exists()

    # When they confirm, the page follows the import with a progress bar until it is done
    staff.get_by_test_id("confirm-import").click()
    expect(status).to_have_attribute("data-status", "done", timeout=30_000)
    expect(staff.get_by_test_id("import-progress")).to_have_attribute("value", "100")
    expect(staff.get_by_test_id("import-percent")).to_have_text("100%")
    expect(staff.get_by_test_id("imported-rows")).to_contain_text("新代表40")
    shot(staff, "done")

    # Then the deputies are saved with their station and mandate, and show in the admin list
    assert Deputy.objects.filter(code__startswith="imp-").count() == 40
    d = Deputy.objects.get(code="imp-007")
    assert d.stations.get().code == "cg-hub" and d.mandates.get().term == 14
    admin = phone()
    login(admin, "admin")
    admin.goto(f"{site['url']}/admin/deputies/deputy/?q=新代表")
    expect(admin.locator("#result_list tbody tr")).to_have_count(40)
    shot(admin, "admin-list")


def test_staff_exports_the_demo_roster_and_imports_it_back_in_english(
    site, phone, login, shot, tmp_path, background
):
    # Given the staff on the import page, reading the site in English
    staff = phone()
    login(staff, "staff")
    staff.goto(f"{site['url']}/imports/")
    staff.locator("header button[name=language][value=en]").click()
    expect(staff.locator("html")).to_have_attribute("lang", "en")

    # When they download the export of all sheets (the demo county's roster)
    with staff.expect_download() as download:
        staff.get_by_test_id("export-all").click()
    roster = tmp_path / "roster.xlsx"
    download.value.save_as(roster)

    # and import its stations, then its deputies
    for kind, count in (("stations", "25"), ("deputies", "64")):
        staff.goto(f"{site['url']}/imports/")
        staff.locator(f"input[name=kind][value={kind}]").check()
        staff.set_input_files("input[name=file]", str(roster))
        staff.get_by_test_id("upload").click()
        status = staff.get_by_test_id("import-status")
        expect(status).to_have_attribute("data-status", "ready")

        # Then every row is recognised as already saved, none new, none changed
        expect(staff.get_by_test_id("count-create")).to_have_text("0")
        expect(staff.get_by_test_id("count-update")).to_have_text(count)
        expect(staff.get_by_test_id("count-changed")).to_have_text("0")
        staff.get_by_test_id("confirm-import").click()
        expect(status).to_have_attribute("data-status", "done", timeout=30_000)
        expect(staff.get_by_test_id("import-done")).to_contain_text("Imported: 0 new")
        shot(staff, f"{kind}-done")
    assert Deputy.objects.count() == 64
