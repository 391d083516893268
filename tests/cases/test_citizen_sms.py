"""The citizen who left a mobile number hears by SMS when their case is accepted, answered and
closed: one message per step, in the step's transaction, carrying the ledger number and the
tracking link only. No SMS without a number, for a past year's imported case, or for the
linked copy of an escalated case (its citizen follows the case they sent)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from lianluo.cases.models import Case
from lianluo.cases.services import case_merge, case_transition
from lianluo.core.models import SmsMessage
from lianluo.core.sms.templates import sms_render
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.services import import_confirm, import_upload
from tests.factories.onboarding import xlsx

PHONE = "138 1234 5678"

ACCEPT = ("accept", {"triage": "general"})
ANSWER = ("answer", {"text": "已协调城管局更换路灯。"})
FOLLOW_UP = ("follow_up", {"method": "phone"})


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def sms_of(case: Case) -> list[tuple[str, str, str]]:
    """(phone, template, text) of every SMS about the case, oldest first."""
    link = f"{django_settings.SITE_URL}/t/{case.tracking_code}/"
    rows = SmsMessage.objects.filter(params__link=link).order_by("id")
    return [(r.phone, r.template, sms_render(r.template, r.params)) for r in rows]


def test_the_citizen_hears_of_the_acceptance_the_answer_and_the_close(
    make_case, django_capture_on_commit_callbacks
):
    # when a case with a phone number is accepted, answered, followed up and closed
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(ACCEPT, ANSWER, FOLLOW_UP, "close", phone=PHONE, name="张三")

    # then the citizen got exactly three messages, each with the number and the tracking link
    link = f"{django_settings.SITE_URL}/t/{case.tracking_code}/"
    assert sms_of(case) == [
        (
            "13812345678",
            "case_accepted",
            f"您反映的问题已受理，编号{case.number}，可凭链接查看进度：{link}",
        ),
        (
            "13812345678",
            "case_answered",
            f"您反映的问题（编号{case.number}）已有答复，可凭链接查看并评价：{link}",
        ),
        (
            "13812345678",
            "case_closed",
            f"您反映的问题（编号{case.number}）已办结，欢迎凭链接评价：{link}",
        ),
    ]
    # and none carries anything else: no name, no words of the case or of the answer
    for row in SmsMessage.objects.filter(params__link=link):
        assert set(row.params) == {"number", "link"}
        text = sms_render(row.template, row.params)
        assert "张三" not in text and "路灯" not in text and "城管局" not in text
    # and they were sent (the default backend logs them)
    assert not SmsMessage.objects.filter(params__link=link, sent_at__isnull=True).exists()


def test_an_answer_on_the_spot_is_told_too(make_case):
    case = make_case(
        ("accept", {"triage": "simple"}),
        ("answer_on_spot", {"text": "当场答复：下周维修。"}),
        phone=PHONE,
    )
    assert [template for _phone, template, _text in sms_of(case)] == [
        "case_accepted",
        "case_answered",
    ]


@pytest.mark.parametrize("phone", ["", "0731-2345678"])
def test_no_sms_without_a_mobile_number(make_case, phone):
    # when a case without a mobile number (none, or a landline) goes through its steps
    case = make_case(ACCEPT, ANSWER, FOLLOW_UP, "close", phone=phone)

    # then no message was written
    assert case.status == "closed"
    assert sms_of(case) == []


def test_other_steps_send_nothing(make_case, users):
    # when a case is declined
    case = make_case(("decline", {"reason": "涉法涉诉"}), phone=PHONE)
    # then the citizen reads it on the tracking page; no SMS is sent
    assert case.status == "declined"
    assert sms_of(case) == []


def test_a_failing_provider_never_fails_the_case(
    make_case, settings, django_capture_on_commit_callbacks
):
    # given a provider that cannot be reached (no such host)
    settings.LIANLUO_SMS_BACKEND = "lianluo.core.sms.backends.AliyunBackend"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI5tTestKeyId"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "test-secret"  # noqa: S105
    settings.ALIYUN_SMS_SIGN_NAME = "城关区人大"
    settings.ALIYUN_SMS_TEMPLATE_ACCEPTED = "SMS_480001"
    settings.ALIYUN_SMS_ENDPOINT = "127.0.0.1:9"
    settings.ALIYUN_SMS_PROTOCOL = "http"

    # when the case is accepted (and the message is tried after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(ACCEPT, phone=PHONE)

    # then the case is accepted and the message waits with its error for another attempt
    assert Case.objects.get(pk=case.pk).status == "accepted"
    row = SmsMessage.objects.get(template="case_accepted", params__number=case.number)
    assert row.sent_at is None and row.failed_at is None
    assert row.attempts == 1 and row.last_error


def test_the_escalated_copy_sends_nothing_and_the_citizen_hears_of_the_answer_once(
    make_case, users
):
    # given a township case accepted and escalated to the county
    case = make_case(ACCEPT, ("escalate", {"reason": "需县级统筹资金"}), phone=PHONE)
    linked = Case.objects.get(escalated_from=case)
    assert linked.citizen_phone == PHONE

    # when the county accepts and answers the linked case
    for action, fields in (ACCEPT, ANSWER):
        case_transition(case=linked, actor=users["staff"], action=action, **fields)

    # then the citizen heard of the acceptance and of the answer, about the case they sent
    assert [template for _phone, template, _text in sms_of(case)] == [
        "case_accepted",
        "case_answered",
    ]
    # and nothing about the county's copy, whose tracking code they never had
    assert sms_of(linked) == []
    assert SmsMessage.objects.filter(params__number=linked.number).count() == 0


def test_an_imported_case_sends_nothing(
    demo, users, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    # given a matter of 2023, still being handled, imported from the county's ledger
    settings.LIANLUO_IMPORT_MODE = "sync"
    field = ImportJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    row = {
        "日期": "2023-06-01",
        "联络站": "cg-hub",
        "渠道": "进站接待",
        "群众姓名": "张某",
        "联系电话": "13800001111",
        "反映事项": "小区门口路灯损坏",
        "类别": "城乡建设",
        "地点": "城关镇建设路",
        "办理结果/答复": "",
        "办理状态": "办理中",
        "办结日期": "",
        "满意度": "",
        "代表": "王建国",
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = import_upload(
            kind="cases",
            upload=ContentFile(xlsx([row], title="群众意见台账"), name="台账.xlsx"),
            actor=users["staff"],
        )
    job.refresh_from_db()
    assert job.status == "ready", job.summary
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(job=job, actor=users["staff"])
    imported = Case.objects.get(imported=True)
    assert imported.citizen_phone == "13800001111"

    # when it is answered now
    case_transition(case=imported, actor=users["staff"], action="answer", text="已更换。")

    # then no SMS goes to a citizen who wrote years ago
    assert Case.objects.get(pk=imported.pk).status == "answered"
    assert not SmsMessage.objects.exists()


def test_the_citizens_of_merged_duplicates_hear_of_the_answer_and_the_close(make_case, users):
    # given a case and two duplicates merged into it, one from another phone, one from the same
    survivor = make_case(phone="13800000001")
    other = make_case(phone="13800000002")
    same = make_case(phone="13800000001")
    case_merge(survivor=survivor, cases=[other, same], actor=users["staff"])

    # when the survivor is accepted, answered and closed
    case = Case.objects.get(pk=survivor.pk)
    for action, fields in (ACCEPT, ANSWER, FOLLOW_UP, ("close", {})):
        case = case_transition(case=case, actor=users["staff"], action=action, **fields)

    # then the other citizen hears of the answer and the close, with their own number and link
    # (their page follows the survivor); the same phone is told once, and nobody of the merge's
    # acceptance of a case they did not send
    assert [t for _p, t, _x in sms_of(survivor)] == [
        "case_accepted",
        "case_answered",
        "case_closed",
    ]
    assert [(p, t) for p, t, _x in sms_of(other)] == [
        ("13800000002", "case_answered"),
        ("13800000002", "case_closed"),
    ]
    assert all(other.number in text for _p, _t, text in sms_of(other))
    assert sms_of(same) == []
