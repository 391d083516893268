"""我也遇到 on a published case: counted once per device and once per phone, throttled, only on
cases the station's page publishes; the phone is never stored."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from lianluo.cases.models import Case, CaseSupport

CLOSE = [
    ("accept", {"triage": "general"}),
    ("answer", {"text": "路灯已经换好了"}),
    ("follow_up", {"method": "phone"}),
    "close",
]


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def published(make_case, users):
    return make_case(*CLOSE, consent_publish=True, actor=users["staff"])


def _path(case: Case) -> str:
    return f"/s/{case.station.code}/cases/{case.number}/support/"


def _api(case: Case) -> str:
    return f"/api/v1/public/stations/{case.station.code}/cases/{case.number}/support"


def _count(case: Case) -> int:
    return Case.objects.get(pk=case.pk).support_count


def test_once_per_device(published):
    phone = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = phone.get(f"/s/{published.station.code}/").content.decode()
    assert _path(published) in page and "我也遇到" in page

    first = phone.post(_path(published), follow=True).content.decode()
    again = phone.post(_path(published), follow=True).content.decode()

    assert "谢谢，已记录" in first and "1 人也遇到" in first
    assert "您已经点过了" in again and "1 人也遇到" in again
    assert _count(published) == 1
    # another device counts
    Client().post(_path(published))
    assert _count(published) == 2


def test_once_per_phone_and_never_the_phone_itself(api, published):
    first = api().post(_api(published), {"device": "app-1", "phone": "138 1234 0000"})
    other_device = api().post(_api(published), {"device": "app-2", "phone": "13812340000"})

    assert first.status_code == 201 and first.json()["support_count"] == 1
    assert other_device.status_code == 200 and other_device.json()["added"] is False
    assert _count(published) == 1
    row = CaseSupport.objects.get(case=published)
    assert "13812340000" not in (row.device_hash + row.phone_hash)


def test_neither_device_nor_phone_is_refused(api, published):
    answer = api().post(_api(published), {})

    assert answer.status_code == 422 and answer.json()["code"] == "missing_field"
    assert _count(published) == 0


def test_only_published_cases(api, make_case, users):
    unpublished = make_case(*CLOSE, consent_publish=False, actor=users["staff"])
    open_case = make_case(consent_publish=True)

    for case in (unpublished, open_case):
        assert api().post(_api(case), {"device": "app-1"}).status_code == 404
        assert Client().post(_path(case)).status_code == 404
        assert _count(case) == 0


@override_settings(LIANLUO_SUPPORT_RATE="2/m")
def test_throttled_like_intake(api, published, client_address):
    with time_machine.travel(timezone.now(), tick=False):  # all within the throttle's minute
        answers = [api().post(_api(published), {"device": f"app-{i}"}) for i in range(3)]
        page_client = Client(REMOTE_ADDR=client_address)
        page = page_client.post(_path(published), follow=True).content.decode()

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert "操作过于频繁" in page
    assert _count(published) == 2
