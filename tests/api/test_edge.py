"""The edge of the application (lianluo.core.edge): input that is not text is refused with a 4xx
before any view sees it, the API takes writes only as JSON, and every API answer — 404, 405, 415,
500 included — is `{code, message}` JSON in the user's language, with DEBUG off as in production."""

from __future__ import annotations

import json
import re

import pytest
from django.db import DatabaseError
from django.test import Client

from lianluo.cases.models import Case
from lianluo.core.models import ApiToken

CJK = re.compile(r"[\u4e00-\u9fff]")
LONE = "\\ud800"  # a JSON escape: json.loads makes a str no encoder accepts


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def client(language: str = "zh-hans") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)


def bearer(users, name: str) -> dict[str, str]:
    from lianluo.core.services import api_token_issue

    raw, _token = api_token_issue(user=users[name])
    return {"Authorization": f"Bearer {raw}"}


def post_raw(path: str, body: str | bytes, *, content_type="application/json", headers=None):
    return client().post(path, body, content_type=content_type, headers=headers or {})


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The answer every API client can rely on: JSON `{code, message}`, the message in Chinese."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) >= {"code", "message"}
    if code is not None:
        assert body["code"] == code
    assert CJK.search(body["message"]), body
    return body


# ---- text at the edge -----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["text", "name", "station", "idempotency_key", "place"])
def test_a_lone_surrogate_in_a_public_submission_is_a_clear_400_and_nothing_is_recorded(
    demo, field
):
    # given a submission with an unpaired surrogate in one of its strings
    fields = {"station": "cg-hub", "text": "路灯坏了很久了"}
    body = json.dumps(fields)[:-1] + f', "{field}": "路灯{LONE}"}}'
    # when it is posted
    response = post_raw("/api/v1/public/cases", body)
    # then a 400 that says what is wrong, and no case
    assert_error(response, 400, "invalid_text")
    assert not Case.objects.exists()


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_lone_surrogate_in_a_sign_in_is_a_400_and_no_token_is_issued(demo, field):
    fields = {"username": "staff", "password": "x"}
    fields[field] = "@@"
    response = post_raw("/api/v1/auth/token", json.dumps(fields).replace("@@", LONE))
    assert_error(response, 400, "invalid_text")
    assert not ApiToken.objects.exists()


def test_a_lone_surrogate_in_a_transition_is_a_400_and_the_case_is_unchanged(
    demo, users, make_case
):
    case = make_case()
    body = '{"action": "accept", "triage": "direct", "note": "好' + LONE + '"}'
    response = post_raw(
        f"/api/v1/cases/{case.number}/transitions", body, headers=bearer(users, "staff")
    )
    assert_error(response, 400, "invalid_text")
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.events.count() == 1


def test_a_lone_surrogate_in_an_object_key_or_a_nested_list_is_refused(demo):
    for body in ['{"' + LONE + '": 1}', '{"station": "cg-hub", "text": ["a", ["' + LONE + '"]]}']:
        assert_error(post_raw("/api/v1/public/cases", body), 400, "invalid_text")


def test_a_lone_surrogate_in_a_verification_is_refused(demo, users):
    response = post_raw(
        "/api/v1/duty/records/1/verify",
        '{"approve": false, "reason": "' + LONE + '"}',
        headers=bearer(users, "liaison"),
    )
    assert_error(response, 400, "invalid_text")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases?q=%00",
        "/api/v1/cases/%00",
        "/api/v1/cases?q=%ED%A0%80",  # a surrogate encoded as UTF-8: not UTF-8
        "/api/v1/cases?q=%FF",
    ],
)
def test_a_nul_or_bytes_that_are_not_utf8_in_the_path_or_query_are_a_400(demo, users, path):
    response = client().get(path, headers=bearer(users, "staff"))
    assert_error(response, 400, "invalid_text")


def test_a_nul_in_a_json_string_is_refused_before_the_database_sees_it(demo):
    response = post_raw("/api/v1/public/cases", '{"station": "cg-hub", "text": "路灯坏了\\u0000"}')
    assert_error(response, 400, "invalid_text")
    assert not Case.objects.exists()


def test_a_body_that_is_not_utf8_is_a_400(demo):
    response = post_raw("/api/v1/public/cases", b'{"station": "cg-hub", "text": "\xff\xfe"}')
    assert_error(response, 400, "invalid_text")


def test_a_multipart_upload_without_a_boundary_is_a_400_json(demo, users):
    response = post_raw(
        "/api/v1/duty/records",
        b"item=1&note=x",
        content_type="multipart/form-data",
        headers=bearer(users, "liaison"),
    )
    assert_error(response, 400, "bad_request")


