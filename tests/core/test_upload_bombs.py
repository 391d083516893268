"""Decompression bombs: a small upload that expands enormously once decoded — a PNG of
12,000 × 12,000 pixels in 446 KB, a workbook whose shared strings unpack to tens of MB — is
refused from its header or its zip directory, before anything decodes it, at every upload
(the case form, activity photos, duty and checklist evidence, the roster import): a clear
message at the field, or `{code, message}` from the API, and the request's peak memory stays
far below what decoding would take.

Memory is the kernel's high-water mark of this process (reset before the request): it counts
Pillow's and lxml's C buffers, which tracemalloc does not see. No test measures time."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from lianluo.activities.forms import RecordForm as ActivityRecordForm
from lianluo.cases.models import Case, CasePhoto
from lianluo.core.models import User
from lianluo.core.services import api_token_issue
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, PointEntry
from lianluo.duty.services import catalog_install_default
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.services import import_upload
from lianluo.onboarding.sheets import read_sheet
from lianluo.stations.models import Station, StationChecklist

BOMB_SIDE = 12_000  # 144 megapixels: about 0.6 GB once decoded
MEMORY_BOUND = 100 * 2**20  # far below that, and below the workbook bomb's expansion too
TOO_MANY_PIXELS = "图片像素过大"
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(demo_shared):
    return demo_shared


# ---- measuring ------------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    assert match, field
    return int(match.group(1))


@contextmanager
def peak_memory() -> Iterator[dict[str, int]]:
    """{"rise": bytes}: how far this process's resident memory peaked above its level on
    entry (writing 5 to clear_refs resets the peak, VmHWM, to the current size)."""
    Path("/proc/self/clear_refs").write_text("5")
    base = _status_kib("VmRSS")
    result: dict[str, int] = {}
    try:
        yield result
    finally:
        result["rise"] = (_status_kib("VmHWM") - base) * 1024


# ---- building the bombs ---------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def solid_png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid PNG of one colour, built without holding its pixels: the rows are compressed in
    blocks with a full flush, which makes every block after the first the same bytes, so one
    block is compressed and repeated (the zlib checksum is computed over all of them)."""
    row = b"\x00" + bytes(rgb) * width  # filter byte 0, then the pixels
    per_block = 500
    blocks, rest = divmod(height, per_block)
    block = row * per_block
    comp = zlib.compressobj(9)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(row * rest) + comp.flush()
    adler = 1
    for _ in range(blocks):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(row * rest, adler)
    idat = first + again * (blocks - 1) + tail[:-4] + struct.pack(">I", adler)
    return _png(width, height, idat)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its few bytes of pixels do not have."""
    return _png(width, height, zlib.compress(b"\x00" * 64))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG with the size in its frame header (SOF0) rewritten."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def picture(fmt: str, size: tuple[int, int], **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, fmt, **save)
    return buf.getvalue()


@pytest.fixture(scope="session")
def big_png() -> bytes:
    data = solid_png(BOMB_SIDE, BOMB_SIDE)
    assert len(data) < 500_000  # the 420 KB of the report
    return data


def _roster_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "代表"
    ws.append(["代表编码", "姓名", "手机号码"])
    ws.append(["new-001", "测试代表", "13700000001"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def xlsx_with_shared_strings(count: int) -> bytes:
    """A real workbook plus a shared-strings part of `count` short strings (22 bytes each of
    XML, all alike: 3 million of them are 66 MB that deflate to about 100 KB)."""
    source = zipfile.ZipFile(io.BytesIO(_roster_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            target.writestr(info.filename, data)
        head = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{count}">'
        )
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(head.encode())
            chunk = ("<si><t>代表</t></si>" * 10_000).encode()
            for _ in range(count // 10_000):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


@pytest.fixture(scope="session")
def xlsx_bomb() -> bytes:
    data = xlsx_with_shared_strings(3_000_000)
    assert len(data) < 200_000  # the 175 KB of the report
    return data


# ---- photos: the public case form -----------------------------------------------------------


def test_a_photo_bomb_is_refused_at_the_case_form_before_it_is_decoded(
    demo, private_storage, big_png
):
    # given a PNG of 12,000 × 12,000 pixels in under 500 KB
    upload = SimpleUploadedFile("大图.png", big_png, content_type="image/png")

    # when a citizen attaches it to a message
    with peak_memory() as memory:
        page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
            "/s/cg-hub/", {"text": "路灯坏了", "photos": [upload]}
        )

    # then the form comes back with the reason at the photos, nothing is stored,
    # and the request never held the decoded picture
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-testid="error-photos"' in html
    assert TOO_MANY_PIXELS in html and "25 百万像素" in html
    assert not Case.objects.exists() and not any(private_storage.iterdir())
    assert memory["rise"] < MEMORY_BOUND, memory


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("huge.png", png_claiming(100_000, 100_000)),
        ("huge.jpg", jpeg_claiming(60_000, 60_000)),
        ("wide.png", png_claiming(65_000, 1_000)),
    ],
    ids=["png-10-gigapixels", "jpeg-3.6-gigapixels", "png-65-megapixels"],
)
def test_a_header_claiming_too_many_pixels_is_refused_with_the_reason(
    demo, private_storage, name, content
):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    with peak_memory() as memory:
        page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
            "/s/cg-hub/", {"text": "路灯坏了", "photos": [upload]}
        )
    assert page.status_code == 400
    assert TOO_MANY_PIXELS in page.content.decode()
    assert not Case.objects.exists()
    assert memory["rise"] < MEMORY_BOUND, memory


def test_no_photo_of_a_request_is_decoded_when_one_of_them_is_a_bomb(
    demo, private_storage, big_png
):
    # given a good photo followed by the bomb
    good = SimpleUploadedFile("a.jpg", picture("JPEG", (64, 48)), content_type="image/jpeg")
    bomb = SimpleUploadedFile("b.png", big_png, content_type="image/png")

    with peak_memory() as memory:
        page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            "/s/cg-hub/", {"text": "路灯坏了", "photos": [good, bomb]}
        )

    # then the message names the file and the limit, in the reader's language
    assert page.status_code == 400
    assert "“b.png” has too many pixels: at most 25 megapixels." in page.content.decode()
    assert not Case.objects.exists()
    assert memory["rise"] < MEMORY_BOUND, memory


def test_the_pixel_budget_is_a_setting_and_a_photo_within_it_is_kept(
    demo, private_storage, settings
):
    # given a budget of 10,000 pixels
    settings.LIANLUO_IMAGE_MAX_PIXELS = 10_000
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    # when PNGs of 20,000 and of 10,000 pixels are sent
    over = SimpleUploadedFile("over.png", picture("PNG", (200, 100)), content_type="image/png")
    within = SimpleUploadedFile("ok.png", picture("PNG", (100, 100)), content_type="image/png")
    refused = client.post("/s/cg-hub/", {"text": "路灯坏了", "photos": [over]})
    kept = client.post("/s/cg-hub/", {"text": "路灯坏了", "photos": [within]})

    # then the first is refused, naming the budget; the second is kept as sent
    assert refused.status_code == 400
    assert "“over.png” has too many pixels: at most 0.01 megapixels." in refused.content.decode()
    assert kept.status_code == 302
    photo = CasePhoto.objects.get()
    assert (photo.width, photo.height) == (100, 100)


def test_a_large_phone_jpeg_is_decoded_at_half_size_rather_than_refused(
    demo, private_storage, settings
):
    # given a budget of 10,000 pixels, and a JPEG of 200 × 160 (32,000: over it, under 4×)
    settings.LIANLUO_IMAGE_MAX_PIXELS = 10_000
    upload = SimpleUploadedFile("phone.jpg", picture("JPEG", (200, 160)), content_type="image/jpeg")

    # when it is attached
    page = Client().post("/s/cg-hub/", {"text": "路灯坏了", "photos": [upload]})

    # then it is kept, scaled by the JPEG decoder itself to 100 × 80
    assert page.status_code == 302
    photo = CasePhoto.objects.get()
    assert (photo.width, photo.height, photo.content_type) == (100, 80, "image/jpeg")
    with Image.open(private_storage / photo.file.name) as stored:
        assert stored.size == (100, 80)


def test_the_public_api_takes_no_photos_so_a_multipart_bomb_goes_nowhere(demo, big_png):
    # POST /api/v1/public/cases is JSON only: it has no photo field, a file is never read
    response = Client().post(
        "/api/v1/public/cases",
        {"station": "cg-hub", "text": "路灯坏了", "photos": [io.BytesIO(big_png)]},
    )
    assert 400 <= response.status_code < 500
    assert not Case.objects.exists()


# ---- photos: activities, duty evidence, checklist evidence ----------------------------------


def test_activity_photos_refuse_a_bomb_at_the_field(demo, big_png):
    field = ActivityRecordForm.base_fields["photos"]
    upload = SimpleUploadedFile("活动.png", big_png, content_type="image/png")
    with translation.override("zh-hans"), peak_memory() as memory:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean([upload])
        messages = refused.value.messages
    assert any(TOO_MANY_PIXELS in m for m in messages), messages
    assert memory["rise"] < MEMORY_BOUND, memory


@pytest.fixture
def officer_world(demo):
    """The 城关 east sector's officer and a deputy of it, with the 2026 catalog."""
    with time_machine.travel(NOW, tick=False):
        station = Station.objects.get(code="cg-sector-1")
        deputy = Deputy.objects.filter(memberships__station=station).order_by("code").first()
        catalog_install_default(congress=station.congress, year=2026, actor=None)
        item = DutyItem.objects.get(congress=station.congress, year=2026, code="visit")
        officer = User.objects.get(username="officer-cg-sector-1")
        yield {"officer": officer, "deputy": deputy, "item": item}


