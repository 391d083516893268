"""The public pages of a closed vote: the result with the rule applied, the list of receipts
(with a box to check one), and the anonymous ballots in their stored order with the recount."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianluo.core.throttle import rate_allowed
from lianluo.voting import services
from lianluo.voting.forms import ReceiptCheckForm
from lianluo.voting.models import Base, Choice, Method, Vote
from lianluo.voting.selectors import (
    ballots_of,
    options_of,
    receipt_counted,
    receipts_of,
    results_of,
    vote_published,
)
from lianluo.voting.tally import Tally


def rule_of(vote: Vote, tally: Tally) -> str:
    """The counting rule applied, in words, with this vote's numbers."""
    if vote.method == Method.PICK:
        return _("The option with the most votes ranks first.")
    whom = (
        _("the %(n)d deputies present") if vote.base == Base.PRESENT else _("all %(n)d deputies")
    ) % {"n": tally.base}
    if vote.method == Method.RATE:
        return _(
            "Satisfied when the “satisfied” marks reach %(pct)d%% of %(whom)s; basically "
            "satisfied when “satisfied” and “basically satisfied” together reach it; otherwise "
            "dissatisfied."
        ) % {"pct": vote.threshold_pct, "whom": whom}
    need = tally.base * vote.threshold_pct // 100 + 1
    text = _(
        "An item passes with more than %(pct)d%% of %(whom)s voting for it: at least %(need)d "
        "votes for."
    ) % {"pct": vote.threshold_pct, "whom": whom, "need": need}
    if vote.quota:
        text += " " + ngettext(
            "At most %(quota)d item is approved: when more pass, those with the most votes for "
            "are approved, and a tie at the boundary goes to a run-off.",
            "At most %(quota)d items are approved: when more pass, those with the most votes "
            "for are approved, and a tie at the boundary goes to a run-off.",
            vote.quota,
        ) % {"quota": vote.quota}
    return text


def result(request: HttpRequest, pk: int) -> HttpResponse:
    vote = vote_published(pk)
    tally = services.count(vote)
    rows = results_of(vote)
    context: dict[str, Any] = {
        "vote": vote,
        "rows": sorted(rows, key=lambda r: (r.rank or 0, r.option.position)),
        "choices": [(c, Choice(c).label) for c in vote.choices],
        "tally": tally,
        "rule": rule_of(vote, tally),
        "runoff": vote.runoffs.order_by("pk").first(),
        "previous": vote.runoff_of,
        "tied": [r for r in rows if r.tied],
        "receipt_count": len(receipts_of(vote)),
    }
    return render(request, "voting/result.html", context)


def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    vote = vote_published(pk)
    form = ReceiptCheckForm(request.GET or None)
    found: bool | None = None
    status = 200
    if form.is_bound and not rate_allowed(request, "receipt-check", settings.LIANLUO_INTAKE_RATE):
        # A check is a guess as much as a look-up: its own counter per client.
        form.is_valid()
        form.add_error("code", _("Too many attempts from this device. Please wait a minute."))
        status = 429
    elif form.is_valid():
        found = receipt_counted(vote, form.cleaned_data["code"])
    return render(
        request,
        "voting/receipts.html",
        {"vote": vote, "codes": receipts_of(vote), "form": form, "found": found},
        status=status,
    )


def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    vote = vote_published(pk)
    options = options_of(vote)
    labels = dict(Choice.choices)
    rows = [
        (
            i,
            b,
            [labels.get(b.marks.get(str(o.pk), ""), "—") for o in options],
        )
        for i, b in enumerate(ballots_of(vote), start=1)
    ]
    recount = services.count(vote).by_option()
    published = {r.option_id: r.counts for r in results_of(vote)}
    matches = all(published.get(pk) == row.counts for pk, row in recount.items()) and len(
        published
    ) == len(recount)
    context = {
        "vote": vote,
        "options": options,
        "rows": rows,
        "matches": matches,
        "receipt_count": len(receipts_of(vote)),
    }
    return render(request, "voting/ballots.html", context)
