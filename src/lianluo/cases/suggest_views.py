"""The page where a deputy writes a suggestion (or idea, or research report), from scratch or
from citizens' cases they handle: it lives in cases because filing converts the cases
(cases.services.suggest). Also tells the suggestion pages which cases an item carries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianluo.cases import selectors
from lianluo.cases.models import Case
from lianluo.cases.permissions import actions_for
from lianluo.cases.services.suggest import congress_for_cases, suggestion_file_from_cases
from lianluo.cases.states import HANDLING, Action
from lianluo.core.errors import DomainError, Forbidden, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.models import User
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.forms import FileForm
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.selectors import ref
from lianluo.suggestions.services import congresses_of
from lianluo.suggestions.views._common import linked_records

CASES_LISTED = 50
# The form's fields that `suggestion_new` takes as they are.
AS_WRITTEN = ("title", "text", "kind", "category", "period", "private")


def _convertible(user: User, deputy: Deputy) -> list[Case]:
    """The deputy's open cases that they may convert (they handle them)."""
    rows = selectors.case_list(viewer=user).filter(responsible_deputy=deputy, status__in=HANDLING)[
        :CASES_LISTED
    ]
    return [c for c in rows if Action.CONVERT in actions_for(user, c)]


@login_required
def suggestion_new(request: AuthedRequest) -> HttpResponse:
    """File (or save as a draft) a suggestion; `?cases=NUMBER,NUMBER` ticks those cases."""
    user = request.user
    deputy = deputy_for_user(user)
    if deputy is None:
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("Only deputies file suggestions here."))
    congresses = congresses_of(deputy)
    if not congresses:
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("You hold no seat in a congress now."))
    cases = {c.number: c for c in _convertible(user, deputy)}
    seats = [c.pk for c in congresses]
    co_signers = (
        Deputy.objects.filter(mandates__congress__in=seats, mandates__active=True)
        .exclude(pk=deputy.pk)
        .distinct()
        .order_by("name")
    )
    wanted = [n for n in request.GET.get("cases", "").split(",") if n in cases]
    form = FileForm(
        request.POST or None,
        congresses=congresses,
        co_signers=co_signers,
        cases=[(n, f"{n} {c.display_title}") for n, c in cases.items()],
        initial={
            "cases": wanted,
            "congress": congress_for_cases(deputy, [cases[n] for n in wanted]).area.code,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = suggestion_file_from_cases(
                actor=user,
                deputy=deputy,
                cases=[cases[n] for n in data.get("cases", [])],
                congress=data["congress"],
                co_signers=list(data["co_signers"]),
                file=request.POST.get("submit") != "draft",
                **{name: data[name] for name in AS_WRITTEN},
            )
        except NotFound:
            raise
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("suggestions:item", ref=ref(item))
    status = 400 if form.is_bound else 200
    return render(request, "suggestions/new.html", {"form": form}, status=status)


def cases_carried(user: User, item: Suggestion) -> list[tuple[str, str]]:
    """The citizens' cases the item carries that the viewer may see, for its page."""
    rows = selectors.case_list(viewer=user).filter(suggestion=item).order_by("number")
    return [(c.number, reverse("cases:detail", args=[c.number])) for c in rows]


linked_records.append(cases_carried)
