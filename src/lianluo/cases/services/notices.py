"""What the citizen is told by SMS as their case moves (accepted, answered, closed).

One message per step, written in the step's transaction through core.sms (sent after commit; a
provider's failure stays on the message row and never on the case). It carries the ledger
number and the tracking link only: no name, no words of the case.

Who is told: the citizen who left a mobile number on a case they sent. Not the past years'
imported cases, and not the linked copy of an escalated case: its citizen follows the case they
sent, which hears of the answer when it passes down (and gets its own message then). When a case
is answered or closed, so are the citizens of the duplicates merged into it (cases.services.
merge), each with their own number and link (their page follows this case), once per phone.
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


# The steps the citizens of merged duplicates hear of too (not the survivor's acceptance).
FOR_MERGED = {Action.ANSWER, Action.ANSWER_ON_SPOT, Action.CLOSE}


def citizen_sms_for_step(case: Case, action: str) -> None:
    """Enqueue the citizens' SMS for `action` just taken on `case`, if it is one they hear of."""
    template = SMS_FOR_ACTION.get(action)
    if template is None or case.imported or case.channel == Channel.ESCALATION:
        return
    told: set[str] = set()
    for each in [case, *(_merged_into(case) if action in FOR_MERGED else [])]:
        phone = normalize_phone(each.citizen_phone)
        if not _MOBILE.fullmatch(phone) or phone in told:
            continue
        told.add(phone)
        sms_enqueue(
            phone=phone,
            template=template,
            params={"number": each.number, "link": tracking_url(each)},
        )


def _merged_into(case: Case) -> list[Case]:
    """The duplicates merged into the case, and those merged into them, oldest first."""
    found: list[Case] = []
    level = list(Case.objects.filter(merged_into=case).order_by("pk"))
    while level:
        found += level
        level = list(Case.objects.filter(merged_into__in=level).order_by("pk"))
    return found
