"""API v1 endpoints of the activities context (a django-ninja Router mounted in api.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["activities"])
