"""SMS to citizens: written in the caller's transaction, sent after commit exactly once through
the configured backend, retried with a pause when the provider fails, given up on a wrong
number; the logging backend masks the phone; the Aliyun adapter, driven by Alibaba's own SDK,
is tried against a local fake of the SendSms API."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from lianluo.core.models import SmsMessage
from lianluo.core.sms.backends import SmsBackend, SmsError
from lianluo.core.sms.services import MAX_ATTEMPTS, sms_deliver, sms_enqueue
from lianluo.core.sms.templates import SmsTemplate

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13812345678", "138****5678"
LINK = "http://testserver/t/Abc123xyz/"
PARAMS = {"number": "CG-2026-0001", "link": LINK}


class RecordingBackend(SmsBackend):
    """Remembers what it was asked to send; fails while `failures` is positive."""

    sent: list[dict[str, Any]] = []
    failures = 0
    error: Exception = SmsError("isv.BUSINESS_LIMIT_CONTROL", "触发流控")

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> str:
        if RecordingBackend.failures > 0:
            RecordingBackend.failures -= 1
            raise RecordingBackend.error
        RecordingBackend.sent.append({"phone": phone, "template": template, "params": params})
        return f"biz-{len(RecordingBackend.sent)}"


@pytest.fixture
def recording(settings) -> Iterator[type[RecordingBackend]]:
    settings.LIANLUO_SMS_BACKEND = f"{__name__}.RecordingBackend"
    settings.LIANLUO_OUTBOX_MODE = "sync"
    RecordingBackend.sent, RecordingBackend.failures = [], 0
    RecordingBackend.error = SmsError("isv.BUSINESS_LIMIT_CONTROL", "触发流控")
    yield RecordingBackend


def enqueue(template: str = SmsTemplate.CASE_ACCEPTED) -> SmsMessage:
    return sms_enqueue(phone=PHONE, template=template, params=PARAMS)


def test_a_message_is_written_in_the_transaction_and_sent_after_commit(
    recording, django_capture_on_commit_callbacks
):
    # when a message is enqueued in a transaction
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        row = enqueue()

    # then it waits, unsent, for the commit
    row.refresh_from_db()
    assert row.sent_at is None and recording.sent == []
    assert len(after_commit) == 1

    # and goes out once the transaction has committed
    after_commit[0]()
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1 and row.provider_id == "biz-1"
    assert recording.sent == [{"phone": PHONE, "template": "case_accepted", "params": PARAMS}]


def test_a_rollback_drops_the_message(recording, django_capture_on_commit_callbacks):
    # when the transaction that enqueued it fails
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the case could not be saved")

    # then nothing remains and nothing was sent
    assert not SmsMessage.objects.exists()
    assert recording.sent == []


def test_each_message_is_sent_exactly_once(recording):
    # given two messages already sent
    with transaction.atomic():
        enqueue()
        enqueue(SmsTemplate.CASE_CLOSED)
    assert sms_deliver() == 2

    # when delivery runs again (the beat's sweep, another worker)
    assert sms_deliver() == 0

    # then each went out once
    assert [m["template"] for m in recording.sent] == ["case_accepted", "case_closed"]


def test_a_failed_message_is_retried_after_a_pause(recording):
    # given a provider that refuses the first attempt (flow control)
    recording.failures = 1
    row = enqueue()
    sms_deliver()

    # then the message keeps the error and waits a minute before its next attempt
    row.refresh_from_db()
    assert row.sent_at is None and row.failed_at is None
    assert row.attempts == 1 and row.last_error == "isv.BUSINESS_LIMIT_CONTROL: 触发流控"
    assert sms_deliver() == 0
    assert recording.sent == []

    # and goes out on the sweep after the pause, the error cleared
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert sms_deliver() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert len(recording.sent) == 1


def test_a_message_is_given_up_after_the_last_attempt(recording):
    # given a provider that is down for good
    recording.failures = 100
    recording.error = ConnectionError("provider unreachable")
    row = enqueue()

    # when every sweep tries it again after its pause
    moment = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):
        with time_machine.travel(moment):
            sms_deliver()
        moment += timedelta(hours=1, seconds=1)

    # then it was tried MAX_ATTEMPTS times and is marked failed, never sent
    row.refresh_from_db()
    assert row.attempts == MAX_ATTEMPTS
    assert row.failed_at is not None and row.sent_at is None
    assert "provider unreachable" in row.last_error
    assert recording.sent == []


def test_a_wrong_number_is_not_retried(recording):
    # given a provider that calls the number illegal
    recording.failures = 1
    recording.error = SmsError("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号", permanent=True)
    row = enqueue()

    # when it is tried, and later swept again
    sms_deliver()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        sms_deliver()

    # then it failed once for good
    row.refresh_from_db()
    assert row.attempts == 1 and row.failed_at is not None
    assert row.last_error.startswith("isv.MOBILE_NUMBER_ILLEGAL")
    assert recording.sent == []


def test_a_message_carries_only_the_templates_parameters(recording):
    # when someone tries to send the citizen's name along
    with pytest.raises(ValueError, match="takes"):
        sms_enqueue(
            phone=PHONE, template=SmsTemplate.CASE_ACCEPTED, params={**PARAMS, "name": "张三"}
        )
    # then nothing is written
    assert not SmsMessage.objects.exists()


def test_the_logging_backend_writes_the_text_with_the_phone_masked(settings, caplog):
    settings.LIANLUO_OUTBOX_MODE = "sync"
    # given the default backend
    assert settings.LIANLUO_SMS_BACKEND == "lianluo.core.sms.backends.LoggingBackend"

    # when a message is sent
    with caplog.at_level(logging.INFO, logger="lianluo.core.sms.backends"):
        enqueue()
        sms_deliver()

    # then the log has the Chinese text with the number masked, never the full number
    assert (
        f"SMS to {MASKED}: 您反映的问题已受理，编号CG-2026-0001，可凭链接查看进度：{LINK}"
        in caplog.messages
    )
    assert PHONE not in caplog.text
    assert SmsMessage.objects.get().sent_at is not None


def test_outside_development_the_log_shortens_the_tracking_link(settings, caplog):
    settings.DEBUG, settings.LIANLUO_DEV = False, False
    with caplog.at_level(logging.INFO, logger="lianluo.core.sms.backends"):
        enqueue()
        sms_deliver()
    assert caplog.messages == [
        f"SMS to {MASKED}: 您反映的问题已受理，编号CG-2026-0001，可凭链接查看进度：http://testserver/t/Ab…/"
    ]


# ---- the Aliyun adapter against a fake of its API ------------------------------------------


class FakeAliyun:
    """A local stand-in for dysmsapi.aliyuncs.com: answers SendSms as Alibaba does and records
    each request's action, parameters and signature headers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.answer: dict[str, Any] = {
            "Code": "OK",
            "Message": "OK",
            "BizId": "900619746936498440^0",
            "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
        }
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                params = {k: v[0] for k, v in {**parse_qs(url.query), **form}.items()}
                fake.requests.append({"params": params, "headers": dict(self.headers)})
                body = json.dumps(fake.answer).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeAliyun:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def aliyun(settings) -> Iterator[FakeAliyun]:
    with FakeAliyun() as fake:
        settings.LIANLUO_SMS_BACKEND = "lianluo.core.sms.backends.AliyunBackend"
        settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI5tTestKeyId"
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "test-secret"  # noqa: S105
        settings.ALIYUN_SMS_SIGN_NAME = "城关区人大"
        settings.ALIYUN_SMS_TEMPLATE_ACCEPTED = "SMS_480001"
        settings.ALIYUN_SMS_TEMPLATE_ANSWERED = "SMS_480002"
        settings.ALIYUN_SMS_TEMPLATE_CLOSED = "SMS_480003"
        settings.ALIYUN_SMS_ENDPOINT = fake.host
        settings.ALIYUN_SMS_PROTOCOL = "http"
        yield fake


