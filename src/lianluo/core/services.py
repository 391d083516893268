"""Writes of the core: numbering, audit, outbox, notifications, API tokens."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lianluo.core.background import ThreadRunner
from lianluo.core.inserts import insert_rows
from lianluo.core.models import (
    ApiToken,
    AuditLog,
    Congress,
    Generation,
    LedgerCounter,
    Notification,
    OutboxMessage,
    User,
)

log = logging.getLogger(__name__)


def ledger_number_next(*, congress: Congress, year: int) -> int:
    """The next gapless sequence number; call inside the transaction that uses it.

    The counter row is locked until that transaction ends, so a rollback returns the number.
    """
    return ledger_number_claim(congress=congress, year=year)[0]


def ledger_number_claim(
    *, congress: Congress, year: int, generation: str | None = None
) -> tuple[int, int | None]:
    """`ledger_number_next`, and in the same statement the value of the named `Generation`
    (None when not asked or not there): a cache built at another value is stale."""
    conn = transaction.get_connection()
    assert conn.in_atomic_block, "needs the caller's transaction"
    # UPDATE takes the row lock; a concurrent submission waits for our commit or rollback.
    if conn.features.can_return_columns_from_insert:  # UPDATE … RETURNING: one round trip
        qn = conn.ops.quote_name
        table, last = qn(LedgerCounter._meta.db_table), qn("last")
        gen_table = qn(Generation._meta.db_table)
        # Identifiers from the models, values as parameters.
        sql = (
            f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608
            f"WHERE {qn('congress_id')} = %s AND {qn('year')} = %s RETURNING {last}, "
            f"(SELECT {qn('value')} FROM {gen_table} WHERE {qn('name')} = %s)"
        )
        for _attempt in range(2):
            with conn.cursor() as cursor:
                cursor.execute(sql, [congress.pk, year, generation or ""])
                row = cursor.fetchone()
            if row is not None:
                return int(row[0]), (None if row[1] is None else int(row[1]))
            LedgerCounter.objects.bulk_create(
                [LedgerCounter(congress=congress, year=year, last=0)], ignore_conflicts=True
            )
    counter = LedgerCounter.objects.filter(congress=congress, year=year)
    if not counter.update(last=F("last") + 1):
        LedgerCounter.objects.bulk_create(
            [LedgerCounter(congress=congress, year=year, last=0)], ignore_conflicts=True
        )
        counter.update(last=F("last") + 1)
    seq = LedgerCounter.objects.values_list("last", flat=True).get(congress=congress, year=year)
    return seq, generation_value(generation) if generation else None


def generation_value(name: str) -> int | None:
    """The current value of a `Generation` (None if it is not installed)."""
    return Generation.objects.filter(name=name).values_list("value", flat=True).first()


def generation_ensure(name: str) -> int:
    """The current value of a `Generation`, its row written first if it is missing (a database
    flushed since its migration: the triggers raise only a row that exists)."""
    value = generation_value(name)
    if value is None:
        Generation.objects.bulk_create([Generation(name=name, value=0)], ignore_conflicts=True)
        value = generation_value(name) or 0
    return value


def audit_record(
    *, actor: User | None, verb: str, target: Any, data: dict[str, Any] | None = None
) -> AuditLog:
    """Append an audit entry (a reveal of personal data, an administrative act)."""
    return AuditLog.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )


def outbox_enqueue(
    *, recipients: Iterable[User], kind: str, subject: str, body: str, link: str = ""
) -> list[OutboxMessage]:
    """Write notifications in the caller's transaction; delivery is scheduled after commit."""
    rows = [
        OutboxMessage(recipient=user, kind=kind, subject=subject, body=body, link=link)
        for user in {u.pk: u for u in recipients}.values()
    ]
    insert_rows(rows)  # one statement, built once per row count (core.inserts)
    if rows:
        transaction.on_commit(outbox_dispatch)
    return rows


def outbox_dispatch() -> None:
    """Hand pending messages to the configured deliverer (thread, Celery or inline)."""
    mode = settings.LIANLUO_OUTBOX_MODE
    if mode == "sync":
        outbox_deliver()
    elif mode == "celery":
        from lianluo.core.tasks import deliver_outbox

        try:
            deliver_outbox.delay()
        except Exception:  # broker down: rows wait in the outbox, the beat/next dispatch retries
            log.warning("outbox: broker unavailable, delivery deferred", exc_info=True)
    else:
        _in_thread.dispatch()


def outbox_deliver(*, batch: int = 200) -> int:
    """Deliver what is due and not yet sent: an in-app notification and, where the user has an
    e-mail address, an e-mail. Idempotent: a message is marked sent in the same transaction that
    writes its notification, and rows locked by another worker are skipped."""
    delivered = 0
    while True:
        with transaction.atomic():
            rows = list(
                # of=("self",): lock the messages, not their recipients' user rows (that lock
                # would make every new outbox row for them wait on its foreign-key check).
                OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True, attempts__lt=10)
                .select_related("recipient")
                .order_by("created_at", "id")[:batch]
            )
            if not rows:
                return delivered
            now = timezone.now()
            Notification.objects.bulk_create(
                [
                    Notification(
                        user=row.recipient,
                        subject=row.subject,
                        body=row.body,
                        link=row.link,
                        outbox=row,
                    )
                    for row in rows
                ],
                ignore_conflicts=True,
            )
            failed: list[OutboxMessage] = []
            for row in rows:
                if row.recipient.email:
                    try:
                        send_mail(
                            row.subject,
                            f"{row.body}\n\n{settings.SITE_URL}{row.link}",
                            None,
                            [row.recipient.email],
                        )
                    except Exception as exc:  # the in-app notice stands; the mail is logged
                        row.last_error = str(exc)[:500]
                        failed.append(row)
            # One UPDATE for the batch (a bulk_update writes a CASE per row and column); the
            # few whose mail failed keep their error.
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                sent_at=now, attempts=F("attempts") + 1
            )
            for row in failed:
                OutboxMessage.objects.filter(pk=row.pk).update(last_error=row.last_error)
            delivered += len(rows)
        if len(rows) < batch:
            # Nothing more was due; a message written meanwhile brings its own dispatch. (No
            # second, empty transaction: on SQLite every one of them takes the write lock.)
            return delivered


_in_thread = ThreadRunner(lambda: outbox_deliver(), "outbox delivery")


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())


def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new bearer token; the raw value is returned once and only its digest is stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.hash(raw),
        expires_at=timezone.now() + timedelta(days=settings.LIANLUO_TOKEN_DAYS),
    )
    return raw, token


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
