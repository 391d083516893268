"""What citizens may get wrong, through the JSON API and the HTML form alike: empty or endless
text, markup, files that are not photos, unknown codes, bad phone numbers, too many messages —
refused with a message in their language, and nothing recorded."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from lianluo.cases.models import Case
from lianluo.stations.models import Station

CJK = re.compile(r"[\u4e00-\u9fff]")
MARKUP = '<script>alert("xss")</script><img src=x onerror=alert(2)>'


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def submit(client, **fields):
    return client.post("/api/v1/public/cases", {"station": "cg-hub", **fields})


def jpeg(size: tuple[int, int] = (64, 48), noise: bool = False) -> bytes:
    img = Image.effect_noise(size, 100).convert("RGB") if noise else Image.new("RGB", size, "red")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "  \n\t　 "}, "text"),
        ({"text": "路灯坏了", "title": "标" * 201}, "title"),
        ({"text": "路灯坏了", "phone": "138-ABCD-5678"}, "phone"),
        ({"text": "路灯坏了", "phone": "123"}, "phone"),
    ],
    ids=[
        "missing",
        "empty",
        "whitespace",
        "long-title",
        "letters-in-phone",
        "short-phone",
    ],
)
def test_the_api_refuses_a_bad_message(api, fields, field):
    # when a citizen's app sends a message with a bad field
    response = submit(api(), **fields)

    # then it is refused naming the field, and no case is recorded
    assert response.status_code in (400, 422), response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field
    assert response.json()["message"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "english"),
    [
        ({"text": "   "}, "Please describe your problem or suggestion."),
        (
            {"text": "路" * 20_000},
            "A message can have at most 10000 characters; this one has 20000. "
            "Please shorten it and send it again.",
        ),
        ({"text": "路灯坏了", "phone": "12ab"}, "Enter a phone number such as 13812345678."),
    ],
)
def test_refusals_speak_the_citizens_language(api, fields, english):
    # when the same bad message comes from an English and from a Chinese phone
    en = submit(api(language="en"), **fields).json()["message"]
    zh = submit(api(language="zh-hans"), **fields).json()["message"]
    default = submit(api(language=""), **fields).json()["message"]

    # then the English phone reads English, the Chinese one (and the default) Chinese
    assert en == english
    assert zh != english
    assert CJK.search(zh), zh
    assert default == zh


def test_the_api_needs_a_station_or_a_deputy(api):
    # when a message names neither
    response = api().post("/api/v1/public/cases", {"text": "路灯坏了"})

    # then it is refused, and no case is recorded
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("missing_field", "station")
    assert not Case.objects.exists()


def test_the_api_refuses_a_malformed_request(api):
    # when a field has the wrong type
    response = submit(api(language="en"), text="路灯坏了", consent_publish="perhaps")

    # then 422 with the field's error, and no case
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "consent_publish" in response.json()["errors"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"station": "no-such-station"}, "No station has this code."),
        ({"station": None, "deputy": "dep-999"}, "No deputy has this code."),
        ({"station": "cg-sector-1"}, "No station has this code."),  # closed: see below
    ],
)
def test_an_unknown_or_closed_station_or_deputy_is_not_found(api, fields, message):
    # given a station that has closed
    Station.objects.filter(code="cg-sector-1").update(active=False)

    # when a message is sent to an unknown or closed station, or an unknown deputy
    response = submit(api(language="en"), text="路灯坏了", **fields)

    # then 404 not_found with a message saying what was not found, and no case
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": message}
    assert not Case.objects.exists()


@pytest.mark.parametrize("path", ["/s/no-such-station/", "/d/dep-999/", "/s/cg-sector-1/"])
def test_the_form_of_an_unknown_or_closed_station_or_deputy_is_not_found(demo, path):
    # given a station that has closed
    Station.objects.filter(code="cg-sector-1").update(active=False)

    # when a citizen opens or posts its page
    shown = Client().get(path)
    posted = Client().post(path, {"text": "路灯坏了"})

    # then neither exists, and no case is recorded
    assert (shown.status_code, posted.status_code) == (404, 404)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \r\n\t "}, "text"),
        ({"text": "路" * 20_000}, "text"),
        ({"text": "路灯坏了", "phone": "电话13812345678"}, "phone"),
    ],
    ids=["empty", "whitespace", "20000-chars", "phone"],
)
def test_the_form_refuses_a_bad_message_and_keeps_what_was_typed(demo, fields, field):
    # when a citizen sends the form with a bad field
    page = Client().post("/s/cg-hub/", {"title": "东门路灯", "place": "幸福里", **fields})

    # then the form comes back with the error at the field and what they typed kept
    assert page.status_code == 400
    html = page.content.decode()
    assert f'data-testid="error-{field}"' in html
    assert 'value="东门路灯"' in html
    assert not Case.objects.exists()


def test_the_form_speaks_english_to_an_english_browser(demo):
    # when an English browser sends an empty message
    en = Client(HTTP_ACCEPT_LANGUAGE="en").post("/s/cg-hub/", {"text": ""})
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/s/cg-hub/", {"text": ""})

    # then the error is in English; a Chinese browser's is in Chinese
    assert "Please describe your problem or suggestion." in en.content.decode()
    assert "Please describe your problem or suggestion." not in zh.content.decode()
    assert CJK.search(zh.content.decode().split('data-testid="error-text">')[1][:40])


def test_markup_is_stored_as_typed_and_shown_escaped(api, users):
    # given a message full of markup, sent through the API
    sent = submit(api(), text=MARKUP, place="<b>东门</b>").json()

    # when staff open the ledger and the case
    client = Client()
    client.force_login(users["staff"])
    pages = [client.get("/ledger/"), client.get(f"/ledger/{sent['number']}/")]

    # then it is stored exactly as typed
    case = Case.objects.get(number=sent["number"])
    assert (case.text, case.place) == (MARKUP, "<b>东门</b>")
    # and every page shows it as text, never as markup the browser would run
    for page in pages:
        html = page.content.decode()
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>东门</b>" not in html
    # and the JSON API gives it back as data
    detail = api("staff").get(f"/api/v1/cases/{sent['number']}").json()
    assert detail["text"] == MARKUP


def test_the_form_stores_markup_as_typed(demo, users):
    # when a citizen sends markup through the HTML form
    page = Client().post("/s/cg-hub/", {"text": MARKUP})

    # then it is stored as typed and the confirmation page shows it escaped, if at all
    assert page.status_code == 302
    case = Case.objects.get()
    assert case.text == MARKUP
    confirmation = Client().get(page["Location"], follow=True).content.decode()
    assert "<script>alert" not in confirmation


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
        ("photo.jpg", b"this is not a photo at all", "image/jpeg"),
        ("photo.jpg", jpeg()[:200], "image/jpeg"),
        ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "image/svg+xml"),
    ],
    ids=["pdf", "text-named-jpg", "truncated-jpeg", "svg"],
)
def test_the_form_refuses_a_file_that_is_not_a_photo(
    demo, private_storage, name, content, content_type
):
    # when a citizen attaches a file that is not a photo
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    page = Client().post("/s/cg-hub/", {"text": "路灯坏了", "photos": [upload]})

    # then the form comes back with the error at the photos, and nothing is stored
    assert page.status_code == 400
    assert 'data-testid="error-photos"' in page.content.decode()
    assert not Case.objects.exists()
    assert not any(private_storage.iterdir())


def test_the_form_refuses_a_photo_over_the_size_limit(demo, settings, private_storage):
    # given photos are limited to 4 KB, and a photo of 20 KB or so
    settings.LIANLUO_PHOTO_MAX_BYTES = 4096
    big = jpeg((160, 160), noise=True)
    assert len(big) > 4096

    # when a citizen attaches it
    upload = SimpleUploadedFile("big.jpg", big, content_type="image/jpeg")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/s/cg-hub/", {"text": "路灯坏了", "photos": [upload]}
    )

    # then it is refused, and nothing is stored
    assert page.status_code == 400
    assert "is larger than" in page.content.decode()
    assert not Case.objects.exists()
    assert not any(private_storage.iterdir())


def test_the_form_refuses_more_photos_than_allowed(demo, settings, private_storage):
    # given at most two photos per message
    settings.LIANLUO_PHOTO_MAX_COUNT = 2

    # when a citizen attaches three
    uploads = [SimpleUploadedFile(f"{i}.jpg", jpeg(), content_type="image/jpeg") for i in range(3)]
    page = Client().post("/s/cg-hub/", {"text": "路灯坏了", "photos": uploads})

    # then it is refused, and nothing is stored
    assert page.status_code == 400
    assert 'data-testid="error-photos"' in page.content.decode()
    assert not Case.objects.exists()


def test_a_phone_number_is_kept_in_one_form(api):
    # when citizens type their numbers with spaces or dashes
    mobile = submit(api(), text="路灯坏了", phone="138 1234 5678").json()
    landline = submit(api(), text="路灯坏了", phone="0731-5555 1234").json()

    # then they are stored as digits
    stored = dict(Case.objects.values_list("number", "citizen_phone"))
    assert stored[mobile["number"]] == "13812345678"
    assert stored[landline["number"]] == "073155551234"


@pytest.fixture
def intake_three_a_minute(settings):
    settings.LIANLUO_INTAKE_RATE = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_the_api_slows_down_a_client_sending_too_many_messages(api, intake_three_a_minute):
    # given a client that has sent three messages this minute
    client = api(language="en")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        sent = [submit(client, text=f"第{i}件事").status_code for i in range(3)]

    # when it sends a fourth within the minute
    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        refused = submit(client, text="第四件事")
        other_address = Client(REMOTE_ADDR="10.1.2.3").post(
            "/api/v1/public/cases",
            {"station": "cg-hub", "text": "另一位群众"},
            content_type="application/json",
        )

    # then the fourth is refused with 429 and a message; another address is not affected
    assert sent == [201, 201, 201]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused.json()["message"] == "Too many requests. Please wait a minute and try again."
    assert other_address.status_code == 201
    assert Case.objects.count() == 4

    # and a minute later the client may send again
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        assert submit(client, text="一分钟后").status_code == 201


def test_the_form_slows_down_a_client_sending_too_many_messages(demo, intake_three_a_minute):
    # given a browser that has sent three messages this minute
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sent = [client.post("/s/cg-hub/", {"text": f"第{i}件事"}).status_code for i in range(3)]

    # when it sends a fourth
    refused = client.post("/s/cg-hub/", {"text": "第四件事"})

    # then the fourth is refused with 429 and a message, and not recorded
    assert sent == [302, 302, 302]
    assert refused.status_code == 429
    assert "Too many messages from this device" in refused.content.decode()
    assert Case.objects.count() == 3
