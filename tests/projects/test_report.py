"""The year's report of a congress's livelihood projects: the PDF (rendered by poppler), the
Excel workbook (read back), and who may export them (the congress's staff and leaders)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianluo.core.models import Role, RoleAssignment, User
from lianluo.projects.models import Photo
from tests.projects.public_loop import CITIZEN_NAME, CITIZEN_PHONE, TITLES, YEAR, build


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def loop(demo, users, tmp_path, monkeypatch):
    field = Photo._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return build(demo, users["staff"], "rated")


def _client(user: User | None, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _pdf_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_pdf_renders_with_every_part(loop, users, tmp_path):
    response = _client(users["staff"]).get(
        reverse("projects:report_pdf", args=[loop.congress.pk, YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    compact = "".join(text.split())
    for title in TITLES:
        assert title in compact
    for heading in ("候选项目", "票决结果", "监督", "年终满意度测评", "整改清单"):
        assert heading in compact
    assert loop.congress.name in compact
    assert "路面质量不达标" in compact and "施工噪音扰民" in compact
    assert CITIZEN_NAME not in compact and CITIZEN_PHONE not in compact
    # Rendered to an image by poppler: a real page, not an empty one.
    assert shutil.which("pdftoppm")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "report.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    assert (tmp_path / "page.png").stat().st_size > 5000


def test_pdf_in_english(loop, users, tmp_path):
    response = _client(users["leader"], "en").get(
        reverse("projects:report_pdf", args=[loop.congress.pk, YEAR])
    )
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert "Livelihood projects of 2026" in text and "Rectification lists" in text


def test_workbook_sheets_and_rows(loop, users, demo):
    response = _client(users["staff"]).get(
        reverse("projects:report_xlsx", args=[loop.congress.pk, YEAR])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "概况",
        "候选项目",
        "票决结果",
        "票决通过的项目：方案、进度与支出",
        "监督",
        "年终满意度测评",
        "整改清单",
    ]

    def rows(name):
        return [list(r) for r in wb[name].iter_rows(min_row=3, values_only=True)]

    candidates = rows("候选项目")
    assert [r[1] for r in candidates] == TITLES
    assert candidates[0][2] == "120.50" and candidates[0][7] == "群众 2、代表 1、承办单位 1"
    n = loop.vote.voted_count
    vote = {r[0]: r for r in rows("票决结果")}
    assert vote[TITLES[0]][2:7] == [str(n), "0", "0", "是", "是"]
    assert vote[TITLES[2]][3] == str(n) and vote[TITLES[2]][6] == "否"
    approved = rows("票决通过的项目：方案、进度与支出")
    assert [r[0] for r in approved] == TITLES[:2]
    assert approved[0][5:8] == ["80", "90.00", "2026-09-30"]
    supervision = rows("监督")
    assert any(r[4] == "现场视察，进度正常" and r[5] == "施工噪音扰民" for r in supervision)
    groups = [r[4] for r in supervision if r[1] == "监督小组"]
    leader = demo["deputies"][0].name
    assert len(groups) == 2 and groups[0].startswith(f"{leader} （组长）")
    assert demo["deputies"][5].name not in groups[0]  # proposed, not confirmed
    grades = {r[0]: r[4] for r in rows("年终满意度测评")}
    assert grades == {TITLES[0]: "满意", TITLES[1]: "不满意"}
    rect = rows("整改清单")
    assert rect == [
        [
            TITLES[1],
            "路面质量不达标",
            "县交通运输局负主要责任",
            "返工重铺",
            "2027-03-31",
            "县人大常委会 2026-12-15",
            "尚未完成",
        ]
    ]
    everything = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r)
    assert CITIZEN_NAME not in everything and CITIZEN_PHONE not in everything


def test_open_vote_has_no_counts_in_the_report(demo, users):
    loop = build(demo, users["staff"], "voting")
    response = _client(users["staff"]).get(
        reverse("projects:report_xlsx", args=[loop.congress.pk, YEAR])
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert list(wb["票决结果"].iter_rows(min_row=3, values_only=True)) == []
    assert len(list(wb["候选项目"].iter_rows(min_row=3, values_only=True))) == 3


@pytest.mark.parametrize("name", ["report_pdf", "report_xlsx"])
def test_only_the_congress_staff_and_leaders_export(loop, users, demo, name):
    url = reverse(f"projects:{name}", args=[loop.congress.pk, YEAR])
    assert _client(None).get(url).status_code == 302  # to sign in
    for username in ("deputy", "liaison", "dept"):
        assert _client(users[username]).get(url).status_code == 403
    township = User.objects.create_user(username="township-staff", password="x")
    RoleAssignment.objects.create(user=township, role=Role.STAFF, area=demo["townships"][0])
    assert _client(township).get(url).status_code == 403
    for username in ("staff", "leader", "admin"):
        assert _client(users[username]).get(url).status_code == 200


def test_report_of_a_year_with_nothing_published_is_404(demo, users):
    url = reverse("projects:report_pdf", args=[demo["county_congress"].pk, YEAR + 5])
    assert _client(users["staff"]).get(url).status_code == 404
