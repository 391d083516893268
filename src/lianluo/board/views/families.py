"""Family pages (联系家庭 · 结对帮扶): the families one handles with the year's figures, a new
family, a family with its pairings and support records, revealing its phone."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board.errors import BoardCode
from lianluo.board.families import (
    can_manage_families,
    deputy_by_code,
    families_for,
    family_areas,
    family_create,
    family_get,
    family_pair,
    family_phone_reveal,
    figures_for,
    masked_phone,
    support_of,
    support_record_add,
)
from lianluo.board.forms import FamilyForm, PairForm, SupportForm
from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.duty.models import Family


@login_required
def families(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = list(families_for(viewer=request.user))
    areas = family_areas(viewer=request.user)
    if not rows and not areas:
        raise Http404
    return render(
        request,
        "duty/board/families.html",
        {
            "families": rows,
            "can_create": bool(areas),
            "figures": figures_for(
                viewer=request.user, start=today.replace(month=1, day=1), end=today
            ),
            "year": today.year,
        },
    )


@login_required
def family_new(request: AuthedRequest) -> HttpResponse:
    areas = family_areas(viewer=request.user)
    if not areas:
        raise Http404
    form = FamilyForm(request.POST or None, areas=areas)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            area = next(a for a in areas if str(a.pk) == data["area"])
            try:
                family = family_create(
                    actor=request.user,
                    area=area,
                    label=data["label"],
                    members=data["members"],
                    situation=data["situation"],
                    contact_phone=data["contact_phone"],
                    plan=data["plan"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The family is registered."))
                return redirect("board:family", pk=family.pk)
        status = 400
    return render(request, "duty/board/family_form.html", {"form": form}, status=status)


def _family_page(
    request: AuthedRequest,
    pk: int,
    *,
    pair_form: Form | None = None,
    support_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    family = family_get(viewer=request.user, pk=pk)
    manages = can_manage_families(request.user, family.area)
    paired = [p.deputy for p in family.pairings.all()]
    own = set(scope_for(request.user).deputy_ids)
    recordable = paired if manages else [d for d in paired if d.pk in own]
    return render(
        request,
        "duty/board/family.html",
        {
            "family": family,
            "manages": manages,
            "paired": paired,
            "phone": masked_phone(family),
            "records": support_of(family=family),
            "pair_form": pair_form or PairForm(),
            "support_form": support_form or SupportForm(deputies=recordable),
            "can_record": bool(recordable),
        },
        status=status,
    )


@login_required
def family(request: AuthedRequest, pk: int) -> HttpResponse:
    return _family_page(request, pk)


def _family_post(
    request: AuthedRequest,
    fam: Family,
    *,
    form: Form,
    form_name: str,
    write: Callable[[Family, dict], None],
    done: str,
) -> HttpResponse:
    """A form posted on a family's page: the write, then back to the page with `done`; a
    refusal is shown at its field on the page again (400), a family not in reach is a 404."""
    if form.is_valid():
        try:
            write(fam, form.cleaned_data)
        except NotFound:
            raise  # the 404 page, through the middleware
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("board:family", pk=fam.pk)
    return _family_page(request, fam.pk, status=400, **{form_name: form})


@login_required
@require_POST
def family_pair_view(request: AuthedRequest, pk: int) -> HttpResponse:
    def pair(family: Family, data: dict) -> None:
        deputy = deputy_by_code(data["deputy"])
        if deputy is None:
            raise DomainError(
                BoardCode.INVALID_VALUE, _("No deputy has this code."), field="deputy"
            )
        family_pair(actor=request.user, family=family, deputy=deputy)

    return _family_post(
        request,
        family_get(viewer=request.user, pk=pk),
        form=PairForm(request.POST),
        form_name="pair_form",
        write=pair,
        done=_("The deputy is paired with the family."),
    )


@login_required
@require_POST
def family_support_view(request: AuthedRequest, pk: int) -> HttpResponse:
    fam = family_get(viewer=request.user, pk=pk)
    deputies = [p.deputy for p in fam.pairings.all()]

    def record(family: Family, data: dict) -> None:
        support_record_add(
            actor=request.user,
            family=family,
            deputy=next(d for d in deputies if d.code == data["deputy"]),
            on=data["date"],
            kind=data["kind"],
            value_yuan=data["value_yuan"],
            note=data["note"],
        )

    return _family_post(
        request,
        fam,
        form=SupportForm(request.POST, deputies=deputies),
        form_name="support_form",
        write=record,
        done=_("The support is recorded."),
    )


@login_required
@require_POST
def family_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    fam = family_get(viewer=request.user, pk=pk)
    phone = family_phone_reveal(actor=request.user, family=fam)
    return HttpResponse(
        format_html('<a href="tel:{0}" data-testid="phone-full">{0}</a>', phone),
        content_type="text/html",
    )
