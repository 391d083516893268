"""Throttles hold against a client that forges X-Forwarded-For, against several workers, and
against password spraying: one client identity (lianluo.core.net.client_ip, configured by
LIANLUO_TRUSTED_PROXIES), counters outside the process, sign-in delays per username that grow
and per address."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, RequestFactory

from lianluo.cases.models import Case
from lianluo.core.models import ThrottleCounter
from lianluo.core.net import client_ip
from lianluo.demo.seed import DEMO_PASSWORD
from lianluo.voting.models import Ballot

# Not on a whole second: the counters must not lose a window to rounding.
NOW = datetime(2026, 12, 1, 10, 0, 0, 123457, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def three_a_minute(settings, frozen):
    settings.LIANLUO_INTAKE_RATE = "3/m"
    caches["default"].clear()  # with REDIS_URL the counters live there
    yield
    caches["default"].clear()


def forget_process_state() -> None:
    """What a request served by another worker does not see: anything kept in this process."""
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


def api_submit(**extra):
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/public/cases",
        {"station": "cg-hub", "text": "路灯坏了"},
        content_type="application/json",
        **extra,
    )


def form_submit(**extra):
    return Client(HTTP_ACCEPT_LANGUAGE="en").post("/s/cg-hub/", {"text": "路灯坏了"}, **extra)


# ---- who the client is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is a lie
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),  # our nginx wrote it
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote 6.6.6.6
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "10.0.0.2", None, "10.0.0.2"),  # a request that skipped the proxy
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:DB8::1", "2001:db8::1"),
        (1, "10.0.0.2", "198.51.100.1:5678", "198.51.100.1"),
    ],
)
def test_the_client_address_is_taken_only_from_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    # given a deployment with this many proxies of its own in front
    settings.LIANLUO_TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}

    # when a request comes in
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)

    # then the client is who the trusted proxies say it is, never who it says it is
    assert client_ip(request) == expected


# ---- intake --------------------------------------------------------------------------------


def test_a_forged_forwarded_for_does_not_escape_the_api_intake_limit(demo, three_a_minute):
    # when one client sends five messages, each claiming another address
    answers = [api_submit(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(1, 6)]

    # then it is one client: the fourth and fifth are refused
    assert answers == [201, 201, 201, 429, 429]
    assert Case.objects.count() == 3


def test_a_forged_forwarded_for_does_not_escape_the_form_intake_limit(demo, three_a_minute):
    # when one browser sends five messages through the form, each claiming another address
    answers = [form_submit(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(1, 6)]

    # then the fourth and fifth are refused, with the message
    assert answers == [302, 302, 302, 429, 429]
    assert Case.objects.count() == 3


def test_the_form_and_the_api_count_on_one_intake_limit(demo, three_a_minute):
    # given a client that sent two messages through the API
    assert [api_submit().status_code for _ in range(2)] == [201, 201]

    # when it sends two more through the form
    answers = [form_submit().status_code for _ in range(2)]

    # then the second of them is over the limit
    assert answers == [302, 429]


def test_behind_a_proxy_clients_are_told_apart_by_what_the_proxy_wrote(
    demo, three_a_minute, settings
):
    # given one proxy of ours in front: every request comes from its address
    settings.LIANLUO_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    # when a client sends four messages, forging the left part of the header each time,
    forged = [
        api_submit(HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 198.51.100.1", **proxy).status_code
        for i in range(4)
    ]
    # and another client behind the same proxy sends one
    other = api_submit(HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)

    # then the first is limited as one client, the other is not affected
    assert forged == [201, 201, 201, 429]
    assert other.status_code == 201


def test_the_intake_limit_holds_across_workers(demo, three_a_minute):
    # when a client's requests are each served by a "fresh worker": nothing kept in the process
    # survives from one request to the next
    answers = []
    for _ in range(4):
        forget_process_state()
        answers.append(api_submit().status_code)
    forget_process_state()
    answers.append(form_submit().status_code)

    # then the counter still knows the client
    assert answers == [201, 201, 201, 429, 429]


def test_the_intake_window_starts_over_after_the_period(demo, three_a_minute, frozen):
    # given a client over its limit
    assert [api_submit().status_code for _ in range(4)] == [201, 201, 201, 429]

    # when the minute since its first message has passed
    frozen.shift(timedelta(seconds=61))

    # then it may send again
    assert api_submit().status_code == 201


def test_a_forged_forwarded_for_does_not_escape_the_vote_limit(demo, three_a_minute):
    # when one client guesses tracking codes, each time claiming another address
    answers = [
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .post(
            "/board/station-of-the-year/",
            {"station": demo["cg_hub"].code, "tracking_code": f"GUESS-{n}"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(5)
    ]

    # then it is limited as one client, and nothing was counted
    assert answers[-2:] == [429, 429]
    assert Ballot.objects.count() == 0


# ---- sign-in -------------------------------------------------------------------------------


def sign_in(username: str, password: str, address: str = "203.0.113.7", **extra):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )
    return response, client


def token(username: str, password: str, address: str = "203.0.113.7", language: str = "en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_spraying_one_password_over_many_usernames_is_stopped_per_address(users, frozen):
    # given one address trying one password on twenty usernames (forging the header each time)
    tried = [
        sign_in(f"user{i}", "123456", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}")[0].status_code
        for i in range(20)
    ]

    # when it goes on, even with a right password, on the page and on the API
    page, client = sign_in("staff", DEMO_PASSWORD)
    api = token("leader", DEMO_PASSWORD)

    # then it is refused for the window, and nobody is signed in
    assert tried == [200] * 19 + [429]
    assert page.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minutes." in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert api.status_code == 429
    assert api.json()["code"] == "locked_out"
    # and another address is not affected
    assert sign_in("staff", DEMO_PASSWORD, address="203.0.113.8")[0].status_code == 302

    # and after the window the address may sign in again
    frozen.shift(timedelta(minutes=15, seconds=1))
    assert sign_in("staff", DEMO_PASSWORD)[0].status_code == 302


def test_guessing_one_username_from_many_addresses_is_delayed(users, frozen):
    # given five wrong passwords for staff, each from another address
    wrong = [sign_in("staff", "guess", address=f"198.51.100.{i}")[0].status_code for i in range(5)]

    # when the right password comes from yet another address within the minute
    frozen.shift(timedelta(seconds=30))
    early, client = sign_in("staff", DEMO_PASSWORD, address="198.51.100.99")

    # then it is refused and says when to try again; other users are not affected
    assert wrong == [200, 200, 200, 200, 429]
    assert early.status_code == 429
    assert early["Retry-After"] == "30"
    assert "Try again in 1 minute." in early.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in("leader", DEMO_PASSWORD, address="198.51.100.1")[0].status_code == 302

    # and once the minute is over, the right password works
    frozen.shift(timedelta(seconds=31))
    late, client = sign_in("staff", DEMO_PASSWORD, address="198.51.100.99")
    assert late.status_code == 302
    assert client.session["_auth_user_id"] == str(users["staff"].pk)


def test_the_delay_grows_with_each_failure_and_is_capped(users, frozen):
    # given a username that has been delayed once
    for _ in range(5):
        token("staff", "guess", address="198.51.100.1")

    # when a wrong password comes after each delay
    waits = []
    for _ in range(6):
        frozen.shift(timedelta(minutes=16))
        answer = token("staff", "guess", address="198.51.100.1")
        assert answer.status_code == 429
        waits.append(answer.json()["message"])

    # then each wait is twice the last, up to fifteen minutes
    assert waits == [
        f"Too many failed sign-ins. Try again in {n} minutes." for n in (2, 4, 8, 15, 15, 15)
    ]

    # and a right password after the wait clears the slate
    frozen.shift(timedelta(minutes=16))
    assert token("staff", DEMO_PASSWORD, address="198.51.100.1").status_code == 200
    assert not ThrottleCounter.objects.filter(key__startswith="login-user:").exists()
    assert token("staff", "guess", address="198.51.100.1").status_code == 401


def test_the_api_says_in_chinese_when_to_try_again(users, frozen):
    # given five wrong passwords for staff through the API
    for _ in range(5):
        token("staff", "guess", language="zh-hans")

    # when the right one comes
    answer = token("staff", DEMO_PASSWORD, language="zh-hans")

    # then 429 with {code, message} in Chinese and Retry-After, and no token
    assert answer.status_code == 429
    assert answer.json() == {"code": "locked_out", "message": "登录失败次数过多，请 1 分钟后再试。"}
    assert answer["Retry-After"] == "60"
    assert "token" not in answer.json()
