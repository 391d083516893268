"""Request types for annotations: what the authentication middleware and the API's bearer auth
add to a request, so views and endpoints type-check without casts."""

from __future__ import annotations

from django.http import HttpRequest

from lianluo.core.models import User


class AuthedRequest(HttpRequest):
    """A page request behind `login_required`: `user` is a signed-in `User`."""

    user: User  # type: ignore[assignment]


class ApiRequest(HttpRequest):
    """An API request behind bearer auth: `auth` (and `user`) is the token's `User`."""

    user: User  # type: ignore[assignment]
    auth: User
