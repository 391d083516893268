"""Background jobs of the core (Celery tasks; run in-process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.core.services import outbox_deliver
from lianluo.core.sms.services import sms_deliver


@shared_task(name="lianluo.deliver_outbox")
def deliver_outbox() -> int:
    return outbox_deliver()


@shared_task(name="lianluo.deliver_sms")
def deliver_sms() -> int:
    return sms_deliver()
