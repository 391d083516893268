"""What the citizen is told by SMS as their case moves (accepted, answered, closed).

One message per step, written in the step's transaction through core.sms (sent after commit; a
provider's failure stays on the message row and never on the case). It carries the ledger
number and the tracking link only: no name, no words of the case.

Who is told: the citizen who left a mobile number on a case they sent. Not the past years'
imported cases, and not the linked copy of an escalated case: its citizen follows the case they
sent, which hears of the answer when it passes down (and gets its own message then).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from lianluo.cases.models import Case
from lianluo.cases.states import Action, Channel
from lianluo.core.sms.services import sms_enqueue
from lianluo.core.sms.templates import SmsTemplate
from lianluo.core.text import normalize_phone

# The steps the citizen hears of, and the text of each.
SMS_FOR_ACTION: dict[str, str] = {
    Action.ACCEPT: SmsTemplate.CASE_ACCEPTED,
    Action.ANSWER: SmsTemplate.CASE_ANSWERED,
    Action.ANSWER_ON_SPOT: SmsTemplate.CASE_ANSWERED,
    Action.CLOSE: SmsTemplate.CASE_CLOSED,
}

# A mainland mobile number, with or without the country code: a landline gets no SMS.
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")


def tracking_url(case: Case) -> str:
    return f"{settings.SITE_URL}{reverse('portal:track', kwargs={'code': case.tracking_code})}"


def citizen_sms_for_step(case: Case, action: str) -> None:
    """Enqueue the citizen's SMS for `action` just taken on `case`, if it is one they hear of."""
    template = SMS_FOR_ACTION.get(action)
    if template is None or case.imported or case.channel == Channel.ESCALATION:
        return
    phone = normalize_phone(case.citizen_phone)
    if not _MOBILE.fullmatch(phone):
        return
    sms_enqueue(
        phone=phone, template=template, params={"number": case.number, "link": tracking_url(case)}
    )