@pytest.fixture
def duty_evidence_dir(tmp_path, monkeypatch):
    field = PointEntry._meta.get_field("evidence")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def test_duty_evidence_bomb_gets_a_json_422_from_the_api(officer_world, duty_evidence_dir, big_png):
    raw, _token = api_token_issue(user=officer_world["officer"])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_AUTHORIZATION=f"Bearer {raw}")
    evidence = io.BytesIO(big_png)
    evidence.name = "proof.png"
    before = PointEntry.objects.count()

    with peak_memory() as memory:
        response = client.post(
            "/api/v1/duty/records",
            {
                "deputy": officer_world["deputy"].code,
                "item": officer_world["item"].pk,
                "occurred_on": "2026-06-10",
                "note": "走访选民",
                "evidence": evidence,
            },
        )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_value" and TOO_MANY_PIXELS in body["message"]
    assert PointEntry.objects.count() == before and not any(duty_evidence_dir.iterdir())
    assert memory["rise"] < MEMORY_BOUND, memory


def test_checklist_evidence_bomb_is_refused_at_the_field(
    demo, users, tmp_path, monkeypatch, big_png
):
    field = StationChecklist._meta.get_field("evidence")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["liaison"])
    upload = SimpleUploadedFile("board.png", big_png, content_type="image/png")

    with peak_memory() as memory:
        response = client.post(
            "/checklist/cg-hub/place/", {"place-done": "on", "place-evidence": upload}
        )

    assert response.status_code == 400
    assert TOO_MANY_PIXELS in response.content.decode()
    assert not StationChecklist.objects.exists() and not any(tmp_path.iterdir())
    assert memory["rise"] < MEMORY_BOUND, memory


