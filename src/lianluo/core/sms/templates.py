"""The texts a citizen may receive, fixed and in Chinese.

A provider sends only texts it approved in advance (Aliyun: 短信模板, with `${number}` and
`${link}` variables); these are the same texts, rendered here for the logging backend and the
admin. The parameters are the ledger number and the tracking link, nothing else: no name, no
words of the case (sms_enqueue refuses any other parameter).
"""

from __future__ import annotations

import string
from enum import StrEnum


class SmsTemplate(StrEnum):
    CASE_ACCEPTED = "case_accepted"  # a citizen's case was accepted (受理)
    CASE_ANSWERED = "case_answered"  # it has an answer (答复)
    CASE_CLOSED = "case_closed"  # it was closed out (办结)


TEXTS: dict[str, str] = {
    SmsTemplate.CASE_ACCEPTED: "您反映的问题已受理，编号{number}，可凭链接查看进度：{link}",
    SmsTemplate.CASE_ANSWERED: "您反映的问题（编号{number}）已有答复，可凭链接查看并评价：{link}",
    SmsTemplate.CASE_CLOSED: "您反映的问题（编号{number}）已办结，欢迎凭链接评价：{link}",
}


def template_params(template: str) -> set[str]:
    """The names a template's text needs, e.g. {"number", "link"}."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(TEXTS[template]) if name}


def sms_render(template: str, params: dict[str, str]) -> str:
    """The text as the citizen reads it (without the provider's signature 【…】)."""
    return TEXTS[template].format(**params)
