"""Citizens' personal data: the phone number is masked everywhere and shown in full only to
someone handling the case, on request, with an audit record; photos lose their EXIF (GPS) on
upload, live outside the static files, and are served only to people handling the case."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lianluo.cases.models import Case, CasePhoto
from lianluo.core.models import AuditLog, Department

PHONE, MASKED = "13812345678", "138****5678"
GPS_IFD = 0x8825


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def jpeg_with_gps() -> bytes:
    """A phone photo that gives away where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (28.0, 12.0, 30.5), 3: "E", 4: (112.0, 56.0, 10.2)}
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buf, "JPEG", exif=exif.tobytes())
    data = buf.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture is honest
    return data


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "liaison"])
def test_the_phone_is_masked_in_the_api_for_everyone(api, make_case, role):
    # given a case with the citizen's phone
    case = make_case(phone=PHONE)
    client = api(role)

    # when anyone who sees the case lists the ledger or opens it
    listing = client.get("/api/v1/cases").json()
    detail = client.get(f"/api/v1/cases/{case.number}").json()

    # then the number is masked, never whole
    (item,) = [c for c in listing["results"] if c["number"] == case.number]
    assert item["phone"] == detail["phone"] == MASKED
    assert item["name"] == detail["name"] == "张*"
    assert PHONE not in json.dumps(listing) + json.dumps(detail)


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "liaison"])
def test_the_phone_is_masked_in_the_html_ledger_for_everyone(users, make_case, role):
    # given a case with the citizen's phone
    case = make_case(phone=PHONE)
    client = signed_in(users[role])

    # when anyone who sees the case opens the ledger or the case's page
    pages = [client.get("/ledger/"), client.get(f"/ledger/{case.number}/")]

    # then the whole number appears nowhere, the masked one on the case's page
    assert all(PHONE not in p.content.decode() for p in pages)
    assert MASKED in pages[1].content.decode()


def test_the_tracking_page_and_api_show_no_personal_data(api, make_case):
    # given an answered case with the citizen's name and phone, and a staff note
    case = make_case(
        ("accept", {"triage": "general", "note": "内部：张三是老上访户"}),
        ("answer", {"text": "已修复"}),
        phone=PHONE,
        name="张三",
    )

    # when anyone looks it up by its tracking code
    payload = json.dumps(
        api().get(f"/api/v1/public/cases/{case.tracking_code}").json(), ensure_ascii=False
    )
    page = Client().get(f"/t/{case.tracking_code}/").content.decode()

    # then neither the name, nor the phone (whole or masked), nor the staff note is there
    for text in (payload, page):
        assert "已修复" in text
        for private in ("张三", "张*", PHONE, MASKED, "老上访户"):
            assert private not in text


@pytest.fixture
def cases_by_handler(demo, make_case) -> dict[str, Case]:
    """For each kind of handler, a case they handle."""
    housing = Department.objects.get(code="qx-housing")
    station_case = make_case(phone=PHONE)
    return {
        "staff": station_case,
        "liaison": station_case,
        "deputy": make_case(deputy=demo["deputy"], phone=PHONE),
        "dept": make_case(
            ("accept", {"triage": "general"}), ("assign", {"department": housing}), phone=PHONE
        ),
    }


@pytest.mark.parametrize("role", ["staff", "liaison", "deputy", "dept"])
def test_a_handler_reveals_the_phone_and_it_is_audited(users, cases_by_handler, role):
    # given a case the user handles
    case = cases_by_handler[role]

    # when they ask to see the whole number
    response = signed_in(users[role]).post(f"/ledger/{case.number}/phone/")

    # then they see it, and the reveal is recorded: who, which case
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    entry = AuditLog.objects.get(verb="reveal_phone")
    assert (entry.actor, entry.target_id) == (users[role], str(case.pk))
    assert entry.target_type == "cases.case"


@pytest.mark.parametrize("role", ["leader", "other"])
def test_someone_not_handling_the_case_cannot_reveal_the_phone(users, make_case, role):
    # given a case at the Chengguan hub; a leader reads it, Hekou's officer does not see it
    case = make_case(phone=PHONE)

    # when they ask for the whole number
    response = signed_in(users[role]).post(f"/ledger/{case.number}/phone/")

    # then it is not found for them, and nothing is recorded
    assert response.status_code == 404
    assert PHONE not in response.content.decode()
    assert not AuditLog.objects.filter(verb="reveal_phone").exists()


def test_the_phone_is_not_revealed_by_a_get(users, make_case):
    # given a case and its handler
    case = make_case(phone=PHONE)

    # when the reveal address is merely visited (a prefetch, a link)
    response = signed_in(users["staff"]).get(f"/ledger/{case.number}/phone/")

    # then nothing is shown and nothing recorded
    assert response.status_code == 405
    assert not AuditLog.objects.filter(verb="reveal_phone").exists()


def test_an_uploaded_photo_loses_its_exif_and_location(demo, private_storage):
    # given a photo carrying the GPS position where it was taken
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")

    # when a citizen sends it with the form
    page = Client().post("/s/cg-hub/", {"text": "路面塌陷", "photos": [upload]})

    # then the case keeps the photo, re-encoded without any EXIF
    assert page.status_code == 302
    photo = CasePhoto.objects.get()
    stored = photo.file.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert (photo.width, photo.height, photo.size) == (64, 48, len(stored))
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in stored
    assert b"PhoneMaker" not in stored
    # and under a random name: nothing of the citizen's file name is kept
    assert "IMG_0001" not in photo.file.name
    assert Path(photo.file.path).is_relative_to(private_storage)


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("liaison", 200), ("leader", 404), ("other", 404), ("dept", 404)],
)
def test_a_photo_is_served_only_to_people_handling_the_case(
    demo, users, private_storage, role, status
):
    # given a case with a photo
    upload = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    Client().post("/s/cg-hub/", {"text": "路面塌陷", "photos": [upload]})
    photo = CasePhoto.objects.select_related("case").get()

    # when a user asks for it
    response = signed_in(users[role]).get(f"/ledger/{photo.case.number}/photos/{photo.pk}/")

    # then handlers get it, not cacheable by anyone on the way; everyone else is told 404
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == photo.file.read()


def test_a_photo_is_not_served_to_the_signed_out_nor_under_another_case(
    demo, users, make_case, private_storage
):
    # given a case with a photo, and another case the same handler sees
    upload = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    Client().post("/s/cg-hub/", {"text": "路面塌陷", "photos": [upload]})
    photo = CasePhoto.objects.select_related("case").get()
    other = make_case()

    # when it is asked for signed out, or through the other case's address
    anonymous = Client().get(f"/ledger/{photo.case.number}/photos/{photo.pk}/")
    crossed = signed_in(users["staff"]).get(f"/ledger/{other.number}/photos/{photo.pk}/")

    # then the visitor is sent to sign in, and the crossed address finds nothing
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert crossed.status_code == 404


def test_photos_are_stored_outside_the_public_file_roots():
    # given the storage the photo field really uses (not the tests' temporary one)
    storage = CasePhoto._meta.get_field("file").storage
    location = Path(storage.location).resolve()

    # then it is the private storage, inside neither the static nor the media root
    assert location == Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert not location.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not location.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not Path(settings.STATIC_ROOT).resolve().is_relative_to(location)
