"""A citizen's message that the form refuses keeps what was typed, on a phone."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from lianluo.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "小区垃圾清运不及时"
TEXT = "和平小区的垃圾桶已经三天没有人清运了，天气热，味道很大，请环卫部门尽快处理。"
PHONE = "13711112222"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_submit_without_text_shows_error_and_keeps_title_and_phone(site, phone, shot):
    # Given a citizen on a station's page who filled in a title and a phone number only
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{site['cg_hub'].code}/")
    citizen.fill("[name=title]", TITLE)
    citizen.fill("[name=phone]", PHONE)

    # When they send it
    citizen.get_by_test_id("submit").click()

    # Then the page says what is missing, in Chinese, next to the message field
    expect(citizen.get_by_test_id("form-error")).to_be_visible()
    expect(citizen.get_by_test_id("error-text")).to_have_text(
        zh("Please describe your problem or suggestion.")
    )
    shot(citizen, "error")

    # And what they typed is still there, and nothing was recorded
    expect(citizen.locator("[name=title]")).to_have_value(TITLE)
    expect(citizen.locator("[name=phone]")).to_have_value(PHONE)
    assert Case.objects.count() == 0


def test_non_image_upload_is_refused_and_text_kept_then_a_photo_goes_through(
    site, phone, shot, tmp_path
):
    # Given a citizen who wrote a message and attached a text file instead of a photo
    citizen = phone()
    citizen.goto(f"{site['url']}/s/{site['cg_hub'].code}/")
    citizen.fill("[name=text]", TEXT)
    note = tmp_path / "说明.txt"
    note.write_text("这不是照片", encoding="utf-8")
    citizen.locator("[name=photos]").set_input_files(str(note))

    # When they send it
    citizen.get_by_test_id("submit").click()

    # Then the photos field says the file is not a photo, and the message is kept
    expect(citizen.get_by_test_id("form-error")).to_be_visible()
    expect(citizen.get_by_test_id("error-photos")).to_contain_text("说明.txt")
    expect(citizen.locator("[name=text]")).to_have_value(TEXT)
    shot(citizen, "error")
    assert Case.objects.count() == 0

    # When they attach a real photo instead and send again
    photo = tmp_path / "垃圾桶.png"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, format="PNG")
    photo.write_bytes(buf.getvalue())
    citizen.locator("[name=photos]").set_input_files(str(photo))
    citizen.get_by_test_id("submit").click()

    # Then the message is recorded once, with the photo
    expect(citizen.get_by_test_id("tracking-code")).to_be_visible()
    case = Case.objects.get()
    assert case.text == TEXT
    assert case.photos.count() == 1
