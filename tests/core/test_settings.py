"""Production configuration and sign-in hardening: `check --deploy` is clean with the production
environment, a missing secret key stops the start, and repeated wrong passwords lock sign-in
(lianluo.core.throttle) on the web form and the API token endpoint alike."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from lianluo.demo.seed import DEMO_PASSWORD

PROJECT = Path(__file__).resolve().parents[2]
DEV_ONLY = {
    "LIANLUO_DEV",
    "DEBUG",
    "SECURE_HTTPS",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixtures; never in production
}


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with the given environment over the current one,
    minus the development switches the test run sets."""
    base = {
        k: v for k, v in os.environ.items() if k not in DEV_ONLY and not k.startswith("SECURE_HSTS")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_is_clean_in_production():
    # given the production environment: a long random key, no DEBUG, HTTPS on
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "SECURE_HTTPS": "1",
        "ALLOWED_HOSTS": "lianluo.example.org",
        "SITE_URL": "https://lianluo.example.org",
    }

    # when Django's deployment check runs, failing on any warning
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    # then it finds nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        "dev-insecure-key-only-for-local-use",  # the built-in development key
        "lianluo",  # short and guessable
        "a" * 64,  # long but one character
        "django-insecure-" + "x9Qk2mZp7Lw4Rt8Vb3Nc6Hj1Fd5Gs0Ye" * 2,  # Django's own placeholder
    ],
    ids=["development-key", "short", "one-character", "django-insecure"],
)
def test_production_will_not_start_with_a_weak_or_development_key(key):
    # given production (no DEBUG, no development switch) with a weak key: Django's
    # check --deploy would only warn (security.W009), and only if someone ran it

    # when the product starts
    result = manage("check", SECRET_KEY=key, DEBUG="0", SECURE_HTTPS="1")

    # then it refuses, saying why and how to make a key
    assert result.returncode != 0
    assert "SECRET_KEY is the development key or too weak" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_will_not_start_without_a_secret_key():
    # when the product starts without SECRET_KEY, DEBUG or the development switch
    result = manage("check", DEBUG="0")

    # then it refuses, saying why
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_four_wrong_passwords_do_not_lock_the_account(users):
    # given four wrong passwords for staff
    client = Client()
    wrong = [sign_in(client, "staff", "guess").status_code for _ in range(4)]

    # when the right one comes fifth
    right = sign_in(client, "staff", DEMO_PASSWORD)

    # then staff are signed in
    assert wrong == [200, 200, 200, 200]
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(users["staff"].pk)


def test_five_wrong_passwords_lock_sign_in(users):
    # given five wrong passwords for staff from one address
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        sign_in(client, "staff", "guess")

    # when the right password comes sixth
    locked = sign_in(client, "staff", DEMO_PASSWORD)

    # then it is refused with the lockout page, and nobody is signed in
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # and another user from the same address is not locked out
    other = Client()
    assert sign_in(other, "leader", DEMO_PASSWORD).status_code == 302


def test_five_wrong_passwords_lock_the_api_token_endpoint(api, users):
    # given five wrong passwords for staff through the API
    client = api(language="en")
    wrong = [
        client.post("/api/v1/auth/token", {"username": "staff", "password": "guess"})
        for _ in range(5)
    ]

    # when the right password comes sixth
    locked = client.post("/api/v1/auth/token", {"username": "staff", "password": DEMO_PASSWORD})

    # then no token is issued (the fifth failure already answers that the account is locked)
    assert [r.status_code for r in wrong[:4]] == [401] * 4
    assert wrong[4].status_code in (401, 429)
    assert wrong[0].json()["code"] == "invalid_credentials"
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "locked_out",
        "message": "Too many failed sign-ins. Try again in 1 minute.",
    }


def test_the_api_issues_a_bearer_token_for_the_right_password(api, users):
    # when staff exchange their password for a token
    response = api().post("/api/v1/auth/token", {"username": "staff", "password": DEMO_PASSWORD})

    # then the token opens the API as them
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "staff"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic c3RhZmY6bGlhbmx1bw==", ""])
def test_the_api_refuses_a_wrong_or_missing_token(demo, header):
    # when the ledger is asked for with a wrong, foreign or no credential
    headers = {"Authorization": header} if header else {}
    response = Client().get("/api/v1/cases", headers=headers)

    # then 401
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_development_still_starts_with_the_built_in_key():
    # given the development switch and no SECRET_KEY (make demo, make test)
    # when the product starts
    result = manage("check", LIANLUO_DEV="1")

    # then it starts with the development key
    assert result.returncode == 0, result.stderr
