"""Where a text message goes: `LIANLUO_SMS_BACKEND` names one of these classes (or any class
with the same `send`).

- `LoggingBackend` (the default): writes "SMS to 138****1234: <text>" to the log. For
  development and the demo; nothing leaves the machine.
- `AliyunBackend`: Alibaba Cloud SMS (阿里云短信服务, API SendSms of Dysmsapi 2017-05-25) through
  Alibaba's own SDK, configured by the ALIYUN_SMS_* settings.

`send` returns the provider's id of the message, or raises `SmsError` (permanent when sending
the same message again cannot succeed, such as a number that is not a mobile number); any other
exception counts as a passing failure and the message is tried again later.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lianluo.core.sms.templates import SmsTemplate, sms_render
from lianluo.core.text import mask_phone

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused the message; `code` is its own error code."""

    def __init__(self, code: str, message: str = "", *, permanent: bool = False) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code, self.permanent = code, permanent


class SmsBackend:
    """Sends one message built from a template of core.sms.templates and its parameters."""

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> str:
        raise NotImplementedError


_TRACKING_CODE = re.compile(r"(/t/[^/]{2})[^/]+/")


class LoggingBackend(SmsBackend):
    """Logs the text instead of sending it, the phone number masked. Outside development the
    tracking link is shortened too: it opens the citizen's case, and logs travel further than
    the database."""

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> str:
        text = sms_render(template, params)
        if not (settings.DEBUG or getattr(settings, "LIANLUO_DEV", False)):
            text = _TRACKING_CODE.sub(r"\1…/", text)
        log.info("SMS to %s: %s", mask_phone(phone), text)
        return ""


# Errors that sending again cannot cure (Aliyun's codes); any other is retried.
ALIYUN_PERMANENT = frozenset({"isv.MOBILE_NUMBER_ILLEGAL"})


class AliyunBackend(SmsBackend):
    """Alibaba Cloud SMS through `alibabacloud-dysmsapi20170525`.

    Settings (from the environment): ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET,
    ALIYUN_SMS_SIGN_NAME (the approved signature, 签名), ALIYUN_SMS_TEMPLATE_ACCEPTED /
    _ANSWERED / _CLOSED (the approved template codes, SMS_…, whose texts are those of
    core.sms.templates with ${number} and ${link}), ALIYUN_SMS_ENDPOINT (default
    dysmsapi.aliyuncs.com) and ALIYUN_SMS_PROTOCOL (https; the tests' fake speaks http).
    """

    TEMPLATE_SETTINGS = {
        SmsTemplate.CASE_ACCEPTED: "ALIYUN_SMS_TEMPLATE_ACCEPTED",
        SmsTemplate.CASE_ANSWERED: "ALIYUN_SMS_TEMPLATE_ANSWERED",
        SmsTemplate.CASE_CLOSED: "ALIYUN_SMS_TEMPLATE_CLOSED",
    }

    def __init__(self) -> None:
        # Imported here: a deployment on the logging backend never loads the SDK's stack.
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        key_id, secret = settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        if not (key_id and secret and settings.ALIYUN_SMS_SIGN_NAME):
            raise ImproperlyConfigured(
                "AliyunBackend needs ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET and "
                "ALIYUN_SMS_SIGN_NAME"
            )
        config = Config(
            access_key_id=key_id,
            access_key_secret=secret,
            endpoint=settings.ALIYUN_SMS_ENDPOINT,
            protocol=settings.ALIYUN_SMS_PROTOCOL,
            # Milliseconds. Sending happens outside any transaction, but a sweep should not
            # hang on one slow answer.
            connect_timeout=5000,
            read_timeout=10000,
        )
        self.client: Any = Client(config)

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> str:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from Tea.exceptions import TeaException

        code = getattr(settings, self.TEMPLATE_SETTINGS[SmsTemplate(template)], "")
        if not code:
            raise SmsError("template_not_configured", self.TEMPLATE_SETTINGS[SmsTemplate(template)])
        request = SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.ALIYUN_SMS_SIGN_NAME,
            template_code=code,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        try:
            body = self.client.send_sms(request).body
        except TeaException as exc:  # an HTTP error answer (4xx/5xx) with Aliyun's code
            error = str(getattr(exc, "code", "") or "error")
            raise SmsError(
                error, str(getattr(exc, "message", "")), permanent=error in ALIYUN_PERMANENT
            ) from exc
        if body.code != "OK":  # refused with HTTP 200: {"Code": "isv.…", "Message": …}
            raise SmsError(
                str(body.code), str(body.message or ""), permanent=body.code in ALIYUN_PERMANENT
            )
        return str(body.biz_id or "")
