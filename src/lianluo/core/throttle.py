"""Throttles shared by every worker: request rates (citizen intake, votes) and sign-in delays.

State lives outside the process — a per-process counter is no limit behind four gunicorn
workers: in Redis when `REDIS_URL` is set (one Lua script per hit, atomic), otherwise in the
database (`ThrottleCounter`, one `UPDATE … SET count = count + 1`, atomic on SQLite and
PostgreSQL). Sign-in state is always in the database (low volume, and it must survive a cache
flush). Every throttle identifies the client with `lianluo.core.net.client_ip`, the one rule.

A rate window opens at a client's first request and lasts the rate's period ("20/m": twenty in
the minute after the first); times come from Django's clock, so tests freeze them.
"""

from __future__ import annotations

import hashlib
import math
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja.throttling import BaseThrottle

from lianluo.core.models import ThrottleCounter
from lianluo.core.net import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Sign-in strikes are forgotten a day after a username's last failure.
_LOGIN_MEMORY = timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/m" -> (20, 60); "5/10m" -> (5, 600)."""
    count, _, period = rate.partition("/")
    period = period.strip() or "s"
    unit = period[-1] if period[-1] in _PERIODS else "s"
    multiple = period[:-1] if period[-1] in _PERIODS else period
    return int(count), int(multiple or 1) * _PERIODS[unit]


def _key(scope: str, ident: str) -> str:
    return f"{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:40]}"


# ---- counting --------------------------------------------------------------------------------

# KEYS[1] = counter, ARGV = now, window (seconds, from Django's clock so tests can freeze it).
# A window that ended, or that ends further away than a whole window (the clock went back; a
# second of slack for rounding), starts over. The expiry only collects stale keys; the window
# end inside decides.
_REDIS_HIT = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local ends = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
if ends <= now or ends > now + window + 1 then
  ends = string.format('%.6f', now + window)
  redis.call('HSET', KEYS[1], 'e', ends, 'n', 1)
  redis.call('EXPIRE', KEYS[1], math.ceil(window) + 60)
  return {1, ends}
end
return {redis.call('HINCRBY', KEYS[1], 'n', 1), string.format('%.6f', ends)}
"""


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def _hit_redis(key: str, now: datetime, window: int) -> tuple[int, datetime]:
    count, ends = _redis(settings.REDIS_URL).eval(
        _REDIS_HIT, 1, f"lianluo:throttle:{key}", repr(now.timestamp()), window
    )
    return int(count), datetime.fromtimestamp(float(ends), tz=now.tzinfo)


# Static text (the table and its columns are the model's, quoted the way both databases read).
_HIT_SQL = (
    'INSERT INTO "core_throttlecounter" ("key", "count", "window_end", "strikes", "blocked_until") '
    'VALUES (%s, 1, %s, 0, NULL) ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN "core_throttlecounter"."window_end" <= %s '
    'OR "core_throttlecounter"."window_end" > %s THEN 1 '
    'ELSE "core_throttlecounter"."count" + 1 END, '
    '"window_end" = CASE WHEN "core_throttlecounter"."window_end" <= %s '
    'OR "core_throttlecounter"."window_end" > %s THEN excluded."window_end" '
    'ELSE "core_throttlecounter"."window_end" END '
    'RETURNING "count", "window_end"'
)


def _hit_db(key: str, now: datetime, window: int) -> tuple[int, datetime]:
    """Count one hit in one statement (an upsert returning the count): the row stays locked
    only while the statement runs, which matters when every request of a burst counts on one
    client's row. A window that ended, or that ends further away than a whole window (the
    clock went back; a second of slack), starts over; both SET expressions read the row as it
    was (SQLite and PostgreSQL alike)."""
    ends = now + timedelta(seconds=window)
    adapt = connection.ops.adapt_datetimefield_value
    bounds = [adapt(now), adapt(ends + timedelta(seconds=1))]
    params = [key, adapt(ends), *bounds, *bounds]
    # SQLite: in a transaction, so that the write lock is queued for in short steps
    # (lianluo.core.sqlite) rather than by SQLite's own sleeps; PostgreSQL: one statement.
    in_transaction = transaction.atomic() if connection.vendor == "sqlite" else nullcontext()
    with in_transaction, connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, params)
        count, window_end = cursor.fetchone()
    if count == 1:  # a new client, or a new window: forget those gone for a day
        _sweep(now)
    return count, _aware(window_end)


def _aware(value: datetime | str) -> datetime:
    """A datetime column as a raw cursor returns it (SQLite: the stored text, in UTC)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"not a datetime: {value!r}")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _sweep(now: datetime) -> None:
    """Forget clients nobody has heard of for a day (run when a new one appears)."""
    ThrottleCounter.objects.filter(
        Q(blocked_until=None) | Q(blocked_until__lt=now), window_end__lt=now - _LOGIN_MEMORY
    ).delete()


