"""Running a vote at the session (congress staff and tellers): the register with presence, the
one-time codes for shared devices, paper ballots handed out and entered, open, close, run-off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, flash_outcome, form_error
from lianluo.core.http import AuthedRequest
from lianluo.voting import services
from lianluo.voting.forms import BallotForm, PaperIssueForm
from lianluo.voting.models import Status, Vote
from lianluo.voting.selectors import options_of, vote_get
from lianluo.voting.views._common import PAPER_KEY, figures_of, register_of


def _staff_vote(request: AuthedRequest, pk: int) -> Vote:
    vote = vote_get(pk)
    services.require_staff(request.user, vote)
    return vote


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
def run(request: AuthedRequest, pk: int) -> HttpResponse:
    """The staff page of one vote: presence on the register, codes, open, close, run-off."""
    vote = _staff_vote(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "presence":
            register = [v.deputy_id for v in register_of(vote) if v.deputy_id is not None]
            checked = set(_ids(request.POST.getlist("deputy")))

            def mark() -> None:
                services.presence_mark(actor=request.user, vote=vote, deputy_ids=checked)
                services.presence_mark(
                    actor=request.user,
                    vote=vote,
                    deputy_ids=[d for d in register if d not in checked],
                    present=False,
                )

            flash_outcome(request, mark, done=_("Presence is saved."))
        elif action == "open":
            flash_outcome(
                request,
                lambda: services.vote_open(actor=request.user, vote=vote),
                done=_("The vote is open: deputies can cast their ballots now."),
            )
        elif action == "close":
            flash_outcome(
                request,
                lambda: services.vote_close(actor=request.user, vote=vote),
                done=_("The vote is closed and its result published."),
            )
        elif action == "runoff":
            made: list[Vote] = []
            if flash_outcome(
                request,
                lambda: made.append(services.vote_runoff(actor=request.user, vote=vote)),
                done=_("The run-off is prepared: mark presence and open it."),
            ):
                return redirect("voting:run", pk=made[0].pk)
        return redirect("voting:run", pk=vote.pk)
    context: dict[str, Any] = {
        "vote": vote,
        "register": register_of(vote),
        "figures": figures_of(vote),
        "options": options_of(vote),
        "runoff": vote.runoffs.order_by("pk").first(),
        "needs_runoff": vote.status == Status.CLOSED
        and vote.results.filter(tied=True).exists()
        and not vote.runoffs.exists(),
    }
    return render(request, "voting/run.html", context)


@login_required
def slips(request: AuthedRequest, pk: int) -> HttpResponse:
    """Printable one-time codes, one slip per deputy checked on the run page. Each code is shown
    only in this answer (the register keeps its hash): print the page before leaving it."""
    vote = _staff_vote(request, pk)
    if request.method != "POST":
        return render(request, "voting/slips.html", {"vote": vote, "slips": None})
    ids = _ids(request.POST.getlist("deputy"))
    if not ids:
        messages.error(request, _("Check the deputies who need a ballot code."))
        return redirect("voting:run", pk=vote.pk)
    try:
        codes = services.credentials_issue(
            actor=request.user,
            vote=vote,
            deputy_ids=ids,
            replace=request.POST.get("replace") == "1",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("voting:run", pk=vote.pk)
    if not codes:
        messages.error(
            request,
            _(
                "The checked deputies have a code already (or have voted). To replace a lost "
                "slip, tick “replace their codes” and print again."
            ),
        )
        return redirect("voting:run", pk=vote.pk)
    names = {v.deputy_id: v.deputy for v in register_of(vote) if v.deputy is not None}
    rows = [(names[d], f"{code[:4]}-{code[4:]}") for d, code in sorted(codes.items()) if d in names]
    rows.sort(key=lambda row: row[0].name)
    response = render(request, "voting/slips.html", {"vote": vote, "slips": rows})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def paper(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tellers: hand a deputy a paper ballot (the register marks them as voted), then enter the
    paper ballots one by one as they read, each getting a receipt code to write on it."""
    vote = _staff_vote(request, pk)
    options = options_of(vote)
    waiting = [
        (v.deputy_id, v.deputy.name)
        for v in register_of(vote)
        if not v.voted and v.deputy_id is not None and v.deputy is not None
    ]
    issue_form = PaperIssueForm(prefix="issue", choices=waiting)
    enter_form = BallotForm(prefix="enter", vote=vote, options=options, paper=True)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "issue":
            issue_form = PaperIssueForm(request.POST, prefix="issue", choices=waiting)
            if issue_form.is_valid():
                deputy_id = issue_form.cleaned_data["deputy"]
                try:
                    services.paper_issue(actor=request.user, vote=vote, deputy_id=deputy_id)
                except DomainError as exc:
                    form_error(issue_form, exc)
                else:
                    name = dict(waiting).get(deputy_id, "")
                    messages.success(
                        request, _("A paper ballot is handed to %(name)s.") % {"name": name}
                    )
                    return redirect("voting:paper", pk=vote.pk)
        elif action == "enter":
            enter_form = BallotForm(
                request.POST, prefix="enter", vote=vote, options=options, paper=True
            )
            if enter_form.is_valid():
                try:
                    code, valid = services.paper_ballot_enter(
                        actor=request.user, vote=vote, marks=enter_form.marks()
                    )
                except DomainError as exc:
                    form_error(enter_form, exc)
                else:
                    request.session[PAPER_KEY.format(pk=vote.pk)] = [code, valid]
                    return redirect("voting:paper", pk=vote.pk)
    entered = request.session.pop(PAPER_KEY.format(pk=vote.pk), None)
    context = {
        "vote": vote,
        "figures": figures_of(vote),
        "issue_form": issue_form,
        "enter_form": enter_form,
        "entered": entered,
    }
    return render(request, "voting/paper.html", context)
