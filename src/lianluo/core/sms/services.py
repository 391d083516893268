"""Writes of the SMS outbox: `sms_enqueue` in the caller's transaction, `sms_deliver` after it.

Delivery claims a batch of due rows in a short transaction (it counts the attempt and puts
`due_at` off by a lease), talks to the provider outside any transaction (a slow provider holds
no row lock, and on SQLite not the one write lock), and records each result as it comes. A
message is sent once: a worker that finds a row claimed skips it, and a claimed row comes back
only when its lease runs out (the worker died). A failure is retried later, with a growing
pause, up to `MAX_ATTEMPTS`; one the provider calls permanent (a wrong number) is not retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from lianluo.core.background import ThreadRunner
from lianluo.core.models import SmsMessage
from lianluo.core.sms.backends import SmsBackend, SmsError
from lianluo.core.sms.templates import TEXTS, template_params
from lianluo.core.text import normalize_phone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# A claimed batch is the claiming worker's for this long; the provider's timeouts are far shorter.
LEASE = timedelta(minutes=10)
# The pause after the n-th failure: 1, 2, 4 … minutes, at most an hour.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)


def sms_enqueue(*, phone: str, template: str, params: dict[str, str]) -> SmsMessage:
    """Write one text message in the caller's transaction; it is sent after commit (a rollback
    drops it). `params` must be exactly the template's parameters (the ledger number and the
    tracking link), so no other data can ride along."""
    if template not in TEXTS:
        raise ValueError(f"unknown SMS template {template!r}")
    if set(params) != template_params(template):
        raise ValueError(f"SMS template {template!r} takes {sorted(template_params(template))}")
    number = normalize_phone(phone)
    if not number:
        raise ValueError("no phone number")
    row = SmsMessage.objects.create(
        phone=number, template=template, params={k: str(v) for k, v in params.items()}
    )
    transaction.on_commit(sms_dispatch)
    return row


def sms_backend() -> SmsBackend:
    """The backend named by `LIANLUO_SMS_BACKEND` (a dotted path), built from the settings."""
    backend: SmsBackend = import_string(settings.LIANLUO_SMS_BACKEND)()
    return backend


def sms_dispatch() -> None:
    """Deliver after commit the way the outbox does (`LIANLUO_OUTBOX_MODE`)."""
    mode = settings.LIANLUO_OUTBOX_MODE
    if mode == "sync":
        _deliver_logged()
    elif mode == "celery":
        from lianluo.core.tasks import deliver_sms

        try:
            deliver_sms.delay()
        except Exception:  # broker down: the rows wait, the beat's sweep sends them
            log.warning("sms: broker unavailable, delivery deferred", exc_info=True)
    else:
        _in_thread.dispatch()


def _deliver_logged() -> None:
    # After commit: whatever goes wrong here must not reach the request whose case was saved.
    try:
        sms_deliver()
    except Exception:
        log.exception("sms delivery failed; the messages wait for the next sweep")


_in_thread = ThreadRunner(_deliver_logged, "sms delivery")


def _claim(*, batch: int) -> list[SmsMessage]:
    with transaction.atomic():
        now = timezone.now()
        rows = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, failed_at__isnull=True, due_at__lte=now)
            .order_by("due_at", "id")[:batch]
        )
        for row in rows:
            row.attempts += 1
            row.due_at = now + LEASE
        SmsMessage.objects.bulk_update(rows, ["attempts", "due_at"])
    return rows


def _send(backend: SmsBackend, row: SmsMessage) -> None:
    """One attempt; records its outcome on the row (not saved)."""
    now = timezone.now()
    try:
        row.provider_id = backend.send(phone=row.phone, template=row.template, params=row.params)[
            :100
        ]
    except Exception as exc:
        permanent = isinstance(exc, SmsError) and exc.permanent
        row.last_error = (str(exc) if isinstance(exc, SmsError) else repr(exc))[:500]
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.failed_at = now
        else:
            row.due_at = now + min(RETRY_FIRST * 2 ** (row.attempts - 1), RETRY_MAX)
        log.warning("sms #%s not sent (attempt %s): %s", row.pk, row.attempts, row.last_error)
        return
    row.sent_at, row.last_error = now, ""


def sms_deliver(*, batch: int = 200) -> int:
    """Send the due messages; returns how many were sent. Idempotent: a row is claimed before it
    is sent and marked sent after, so a second worker or a repeated sweep sends nothing twice."""
    backend = sms_backend()
    sent = 0
    while True:
        rows = _claim(batch=batch)
        for row in rows:
            _send(backend, row)
            # Recorded at once: a worker that dies later in the batch sends this one no more.
            row.save(update_fields=["provider_id", "sent_at", "failed_at", "due_at", "last_error"])
            if row.sent_at is not None:
                sent += 1
        if len(rows) < batch:
            return sent