def test_the_web_form_with_a_nul_or_broken_utf8_is_a_400_page_not_a_500(demo):
    for body in [b"text=%E8%B7%AF%00&phone=", b"text=%ED%A0%80&phone="]:
        response = client().post(
            "/s/cg-hub/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400
        assert "text/html" in response["Content-Type"]
        assert "请求中含有无效的文字字符" in response.content.decode() or "UTF-8" in (
            response.content.decode()
        )
    assert not Case.objects.exists()


# ---- malformed JSON and validation errors, in the user's language ----------------------------


@pytest.mark.parametrize(
    "body", ['{"station": "cg-hub", "text": "路灯"', "not json", "[" * 100_000, '{"a": 1,}']
)
def test_a_malformed_json_body_is_a_400_in_chinese(demo, body):
    response = post_raw("/api/v1/public/cases", body)
    body = assert_error(response, 400, "malformed_json")
    assert "JSON" in body["message"]


def test_a_malformed_json_body_is_explained_in_english_to_an_english_client(demo):
    response = client("en").post("/api/v1/public/cases", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"].startswith("The request body is not valid JSON")


def test_validation_errors_say_what_is_wrong_in_chinese(demo, users, make_case):
    # given a transition without its action and a verification with approve = "maybe"
    case = make_case()
    missing = post_raw(
        f"/api/v1/cases/{case.number}/transitions", "{}", headers=bearer(users, "staff")
    )
    wrong_type = post_raw(
        "/api/v1/duty/records/1/verify",
        '{"approve": "maybe"}',
        headers=bearer(users, "liaison"),
    )
    # then 422 with the field's message in Chinese, not pydantic's English
    body = assert_error(missing, 422, "invalid")
    assert body["errors"] == {"action": ["此项为必填项。"]}
    body = assert_error(wrong_type, 422, "invalid")
    assert body["errors"] == {"approve": ["请填写 true 或 false。"]}


# ---- writes as JSON only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_an_anonymous_write_that_is_not_json_is_a_415_and_nothing_is_recorded(demo, content_type):
    # given what a foreign web page can send its visitors' browsers without a CORS preflight
    body = json.dumps({"station": "cg-hub", "text": "路灯坏了很久了", "phone": "13812345678"})
    if content_type == "multipart/form-data":
        content_type = "multipart/form-data; boundary=xyz"
        body = '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--xyz--\r\n'
    # when it is posted to the public intake, and to the sign-in
    response = post_raw("/api/v1/public/cases", body, content_type=content_type)
    token = post_raw("/api/v1/auth/token", '{"username":"staff"}', content_type=content_type)
    # then 415 for both, and no case
    assert_error(response, 415, "unsupported_media_type")
    assert_error(token, 415, "unsupported_media_type")
    assert not Case.objects.exists()


def test_json_with_a_charset_is_accepted(demo):
    response = post_raw(
        "/api/v1/public/cases",
        json.dumps({"station": "cg-hub", "text": "路灯坏了很久了", "phone": "13812345678"}),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201


def test_a_signed_in_write_as_text_plain_is_a_415(demo, users, make_case):
    case = make_case()
    response = post_raw(
        f"/api/v1/cases/{case.number}/transitions",
        '{"action": "accept", "triage": "direct"}',
        content_type="text/plain",
        headers=bearer(users, "staff"),
    )
    assert_error(response, 415, "unsupported_media_type")
    case.refresh_from_db()
    assert case.status == "submitted"


# ---- every API answer is JSON ----------------------------------------------------------------


def test_an_unknown_api_address_is_a_404_json(demo):
    assert_error(client().get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_wrong_method_is_a_405_json_with_allow(demo):
    response = client().put("/api/v1/public/cases", "{}", content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_a_request_too_large_is_a_413_json(demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"station": "cg-hub", "text": "路" * 2000})
    assert_error(post_raw("/api/v1/public/cases", body), 413, "too_large")


def test_a_server_error_on_the_api_is_a_500_json_without_details(demo, monkeypatch):
    # given the database fails under a view (a connection lost mid-request)
    def lost(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("lianluo.api.public.station_public_list", lost)
    # when a client asks
    response = client().get("/api/v1/public/stations")
    # then a JSON 500 in Chinese, with nothing of the failure in it
    body = assert_error(response, 500, "server_error")
    assert "connection" not in json.dumps(body)


def test_a_server_error_on_a_page_is_still_an_html_page(demo, monkeypatch):
    def lost(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("lianluo.portal.views.station_public_list", lost)
    response = client().get("/")
    assert response.status_code == 500
    assert "text/html" in response["Content-Type"]
    assert "服务器出错" in response.content.decode()


def test_an_unknown_page_outside_the_api_stays_an_html_page(demo):
    response = client().get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_an_anonymous_form_to_a_signed_in_endpoint_is_told_to_sign_in_first(demo):
    # authentication comes before the media type: the 401 says what to do first
    response = client().post("/api/v1/duty/records", {"item": "1", "note": "x"})
    assert_error(response, 401, "unauthorized")


def test_a_form_sent_with_a_token_where_json_is_read_is_a_415(demo, users, make_case):
    case = make_case()
    response = client().post(
        f"/api/v1/cases/{case.number}/transitions",
        {"action": "accept", "triage": "direct"},
        headers=bearer(users, "staff"),
    )
    assert_error(response, 415, "unsupported_media_type")
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_page_number_past_64_bits_is_a_422_not_a_500(demo, users):
    # found by the fuzz stage: the OFFSET overflowed in the database
    response = client().get(
        "/api/v1/cases", {"page": "99999999999999999999"}, headers=bearer(users, "staff")
    )
    body = assert_error(response, 422, "invalid")
    assert body["errors"] == {"page": ["数字超出允许范围。"]}