# ---- workbooks ------------------------------------------------------------------------------


def staff_client(users, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(users["staff"])
    return client


def test_a_workbook_bomb_is_refused_at_the_upload_before_it_is_parsed(demo, users, xlsx_bomb):
    # given a 100 KB workbook whose shared strings unpack to 66 MB
    upload = SimpleUploadedFile("名单.xlsx", xlsx_bomb)

    # when staff upload it
    with peak_memory() as memory:
        response = staff_client(users, "en").post("/imports/", {"kind": "deputies", "file": upload})

    # then the page says why, no import is recorded, and nothing was unpacked
    assert response.status_code == 400
    page = response.content.decode()
    assert "The workbook unpacks to more than" in page and "16.0\xa0MB" in page
    assert not ImportJob.objects.exists()
    assert memory["rise"] < MEMORY_BOUND, memory


def test_the_workbook_refusal_is_in_chinese_too(demo, users, xlsx_bomb):
    upload = SimpleUploadedFile("名单.xlsx", xlsx_bomb)
    response = staff_client(users).post("/imports/", {"kind": "deputies", "file": upload})
    assert response.status_code == 400
    assert "工作簿解压后" in response.content.decode()


def test_a_workbook_bomb_that_reaches_the_check_is_reported_not_parsed(
    demo, users, xlsx_bomb, django_capture_on_commit_callbacks, tmp_path, monkeypatch, settings
):
    settings.LIANLUO_IMPORT_MODE = "sync"
    # given a bomb handed to the import service directly (as any future entry point would)
    field = ImportJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    with peak_memory() as memory, django_capture_on_commit_callbacks(execute=True):
        job = import_upload(
            kind="deputies",
            upload=ContentFile(xlsx_bomb, name="名单.xlsx"),
            actor=users["staff"],
        )
    job.refresh_from_db()

    # then the check ends with the reason as the file's error, without having parsed it
    assert job.status == "invalid"
    assert [e["code"] for e in job.errors] == ["workbook_too_large"]
    with translation.override("zh-hans"):
        from lianluo.onboarding.selectors import import_errors

        assert "工作簿解压后" in import_errors(job=job)[0].message
    assert memory["rise"] < MEMORY_BOUND, memory


def test_the_unpacked_size_limit_is_a_setting(demo, users, settings):
    settings.LIANLUO_XLSX_MAX_UNCOMPRESSED = 4096
    upload = SimpleUploadedFile("名单.xlsx", _roster_workbook())
    response = staff_client(users, "en").post("/imports/", {"kind": "deputies", "file": upload})
    assert response.status_code == 400
    assert "The workbook unpacks to more than 4.0\xa0KB" in response.content.decode()


def _understated(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size in the central directory rewritten."""
    out = bytearray(data)
    start = struct.unpack_from("<I", out, out.rindex(b"PK\x05\x06") + 16)[0]
    while True:
        start = out.index(b"PK\x01\x02", start)
        name_len = struct.unpack_from("<H", out, start + 28)[0]
        if out[start + 46 : start + 46 + name_len] == member.encode():
            struct.pack_into("<I", out, start + 24, size)
            return bytes(out)
        start += 4


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"PK\x03\x04 broken zip", id="corrupt-zip"),
        pytest.param(None, id="zip-not-a-workbook"),
        pytest.param("understated", id="directory-understates-a-part"),
    ],
)
def test_a_zip_that_is_not_a_readable_workbook_is_refused_clearly(demo, users, content, xlsx_bomb):
    if content is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("readme.txt", "hello")
        content = buf.getvalue()
    elif content == "understated":
        # the directory claims a small shared-strings part; the data inflates to 66 MB
        content = _understated(xlsx_with_shared_strings(3_000_000), "xl/sharedStrings.xml", 1000)
    upload = SimpleUploadedFile("名单.xlsx", content)
    with peak_memory() as memory:
        response = staff_client(users, "en").post("/imports/", {"kind": "deputies", "file": upload})
    assert response.status_code == 400
    assert "The file could not be read as an Excel workbook (.xlsx)." in response.content.decode()
    assert not ImportJob.objects.exists()
    assert memory["rise"] < MEMORY_BOUND, memory


def test_a_sheet_claiming_a_million_rows_is_cut_short(demo):
    # given a roster with one deputy and a stray cell in the sheet's very last row and column
    wb = Workbook()
    ws = wb.active
    ws.title = "代表"
    ws.append(["代表编码", "姓名", "手机号码"])
    ws.append(["new-001", "测试代表", "13700000001"])
    ws.cell(row=1_048_576, column=16_384, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)

    # when it is read
    sheet = read_sheet(buf, "deputies")

    # then reading stops at the row limit with that reason, not a million rows later
    (cut,) = [e for e in sheet.errors if e.code == "too_many_rows"]
    assert cut.row == 100_001
    assert [r.values["code"] for r in sheet.rows] == ["new-001"]


def test_a_normal_roster_passes_the_checks(demo, users, tmp_path, monkeypatch):
    field = ImportJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    upload = SimpleUploadedFile("名单.xlsx", _roster_workbook())
    response = staff_client(users, "en").post("/imports/", {"kind": "deputies", "file": upload})
    assert response.status_code == 302  # on to the preview (its content: test_onboarding_roster)
    assert ImportJob.objects.count() == 1
