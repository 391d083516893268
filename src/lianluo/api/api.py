"""JSON API v1 (django-ninja): the contract for the deputies' app and the mini-program.

OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs.

This module only assembles: the API object, its error handlers (api.common) and one router per
audience or app. Routers import api.common, never this module. The order of the routers is the
order of the paths in openapi.json.
"""

from __future__ import annotations

from ninja import NinjaAPI

from lianluo.api import (
    activities,
    auth,
    board,
    cases,
    duty,
    onboarding,
    portal,
    public,
    receptions,
    stations,
    stats,
    suggestions,
    votes,
)
from lianluo.api.common import EdgeParser, install_error_handlers

api = NinjaAPI(
    title="Lianluo API",
    version="1",
    description="People's-congress deputy liaison platform (联络). Every error, including 404, "
    "405, 415 and 500, is `{code, message}` JSON with the message in the request's language "
    "(Accept-Language; Simplified Chinese by default). A request body is JSON "
    "(`Content-Type: application/json`); only `POST /duty/records`, with a bearer token, takes "
    "multipart/form-data.",
    urls_namespace="api",
    parser=EdgeParser(),
)
install_error_handlers(api)

api.add_router("", public.router)  # stations, deputies, QR codes; the citizen's case
api.add_router("", auth.router)  # token, me, notifications
api.add_router("", cases.router)  # staff: the ledger
api.add_router("", stations.router)
api.add_router("", receptions.router)  # officers, staff: reception records
api.add_router("", activities.router)
api.add_router("", onboarding.router)
api.add_router("", portal.router)
api.add_router("", duty.router)
api.add_router("", board.router)
api.add_router("", suggestions.router)  # deputies, staff, departments: suggestions
api.add_router("", votes.router)  # deputies: secret ballots; the public: published results
api.add_router(
    "", stats.router
)  # figures: the big screen, other systems, a station's public figures