def test_the_aliyun_adapter_sends_a_signed_sendsms_request(aliyun):
    # when a message is delivered through Aliyun
    row = enqueue()
    assert sms_deliver() == 1

    # then the API got one signed SendSms call with the number, signature, template and params
    [request] = aliyun.requests
    params, headers = request["params"], {k.lower(): v for k, v in request["headers"].items()}
    assert params["PhoneNumbers"] == PHONE
    assert params["SignName"] == "城关区人大"
    assert params["TemplateCode"] == "SMS_480001"
    assert json.loads(params["TemplateParam"]) == PARAMS
    assert headers["x-acs-action"] == "SendSms" and headers["x-acs-version"] == "2017-05-25"
    assert headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId,")
    assert "Signature=" in headers["authorization"]
    assert "test-secret" not in json.dumps(request)

    # and the message is marked sent with Alibaba's id of it
    row.refresh_from_db()
    assert row.sent_at is not None and row.provider_id == "900619746936498440^0"


def test_an_aliyun_refusal_is_kept_and_retried(aliyun):
    # given the API refuses with its flow control (HTTP 200, Code not OK)
    aliyun.answer = {
        "Code": "isv.BUSINESS_LIMIT_CONTROL",
        "Message": "触发小时级流控Permits:5",
        "RequestId": "A1",
    }
    row = enqueue(SmsTemplate.CASE_ANSWERED)

    # when it is delivered
    assert sms_deliver() == 0

    # then the error is on the message, which waits for another attempt
    row.refresh_from_db()
    assert row.last_error == "isv.BUSINESS_LIMIT_CONTROL: 触发小时级流控Permits:5"
    assert row.sent_at is None and row.failed_at is None and row.due_at > timezone.now()
    assert aliyun.requests[0]["params"]["TemplateCode"] == "SMS_480002"

    # and the next attempt, once the API accepts, sends it
    aliyun.answer = {"Code": "OK", "Message": "OK", "BizId": "42^0", "RequestId": "A2"}
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert sms_deliver() == 1
    row.refresh_from_db()
    assert row.provider_id == "42^0" and row.attempts == 2


def test_aliyun_calling_the_number_illegal_ends_the_message(aliyun):
    aliyun.answer = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "B"}
    row = enqueue()
    sms_deliver()
    row.refresh_from_db()
    assert row.failed_at is not None and row.attempts == 1
    assert row.last_error == "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号"


def test_an_aliyun_error_answer_is_kept_and_retried(aliyun):
    # given the API answers a wrong key with an HTTP error
    aliyun.status = 404
    aliyun.answer = {
        "Code": "InvalidAccessKeyId.NotFound",
        "Message": "Specified access key is not found.",
        "RequestId": "C",
    }
    row = enqueue()
    sms_deliver()

    # then the error is kept and the message will be tried again (the key may be fixed)
    row.refresh_from_db()
    assert row.last_error.startswith("InvalidAccessKeyId.NotFound")
    assert row.failed_at is None and row.sent_at is None and row.attempts == 1
