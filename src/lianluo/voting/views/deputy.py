"""The deputy's pages: my open votes, the ballot on a phone (signed in) or on a shared device at
the session (with a one-time code), and the receipt shown once after casting.

A ballot goes in two steps: fill it, then confirm what it says (or go back and change it).
Nothing of the marks is kept between the steps but the form itself; the receipt code waits in
the session only until it is shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.throttle import rate_allowed
from lianluo.voting import services
from lianluo.voting.forms import BallotForm, CodeForm
from lianluo.voting.models import Status, Vote
from lianluo.voting.selectors import open_votes_for, options_of, standing_of, vote_get
from lianluo.voting.views._common import KIOSK_KEY, RECEIPT_KEY, code_usable


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """The votes waiting for this deputy's ballot."""
    votes = [(v, standing_of(request.user, v)) for v in open_votes_for(request.user)]
    return render(request, "voting/mine.html", {"votes": votes})


def _ballot_steps(
    request: HttpRequest, vote: Vote, *, credential: str = ""
) -> tuple[str, BallotForm, str]:
    """Run the fill → confirm → cast steps of a POST. Returns the step to show ("ballot" or
    "confirm"), the form, and the receipt code once cast."""
    options = options_of(vote)
    step = request.POST.get("step", "")
    form = BallotForm(request.POST, vote=vote, options=options)
    if not form.is_valid():
        return "ballot", form, ""
    if step == "edit":
        return "ballot", form, ""
    if step != "cast":
        return "confirm", form, ""
    user = getattr(request, "user", None)
    try:
        code = services.ballot_cast(
            vote=vote,
            marks=form.marks(),
            user=user if user is not None and user.is_authenticated else None,
            credential=credential,
        )
    except DomainError as exc:
        form_error(form, exc)
        return "ballot", form, ""
    return "done", form, code


def _ballot_context(vote: Vote, step: str, form: BallotForm, **extra: Any) -> dict[str, Any]:
    return {"vote": vote, "step": step, "form": form, **extra}


@login_required
def ballot(request: AuthedRequest, pk: int) -> HttpResponse:
    """A signed-in deputy's ballot on their phone."""
    vote = vote_get(pk)
    standing = standing_of(request.user, vote)
    notice = ""
    if not standing.entitled:
        notice = _("You are not on the register of this vote.")
    elif vote.status == Status.DRAFT:
        notice = _("This vote is not open yet.")
    elif vote.status == Status.CLOSED:
        notice = _("This vote is closed.")
    elif standing.voted:
        notice = _("Your ballot is in. Thank you!")
    elif not standing.present:
        notice = _("Your presence at the session is not registered yet: ask the staff at the door.")
    if notice:
        return render(request, "voting/ballot.html", {"vote": vote, "notice": notice})
    if request.method == "POST":
        step, form, code = _ballot_steps(request, vote)
        if step == "done":
            request.session[RECEIPT_KEY.format(pk=vote.pk)] = code
            return redirect("voting:receipt", pk=vote.pk)
    else:
        step, form = "ballot", BallotForm(vote=vote, options=options_of(vote))
    return render(request, "voting/ballot.html", _ballot_context(vote, step, form))


def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared device at the session: the deputy types the code of their slip, then votes."""
    vote = vote_get(pk)
    if vote.status != Status.OPEN or vote.open_electorate:
        return render(
            request, "voting/kiosk.html", {"vote": vote, "notice": _("This vote is not open.")}
        )
    if request.method != "POST":
        return render(request, "voting/kiosk.html", {"vote": vote, "code_form": CodeForm()})
    code_form = CodeForm(request.POST)
    # Every POST here carries a code, so every one is a try: its own counter per client
    # (LIANLUO_BALLOT_CODE_RATE), counted before the code is looked at.
    if not rate_allowed(request, "ballot-code", settings.LIANLUO_BALLOT_CODE_RATE):
        code_form.is_valid()
        code_form.add_error("code", _("Too many attempts from this device. Please wait a minute."))
        return render(
            request, "voting/kiosk.html", {"vote": vote, "code_form": code_form}, status=429
        )
    if not code_form.is_valid():
        return render(request, "voting/kiosk.html", {"vote": vote, "code_form": code_form})
    code = code_form.cleaned_data["code"]
    if not code_usable(vote, code):
        code_form.add_error(
            "code", _("This ballot code is not valid, or its ballot is in already.")
        )
        return render(request, "voting/kiosk.html", {"vote": vote, "code_form": code_form})
    if request.POST.get("step", "") == "code":
        form = BallotForm(vote=vote, options=options_of(vote))
        step = "ballot"
    else:
        step, form, receipt = _ballot_steps(request, vote, credential=code)
        if step == "done":
            request.session[RECEIPT_KEY.format(pk=vote.pk)] = receipt
            request.session[KIOSK_KEY.format(pk=vote.pk)] = True
            return redirect("voting:receipt", pk=vote.pk)
    return render(
        request, "voting/kiosk.html", _ballot_context(vote, step, form, code=code, kiosk=True)
    )


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt, shown once after casting (a reload shows it no more: on a shared device the
    next deputy must not see it)."""
    vote = vote_get(pk)
    code = request.session.pop(RECEIPT_KEY.format(pk=vote.pk), "")
    kiosk_next = request.session.pop(KIOSK_KEY.format(pk=vote.pk), False)
    response = render(
        request, "voting/receipt.html", {"vote": vote, "code": code, "kiosk": kiosk_next}
    )
    response["Cache-Control"] = "no-store"
    return response
