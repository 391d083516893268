"""Security headers: a strict Content-Security-Policy on every page (and no template that would
need a weaker one), and `Cache-Control: no-store` on every answer carrying personal data —
signed-in pages, bearer API answers, a citizen's own case — but not on public station pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import path

import lianluo

TEMPLATES = Path(lianluo.__file__).resolve().parent / "templates"

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def boom(request: HttpRequest):
    raise RuntimeError("a bug")


# The server-error case needs a view that fails: this module doubles as its URLconf.
urlpatterns = [path("boom/", boom)]


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: (d[1] if len(d) > 1 else "") for d in directives}


def cache_control(response) -> set[str]:
    return {p.strip() for p in response.headers.get("Cache-Control", "").split(",") if p.strip()}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


# --- Content-Security-Policy ---


def test_public_pages_and_api_answers_carry_the_strict_policy(demo, api):
    # given an anonymous visitor
    client = Client()
    station, deputy = demo["cg_hub"], demo["deputy"]
    pages = [
        "/",
        f"/s/{station.code}/",
        f"/d/{deputy.code}/",
        "/t/",
        "/accounts/login/",
        "/no-such-page/",  # the 404 page
        f"/s/{station.code}/poster.pdf",
    ]
    for url in pages:
        # when they open the page
        response = client.get(url)
        # then the browser is told to run no inline or foreign script and style
        assert policy(response) == STRICT_POLICY, url
    assert policy(api().get("/api/v1/public/stations")) == STRICT_POLICY


def test_signed_in_pages_and_the_admin_carry_the_strict_policy(users):
    # given a signed-in liaison and the superuser
    for user, url in [(users["liaison"], "/ledger/"), (users["admin"], "/admin/")]:
        # when they open their pages
        response = signed_in(user).get(url)
        # then the same policy applies: the admin needs no exception
        assert response.status_code == 200, url
        assert policy(response) == STRICT_POLICY, url


def test_the_api_docs_load_swagger_from_our_own_origin_under_the_policy(db):
    # when a developer opens the API docs
    response = Client().get("/api/v1/docs")

    # then Swagger UI comes from our static files (no CDN, which the policy would block) ...
    html = response.content.decode()
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, html
    for tag in scripts:
        assert 'src="/static/ninja/' in tag or 'type="application/json"' in tag, tag
    assert "https://" not in html and "cdn" not in html.lower()
    # ... and the files are there
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert Client().get("/static/ninja/swagger-ui-init.js").status_code == 200


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_policy_and_has_no_inline_code(db):
    # when a view fails
    response = Client(raise_request_exception=False).get("/boom/")

    # then the 500 page is ours, under the same policy, with nothing inline for it to block
    assert response.status_code == 500
    assert policy(response) == STRICT_POLICY
    html = response.content.decode()
    assert "服务器出错" in html
    assert inline_code(html) == []


# --- templates: nothing a strict policy would block ---

INLINE = [
    # a <script> without src (a data block, type="application/json", is not run and is fine)
    (
        "inline <script>",
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    ),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style= attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)),
    ("on…= event handler", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)),
    # htmx's hx-on and js: values run code through eval, which the policy refuses
    ("hx-on attribute", re.compile(r"\shx-on(?:[:-]|\s*=)", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
    ("js: in hx-vals", re.compile(r"hx-vals\s*=\s*['\"]\s*js:", re.I)),
]


def inline_code(html: str) -> list[str]:
    return [name for name, pattern in INLINE if pattern.search(html)]


def test_the_template_check_recognizes_what_the_policy_blocks():
    # given snippets that a strict policy would block, and ones it allows
    assert inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert inline_code('<span class="x" style="width: 5%">') == ["style= attribute"]
    assert inline_code('<button\n  onclick="go()">') == ["on…= event handler"]
    assert inline_code('<div hx-on:click="go()">') == ["hx-on attribute"]
    assert inline_code("<style>p{}</style>") == ["<style> element"]
    assert inline_code('<script src="/static/x.js" defer></script>') == []
    assert inline_code('<script type="application/json" id="s">{}</script>') == []
    assert inline_code('<form action="/x" method="post">') == []


def test_no_template_has_inline_script_or_style():
    # given every template of the product
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 50

    # then none has code or style inline: the CSP would block it (and the page would break)
    found = {
        str(f.relative_to(TEMPLATES)): hits
        for f in files
        if (hits := inline_code(f.read_text(encoding="utf-8")))
    }
    assert found == {}, "move it to a file under static/lianluo/ or a class in base.css"


# --- Cache-Control: no-store ---


def test_every_page_for_a_signed_in_user_is_not_stored(users, demo):
    # given a signed-in liaison
    client = signed_in(users["liaison"])

    # when they open their ledger, and even a public station page
    for url in ["/ledger/", f"/s/{demo['cg_hub'].code}/", "/no-such-page/"]:
        response = client.get(url)
        # then no cache (shared computer, proxy, back button after sign-out) may keep it
        assert "no-store" in cache_control(response), url
        assert "private" in cache_control(response), url


def test_api_answers_to_a_bearer_token_are_not_stored(api, make_case):
    # given a case and a staff member's token
    make_case()
    client = api("staff")

    # when the app lists cases, and when it asks for something missing
    listing = client.get("/api/v1/cases")
    missing = client.get("/api/v1/cases/NO-SUCH")

    # then neither answer may be cached
    assert listing.status_code == 200
    assert "no-store" in cache_control(listing)
    assert "no-store" in cache_control(missing)


def test_a_citizens_own_case_is_not_stored_though_public(api, make_case):
    # given a citizen's case: the tracking code is the secret that opens it
    case = make_case()
    code = case.tracking_code

    # when it is read through the tracking page and the public API
    page = Client().get(f"/t/{code}/")
    lookup = Client().get(f"/t/?code={code}")
    answer = api().get(f"/api/v1/public/cases/{code}")
    # and when a new message is submitted (the answer carries its tracking code)
    submitted = api().post("/api/v1/public/cases", {"station": "cg-hub", "text": "路灯坏了"})

    # then none of these answers may be kept by a cache
    assert page.status_code == lookup.status_code == answer.status_code == 200
    assert submitted.status_code == 201
    for response in (page, lookup, answer, submitted):
        assert "no-store" in cache_control(response), response.wsgi_request.path


def test_public_station_and_deputy_pages_stay_cacheable(api, demo):
    # given an anonymous visitor
    client = Client()
    station, deputy = demo["cg_hub"], demo["deputy"]

    # when they open the public pages, the public API and a poster
    answers = [
        client.get(f"/s/{station.code}/"),
        client.get(f"/d/{deputy.code}/"),
        client.get("/"),
        api().get(f"/api/v1/public/stations/{station.code}"),
        client.get(f"/s/{station.code}/poster.pdf"),
    ]

    # then nothing forbids caching them (they are the same for everyone)
    for response in answers:
        assert response.status_code == 200, response.wsgi_request.path
        assert "no-store" not in cache_control(response), response.wsgi_request.path
