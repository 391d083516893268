"""The station standard (七有): officers record each item with evidence, evidence is private
and served only to people who may see the station, and staff see the completeness per
township and county."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from lianluo.core.errors import Forbidden, NotFound
from lianluo.core.models import AuditLog
from lianluo.core.uploads import evidence_clean
from lianluo.onboarding.selectors import checklist_completeness
from lianluo.onboarding.services import checklist_update
from lianluo.stations.models import ChecklistItem, Station, StationChecklist

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch):
    field = StationChecklist._meta.get_field("evidence")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (28.0, 12.0, 30.5), 3: "E", 4: (112.0, 56.0, 10.2)}
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_the_officer_records_an_item_with_a_photo_and_it_is_served_without_gps(
    demo, users, django_capture_on_commit_callbacks
):
    # given the 城关 hub's liaison officer on the station's checklist page
    officer = signed_in(users["liaison"])
    page = officer.get("/checklist/cg-hub/")
    assert page.status_code == 200 and 'data-testid="checklist-score">0/7<' in page.content.decode()

    # when they mark the notice board as in place with a phone photo as evidence
    upload = SimpleUploadedFile("board.jpg", photo_with_gps(), content_type="image/jpeg")
    response = officer.post(
        "/checklist/cg-hub/notice/",
        {"notice-done": "on", "notice-note": "公示栏设在一楼大厅", "notice-evidence": upload},
    )

    # then the item is in place, the page says so, and the act is on record
    assert response.status_code == 302
    row = StationChecklist.objects.get(station__code="cg-hub", item="notice")
    assert (row.done, row.note, row.updated_by) == (True, "公示栏设在一楼大厅", users["liaison"])
    page = officer.get("/checklist/cg-hub/").content.decode()
    assert 'data-testid="checklist-score">1/7<' in page and "公示栏设在一楼大厅" in page
    entry = AuditLog.objects.get(verb="checklist_update")
    assert entry.actor == users["liaison"] and entry.data["item"] == "notice"

    # and the photo is served to the officer and the county staff, without its location
    for user in ("liaison", "staff", "leader"):
        served = signed_in(users[user]).get("/checklist/cg-hub/notice/evidence/")
        assert served.status_code == 200, user
        assert served["Cache-Control"] == "private, no-store"
    data = b"".join(signed_in(users["staff"]).get("/checklist/cg-hub/notice/evidence/"))
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)

    # but not to the officer of another township's station, nor to someone signed out
    assert signed_in(users["other"]).get("/checklist/cg-hub/notice/evidence/").status_code == 404
    assert Client().get("/checklist/cg-hub/notice/evidence/").status_code == 302


def test_a_pdf_is_accepted_as_evidence_and_other_files_are_refused(demo, users):
    officer = signed_in(users["liaison"])
    pdf = SimpleUploadedFile("rules.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    officer.post("/checklist/cg-hub/rules/", {"rules-done": "on", "rules-evidence": pdf})
    served = officer.get("/checklist/cg-hub/rules/evidence/")
    assert served["Content-Type"] == "application/pdf"

    text = SimpleUploadedFile("rules.txt", b"just text", content_type="text/plain")
    response = officer.post(
        "/checklist/cg-hub/staff/", {"staff-done": "on", "staff-evidence": text}
    )
    assert response.status_code == 400
    assert "Evidence must be a photo (JPEG, PNG or WebP) or a PDF." in response.content.decode()
    assert not StationChecklist.objects.filter(item="staff").exists()


def test_evidence_larger_than_the_limit_is_refused(demo, users, settings):
    settings.LIANLUO_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 1024 * 1024)
    response = signed_in(users["liaison"]).post(
        "/checklist/cg-hub/place/", {"place-done": "on", "place-evidence": big}
    )
    assert response.status_code == 400
    assert "“big.pdf” is larger than 1 MB." in response.content.decode()
    assert not StationChecklist.objects.exists()


def test_removing_evidence_deletes_the_file(
    demo, users, evidence_dir, django_capture_on_commit_callbacks
):
    station = Station.objects.get(code="cg-hub")
    with django_capture_on_commit_callbacks(execute=True):
        row = checklist_update(
            station=station,
            item="place",
            done=True,
            note="",
            actor=users["liaison"],
            evidence=evidence_clean(b"%PDF-1.4\n"),
        )
    stored = evidence_dir / row.evidence.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(users["liaison"]).post(
            "/checklist/cg-hub/place/", {"place-done": "on", "place-remove_evidence": "on"}
        )

    row.refresh_from_db()
    assert not row.evidence and not stored.exists()


@pytest.mark.parametrize(
    ("username", "expected"),
    [("staff", "ok"), ("liaison", "ok"), ("leader", Forbidden), ("other", NotFound),
     ("deputy", NotFound), ("dept", NotFound)],
)  # fmt: skip
def test_who_may_record_a_stations_checklist(demo, users, username, expected):
    station = Station.objects.get(code="cg-hub")

    def act():
        return checklist_update(
            station=station, item="funding", done=True, note="", actor=users[username]
        )

    if expected == "ok":
        assert act().done
        return
    with pytest.raises(expected):
        act()
    response = signed_in(users[username]).post("/checklist/cg-hub/funding/", {"funding-done": "on"})
    assert response.status_code == (403 if expected is Forbidden else 404)
    assert not StationChecklist.objects.exists()


def test_a_leader_reads_the_checklist_without_forms_and_others_get_not_found(demo, users):
    page = signed_in(users["leader"]).get("/checklist/cg-hub/").content.decode()
    assert 'data-testid="item-place"' in page and "<form method" not in page.split("<main")[1]
    assert signed_in(users["other"]).get("/checklist/cg-hub/").status_code == 404
    assert signed_in(users["other"]).get("/checklist/hk-hub/").status_code == 200


def test_completeness_per_township_and_county_lists_what_is_missing(
    demo, users, django_assert_max_num_queries
):
    # given 城关's six stations: the hub with all seven items, the others with none but
    # the east sector station, which has all but funding and staff
    staff = users["staff"]
    for item in ChecklistItem.values:
        checklist_update(station=demo["cg_hub"], item=item, done=True, note="", actor=staff)
        if item not in ("funding", "staff"):
            east = Station.objects.get(code="cg-sector-1")
            checklist_update(station=east, item=item, done=True, note="", actor=staff)

    # when the county staff opens the completeness view
    with django_assert_max_num_queries(4), translation.override("en"):
        counties = checklist_completeness(viewer=staff)

    # then per station, per township and for the county the share of items in place
    (county,) = counties
    assert county.area.code == "430399000000" and county.station_count == 25
    chengguan = county.townships[0]
    assert chengguan.area.name == "城关镇"
    assert [(s.station.code, s.done) for s in chengguan.stations][:2] == [
        ("cg-hub", 7),
        ("cg-sector-1", 5),
    ]
    assert chengguan.percent == round(12 * 100 / 42) and chengguan.complete == 1
    assert county.percent == round(12 * 100 / 175)
    east = next(s for s in chengguan.stations if s.station.code == "cg-sector-1")
    assert east.missing == ["Funding", "Dedicated staff"]
    assert [t.percent for t in county.townships[1:]] == [0, 0, 0]

    page = signed_in(staff).get("/checklist/").content.decode()
    assert 'data-testid="township-430399100000"' in page and f">{chengguan.percent}%<" in page
    assert "Dedicated staff" in page


def test_an_officer_sees_only_their_own_station_in_the_completeness_view(demo, users):
    counties = checklist_completeness(viewer=users["liaison"])
    stations = [s.station.code for c in counties for t in c.townships for s in t.stations]
    assert stations == ["cg-hub"]
    assert checklist_completeness(viewer=users["dept"]) == []
