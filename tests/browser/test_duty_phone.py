"""Duty points on phones: an officer registers a record with a photo as evidence, the deputy
finds it in their archive and reports one of their own, the officer approves it from the queue;
and the duty report (PDF) rendered by poppler on a machine that knows no font shows its Chinese
text (the `browser` marker: it needs the Debian tools)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from lianluo.core.models import User
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntryStatus, PointEntry
from lianluo.duty.services import catalog_install_default, points_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page: Page) -> None:
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390


@pytest.fixture
def points(site):
    """This year's default catalog at the 城关 township congress."""
    year = timezone.localdate().year
    catalog_install_default(congress=site["cg_hub"].congress, year=year, actor=None)
    return {i.code: i for i in DutyItem.objects.filter(congress=site["cg_hub"].congress, year=year)}


def test_a_record_with_a_photo_then_a_self_report_approved_from_the_queue(
    site, points, phone, login, shot, tmp_path
):
    deputy = Deputy.objects.get(user__username="deputy")
    photo = tmp_path / "visit.png"
    Image.new("RGB", (640, 480), (200, 120, 60)).save(photo)

    # Given the officer of the 城关 hub on their phone
    officer = phone()
    login(officer, "liaison")

    # When they register a visit for the deputy, with the photo as evidence
    officer.get_by_test_id("points-link").click()
    officer.get_by_test_id("register-link").click()
    officer.get_by_role("link", name=deputy.name).click()
    officer.select_option("#id_item", str(points["visit"].pk))
    officer.fill("#id_note", "走访城关社区独居老人5户")
    officer.set_input_files("#id_evidence", str(photo))
    shot(officer, "register")
    fits_the_phone(officer)
    officer.get_by_test_id("submit-record").click()

    # Then the deputy's archive shows it, counted, with the evidence
    expect(officer.get_by_test_id("points-total")).to_have_text("2")
    expect(officer.get_by_test_id("entries")).to_contain_text("走访城关社区独居老人5户")
    entry = PointEntry.objects.get(deputy=deputy, item=points["visit"])
    evidence = officer.get_by_test_id(f"evidence-{entry.pk}")
    served = officer.request.get(site["url"] + evidence.get_attribute("href"))
    assert served.status == 200 and served.headers["content-type"] == "image/png"

    # When the deputy opens their points on their own phone and reports a training
    me = phone()
    login(me, "deputy")
    me.get_by_test_id("points-link").click()
    expect(me.get_by_test_id("archive-name")).to_have_text(deputy.name)
    expect(me.get_by_test_id("points-total")).to_have_text("2")
    me.get_by_test_id("self-report-link").click()
    me.select_option("#id_item", str(points["training"].pk))
    me.fill("#id_note", "参加县人大代表履职能力培训班")
    me.get_by_test_id("submit-record").click()
    expect(me.get_by_test_id("pending-note")).to_be_visible()
    shot(me, "archive-pending")
    fits_the_phone(me)

    # And the officer approves it from the verification queue
    officer.goto(f"{site['url']}/points/verify/")
    entry = PointEntry.objects.get(deputy=deputy, status=EntryStatus.PENDING)
    expect(officer.get_by_test_id(f"pending-{entry.pk}")).to_contain_text("履职能力培训班")
    shot(officer, "queue")
    fits_the_phone(officer)
    officer.get_by_test_id(f"approve-{entry.pk}").click()
    expect(officer.get_by_test_id("queue-empty")).to_be_visible()

    # Then the deputy sees 4 points
    me.reload()
    expect(me.get_by_test_id("points-total")).to_have_text("4")
    shot(me, "archive")


# ---- the report rendered by poppler with no system font -----------------------------------------

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def run(tmp_path: Path, *args: str) -> str:
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "fc-cache"))
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        list(args), capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def test_the_duty_report_renders_its_chinese_text_from_the_embedded_font(site, points, tmp_path):
    for tool in ("pdftoppm", "pdftotext", "pdffonts"):
        assert shutil.which(tool), f"{tool} is missing (apt-get install poppler-utils)"
    deputy = Deputy.objects.get(user__username="deputy")
    points_register(
        actor=User.objects.get(username="liaison"),
        deputy=deputy,
        item=points["training"],
        occurred_on=timezone.localdate(),
        note="履职培训",
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="liaison"))
    response = client.get(f"/points/deputies/{deputy.code}/report.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)

    # Only the bundled font, embedded
    rows = run(tmp_path, "pdffonts", str(pdf)).splitlines()[2:]
    assert rows and all(r.split()[0].endswith("+LianluoSansSC-Regular") for r in rows)
    assert all(r.split()[-5] == "yes" for r in rows)  # the "emb" column
    # The Chinese text is there as text
    text = run(tmp_path, "pdftotext", "-layout", str(pdf), "-")
    assert deputy.name in text and "参加学习培训" in text and site["cg_hub"].name in text
    # And drawn: the first page has ink where the title and the facts are
    run(
        tmp_path,
        "pdftoppm",
        "-png",
        "-r",
        "60",
        "-f",
        "1",
        "-l",
        "1",
        str(pdf),
        str(tmp_path / "p"),
    )
    [page] = sorted(tmp_path.glob("p-*.png"))
    with Image.open(page) as img:
        gray = img.convert("L")
        w, h = gray.size
        band = gray.crop((0, int(h * 0.05), w, int(h * 0.3)))
        assert sum(band.histogram()[:160]) > 2000  # dark pixels: the text is drawn
