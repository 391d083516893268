"""Writing a suggestion before and while it is filed: a draft (from a citizen's case or an
activity), a new item filed by its deputy (with co-signers), and edits of a draft."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, Forbidden
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import Deputy, Mandate
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Signer, Suggestion
from lianluo.suggestions.services.transitions import suggestion_transition
from lianluo.suggestions.states import Action, Category, Kind, Period


@transaction.atomic
def suggestion_create(
    *, actor: User, congress: Congress, deputy: Deputy | None, title: str, text: str
) -> Suggestion:
    """Create a draft (from a converted case or an activity); its deputy completes and files it."""
    return Suggestion.objects.create(
        congress=congress, deputy=deputy, title=title[:200], text=text, created_by=actor
    )


def congresses_of(deputy: Deputy) -> list[Congress]:
    """The congresses the deputy holds an active seat in (a suggestion goes to one of them)."""
    rows = Mandate.objects.filter(deputy=deputy, active=True).select_related("congress__area")
    return sorted({m.congress for m in rows}, key=lambda c: c.area.path)


def _check(
    *,
    actor: User,
    congress: Congress,
    deputy: Deputy,
    co_signers: list[Deputy],
    kind: str,
    category: str,
    period: str,
) -> None:
    scope = scope_for(actor)
    if deputy.pk not in scope.deputy_ids and not scope.covers_path(congress.area.path, acting=True):
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("You may file only your own suggestions."))
    if congress not in congresses_of(deputy):
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("%(name)s is not a deputy of %(congress)s.")
            % {"name": deputy.name, "congress": congress.name},
            field="congress",
        )
    for other in co_signers:
        if other.pk == deputy.pk or congress not in congresses_of(other):
            raise DomainError(
                SuggestionCode.INVALID_VALUE,
                _("%(name)s cannot co-sign: not another deputy of this congress.")
                % {"name": other.name},
                field="co_signers",
            )
    for value, choices, name in (
        (kind, Kind, "kind"),
        (period, Period, "period"),
        (category or Category.OTHER, Category, "category"),
    ):
        if value not in choices.values:
            raise DomainError(SuggestionCode.INVALID_VALUE, _("Choose from the list."), field=name)


@transaction.atomic
def suggestion_new(
    *,
    actor: User,
    congress: Congress,
    deputy: Deputy,
    title: str,
    text: str,
    kind: str = Kind.SUGGESTION,
    category: str = "",
    period: str = Period.RECESS,
    co_signers: list[Deputy] | None = None,
    from_motion: bool = False,
    private: bool = False,
    file: bool = True,
) -> Suggestion:
    """A deputy (or staff for a deputy, e.g. a paper filed at the session) writes an item; with
    `file` it is filed at once and numbered. Co-signers are asked to confirm online."""
    co_signers = list(dict.fromkeys(co_signers or []))
    _check(
        actor=actor,
        congress=congress,
        deputy=deputy,
        co_signers=co_signers,
        kind=kind,
        category=category,
        period=period,
    )
    if not title.strip() or not text.strip():
        raise DomainError(
            SuggestionCode.MISSING_FIELD,
            _("A suggestion needs a title and a text."),
            field="title" if not title.strip() else "text",
        )
    item = Suggestion.objects.create(
        congress=congress,
        deputy=deputy,
        kind=kind,
        period=period,
        from_motion=from_motion,
        title=title.strip()[:200],
        text=text.strip(),
        category=category,
        private=private,
        created_by=actor,
    )
    Signer.objects.bulk_create([Signer(suggestion=item, deputy=d) for d in co_signers])
    if file:
        item = suggestion_transition(actor=actor, suggestion=item, action=Action.FILE)
    return item