def rate_hit(scope: str, ident: str, rate: str) -> Decision:
    """Count one request of `ident` under `scope` and say whether it is within `rate`."""
    limit, window = parse_rate(rate)
    now = timezone.now()
    key = _key(scope, ident)
    count, ends = _hit_redis(key, now, window) if settings.REDIS_URL else _hit_db(key, now, window)
    if count <= limit:
        return Decision(True, 0)
    return Decision(False, max(1, math.ceil((ends - now).total_seconds())))


def rate_allowed(request: HttpRequest, scope: str, rate: str) -> bool:
    """For HTML views: count this request from its client; False once over the rate."""
    return rate_hit(scope, client_ip(request), rate).allowed


class RateThrottle(BaseThrottle):
    """A django-ninja throttle on the shared counters, keyed by `client_ip` (ninja's own read
    X-Forwarded-For as the client sent it and counted in the process). The rate is read from
    the named setting on every request: the instance is made once, at import."""

    scope = ""
    rate_setting = ""

    def __init__(self) -> None:
        self._last = threading.local()  # one instance serves every thread of the worker

    def allow_request(self, request: HttpRequest) -> bool:
        if getattr(request, "auth", None) is not None:
            return True  # signed-in callers are not anonymous intake
        decision = rate_hit(self.scope, client_ip(request), getattr(settings, self.rate_setting))
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None) or None


# ---- sign-in ---------------------------------------------------------------------------------


def _user_key(username: str) -> str:
    # Usernames are looked up exactly, but "Staff" and "staff" are one target for a guesser.
    return _key("login-user", username.strip().casefold())


def _address_key(request: HttpRequest) -> str:
    return _key("login-address", client_ip(request))


def login_blocked_until(request: HttpRequest, username: str) -> datetime | None:
    """When this sign-in may be tried again, or None if it may be tried now: the username is
    waiting out a delay, or its address has failed too often in the window."""
    now = timezone.now()
    user_key, address_key = _user_key(username), _address_key(request)
    until: datetime | None = None
    for row in ThrottleCounter.objects.filter(key__in=[user_key, address_key]):
        if row.key == user_key and row.blocked_until and row.blocked_until > now:
            until = max(until or row.blocked_until, row.blocked_until)
        if (
            row.key == address_key
            and row.window_end > now
            and row.count >= settings.LIANLUO_LOGIN_ADDRESS_FAILURES
        ):
            until = max(until or row.window_end, row.window_end)
    return until


def login_failed(request: HttpRequest, username: str) -> datetime | None:
    """Record a wrong password for `username` from this request's client. The username waits
    LIANLUO_LOGIN_DELAY_SECONDS after LIANLUO_LOGIN_USER_FAILURES failures, then each further
    failure doubles the wait up to LIANLUO_LOGIN_DELAY_MAX_SECONDS — from whatever address it
    comes. Returns when sign-in may be tried again if this failure started a wait."""
    now = timezone.now()
    count, ends = _hit_db(_address_key(request), now, settings.LIANLUO_LOGIN_ADDRESS_WINDOW_SECONDS)
    until = ends if count >= settings.LIANLUO_LOGIN_ADDRESS_FAILURES else None
    with transaction.atomic():
        row, _created = ThrottleCounter.objects.select_for_update().get_or_create(
            key=_user_key(username), defaults={"window_end": now + _LOGIN_MEMORY}
        )
        if row.window_end <= now:  # a day without failures: start afresh
            row.count, row.strikes = 0, 0
        row.count += 1
        row.window_end = now + _LOGIN_MEMORY
        if row.strikes or row.count >= settings.LIANLUO_LOGIN_USER_FAILURES:
            row.strikes += 1
            row.count = 0
            delay = min(
                settings.LIANLUO_LOGIN_DELAY_SECONDS * 2 ** min(row.strikes - 1, 30),
                settings.LIANLUO_LOGIN_DELAY_MAX_SECONDS,
            )
            row.blocked_until = now + timedelta(seconds=delay)
            until = max(until or row.blocked_until, row.blocked_until)
        row.save()
    return until


def login_succeeded(username: str) -> None:
    """A right password clears the username's strikes (not its address's failures: one
    account of the sprayer's own must not reset the count of the others it tries)."""
    ThrottleCounter.objects.filter(key=_user_key(username)).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend behind the sign-in throttle; serves the login page,
    the admin and `POST /api/v1/auth/token` alike. A blocked attempt is refused before the
    password is checked and leaves `request.login_blocked_until` for the answer (429)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or not username:
            return super().authenticate(request, username, password, **kwargs)
        until = login_blocked_until(request, username)
        if until is not None:
            request.login_blocked_until = until  # type: ignore[attr-defined]
            raise PermissionDenied  # stops authenticate() here: no password check
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            until = login_failed(request, username)
            if until is not None:
                request.login_blocked_until = until  # type: ignore[attr-defined]
        else:
            login_succeeded(username)
        return user


class LoginThrottleMiddleware:
    """Turns a sign-in refused by the throttle into the 429 answer (the login page would
    otherwise say only "wrong password")."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        until = getattr(request, "login_blocked_until", None)
        if until is not None and response.status_code != 429:
            from lianluo.core.views import lockout_response

            return lockout_response(request, until)
        return response
