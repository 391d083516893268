"""The pages where people act on suggestions: "My work" (a deputy's items, a department's queue,
what waits for congress staff), one item with its record and one small form per action the
user may take now, and the reply letters. Every step goes through `suggestion_transition`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.forms import ACTION_FORMS, ActionForm
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.permissions import actions_for, roles_on
from lianluo.suggestions.selectors import (
    department_queue,
    suggestion_for,
    suggestion_ledger,
    suggestion_record,
)
from lianluo.suggestions.selectors import ref as ref_of
from lianluo.suggestions.services import suggestion_transition
from lianluo.suggestions.states import HANDLING, OPEN, Action, SuggestionStatus
from lianluo.suggestions.views._common import (
    action_label,
    days_overdue,
    deadline_state,
    linked_for,
)

S = SuggestionStatus
LIST_SIZE = 30


def _rows(items: QuerySet[Suggestion] | list[Suggestion], today: date) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "ref": ref_of(item),
            "state": deadline_state(item, today),
            "days": days_overdue(item, today),
        }
        for item in list(items)[:LIST_SIZE]
    ]


@login_required
def work(request: AuthedRequest) -> HttpResponse:
    """My work: what waits for this user, overdue first and in red."""
    user, today = request.user, timezone.localdate()
    scope = scope_for(user)
    context: dict[str, Any] = {"today": today, "sections": []}
    if scope.department_ids:
        queue = department_queue(user, today=today)
        context["queue"] = [
            {
                "assignment": a,
                "item": a.suggestion,
                "ref": ref_of(a.suggestion),
                "state": deadline_state(a.suggestion, today),
                "days": days_overdue(a.suggestion, today),
            }
            for a in queue
        ]
        context["queue_overdue"] = sum(1 for row in context["queue"] if row["days"])
    if scope.everything or scope.staff_paths or scope.leader_paths:
        overdue = suggestion_ledger(user, overdue=True, today=today)
        context["overdue"] = _rows(overdue, today)
        context["overdue_count"] = overdue.count()
    if scope.everything or scope.staff_paths:
        ledger = suggestion_ledger(user, today=today)
        context["sections"] += [
            (
                "register",
                _("Waiting for registration"),
                _rows(ledger.filter(status=S.FILED), today),
            ),
            (
                "changes",
                _("Departments asking to change the assignment"),
                _rows(
                    ledger.filter(
                        status__in=HANDLING,
                        assignments__active=True,
                        assignments__change_requested_at__isnull=False,
                    ),
                    today,
                ),
            ),
            (
                "rating_over",
                _("Replies past the rating time"),
                _rows(ledger.filter(status=S.REPLIED, rate_due__lt=today), today),
            ),
        ]
        context["staff"] = True
    if scope.deputy_ids:
        ids = scope.deputy_ids
        mine = suggestion_ledger(user, today=today).filter(
            Q(deputy_id__in=ids) | Q(signers__deputy_id__in=ids)
        )
        own = mine.filter(deputy_id__in=ids)
        context["sections"] = [
            ("rate", _("Rate the reply now"), _rows(own.filter(status=S.REPLIED), today)),
            (
                "cosign",
                _("Asked to co-sign"),
                _rows(
                    mine.filter(
                        status__in=[S.DRAFT, S.FILED],
                        signers__deputy_id__in=ids,
                        signers__confirmed_at=None,
                        signers__refused_at=None,
                    ),
                    today,
                ),
            ),
            ("drafts", _("Drafts"), _rows(own.filter(status=S.DRAFT), today)),
            (
                "open",
                _("Filed and in progress"),
                _rows(mine.filter(status__in=OPEN).exclude(status=S.REPLIED), today),
            ),
            ("ended", _("Ended"), _rows(mine.exclude(status__in=OPEN | {S.DRAFT}), today)),
        ] + context["sections"]
        context["deputy"] = True
    return render(request, "suggestions/work.html", context)


def _rounds(item: Suggestion, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record per handling round: contacts, co-departments' opinions, replies, the rating."""
    rounds = []
    for n in range(1, item.round + 1):
        rounds.append(
            {
                "n": n,
                "contacts": [
                    (a, c) for a in record["assignments"] for c in a.contacts.all() if c.round == n
                ],
                "opinions": [r for r in record["replies"] if r.round == n and r.opinion],
                "replies": [r for r in record["replies"] if r.round == n and not r.opinion],
                "ratings": [f for f in record["ratings"] if f.round == n],
            }
        )
    return rounds


def _page(
    request: AuthedRequest, item: Suggestion, *, form: ActionForm | None = None, error: str = ""
) -> dict[str, Any]:
    user, today = request.user, timezone.localdate()
    record = suggestion_record(item)
    forms_by_action: dict[str, ActionForm] = {
        a: ACTION_FORMS.get(a, ActionForm)(prefix=a, item=item) for a in actions_for(user, item)
    }
    if form is not None and form.prefix in forms_by_action:
        forms_by_action[form.prefix] = form
    return {
        "item": item,
        "ref": ref_of(item),
        "state": deadline_state(item, today),
        "days": days_overdue(item, today),
        "record": record,
        "rounds": _rounds(item, record),
        "events": [(e, action_label(e.action)) for e in record["events"]],
        "linked": linked_for(user, item),
        "roles": roles_on(user, item),
        "action_forms": [(a, action_label(a), f) for a, f in forms_by_action.items()],
        "error": error,
    }


@login_required
def suggestion_page(request: AuthedRequest, ref: str) -> HttpResponse:
    item = suggestion_for(request.user, ref)
    return render(request, "suggestions/item.html", _page(request, item))


@login_required
@require_POST
def suggestion_do(request: AuthedRequest, ref: str, action: str) -> HttpResponse:
    """One action on the item; a refusal is shown at its field with the form as it was filled."""
    item = suggestion_for(request.user, ref)
    if action not in Action.values:
        raise NotFound(SuggestionCode.NOT_FOUND, _("No such action."))
    form_class = ACTION_FORMS.get(action, ActionForm)
    form = form_class(request.POST, request.FILES, prefix=action, item=item)
    error = _("Please correct the fields marked below.")
    if form.is_valid():
        try:
            done = suggestion_transition(
                actor=request.user, suggestion=item, action=action, **form.service_fields()
            )
        except NotFound:
            raise
        except DomainError as exc:
            form_error(form, exc)
            error = str(exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": action_label(action)})
            return redirect("suggestions:item", ref=ref_of(done))  # filing gives a draft its number
    item = suggestion_for(request.user, ref)
    return render(
        request, "suggestions/item.html", _page(request, item, form=form, error=error), status=400
    )


@login_required
def reply_letter(request: AuthedRequest, ref: str, reply_id: str) -> FileResponse:
    """A reply letter, to whoever may see the item."""
    item = suggestion_for(request.user, ref)
    reply = item.replies.filter(pk=reply_id).exclude(letter="").first()
    if reply is None:
        raise NotFound(SuggestionCode.NOT_FOUND, _("No such letter."))
    response = FileResponse(
        reply.letter.open("rb"), content_type="application/pdf", filename=f"{ref}-{reply.pk}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
