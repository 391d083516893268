"""Response headers that keep personal data out of caches.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY); this
module decides which answers no cache may keep: `Cache-Control: no-store` (Django's
`add_never_cache_headers`: no-cache, no-store, must-revalidate, private) on

- every response to a signed-in user (a session with a user in it): every staff page shows
  personal data, and a shared computer's back button or disk cache must not show it to the next
  person;
- every answer to a request that carries an `Authorization` header (the API's bearer tokens):
  what it returns is that user's scope;
- public answers that carry a citizen's own case: the tracking pages (/t/…) and the public case
  API (/api/v1/public/cases…), because the tracking code in the address is a secret.

Public station and deputy pages, posters, QR codes, calendars and static files keep whatever
caching they have: they are the same for everyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

# Public addresses whose answers carry a citizen's case (the tracking code is the secret).
CITIZEN_CASE_PREFIXES = ("/t/", "/api/v1/public/cases")


def _signed_in(request: HttpRequest) -> bool:
    # Look at the session only when the browser sent one: an anonymous visitor's request then
    # never touches the session, so public pages gain no `Vary: Cookie` from here.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


def needs_no_store(request: HttpRequest) -> bool:
    """Whether the answer to this request is personal and no cache may keep it."""
    return (
        "HTTP_AUTHORIZATION" in request.META
        or request.path_info.startswith(CITIZEN_CASE_PREFIXES)
        or _signed_in(request)
    )


class NoStoreMiddleware:
    """Add `Cache-Control: no-store` to personal answers (see the module docstring).

    Sits below WhiteNoise (static files stay cacheable) and below SessionMiddleware (so the
    session is there to read, also for answers that a middleware further in made itself)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # A view that already forbids storing (the photo views: "private, no-store") knows best.
        if needs_no_store(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
