"""The voting pages (generic over any vote of the core), mounted at the site root under /votes/."""

from __future__ import annotations

from django.urls import URLPattern, path

from lianluo.voting.views import deputy, public, staff

app_name = "voting"

urlpatterns: list[URLPattern] = [
    path("votes/", deputy.mine, name="mine"),
    path("votes/<int:pk>/", deputy.ballot, name="ballot"),
    path("votes/<int:pk>/kiosk/", deputy.kiosk, name="kiosk"),
    path("votes/<int:pk>/receipt/", deputy.receipt, name="receipt"),
    path("votes/<int:pk>/run/", staff.run, name="run"),
    path("votes/<int:pk>/slips/", staff.slips, name="slips"),
    path("votes/<int:pk>/paper/", staff.paper, name="paper"),
    path("votes/<int:pk>/result/", public.result, name="result"),
    path("votes/<int:pk>/receipts/", public.receipts, name="receipts"),
    path("votes/<int:pk>/ballots/", public.ballots, name="ballots"),
]
