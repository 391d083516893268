"""The three levels 站—室—家: which kind of station may sit under which, in one rule.

    hub (联络总站)        under nothing, or under a hub (a township's hub under the county's)
    station, sector,     under nothing or under a hub
    industry (联络站)
    studio (代表工作室)   under a station, sector or industry station
    home (代表之家)       under a studio
    contact (联系点)      under a hub, a station (of any of the three kinds) or a studio

A contact point may hang directly under a hub because that is how townships set up their
village contact points (and how the roster template and the stations already saved have them);
it never has stations under it, and neither does a home. The same rule answers the admin's form,
the onboarding import (which reports the row and line) and `station_parent_check` for services.
No database here: callers pass the kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lianluo.core.errors import DomainError
from lianluo.stations.models import StationKind

K = StationKind
_STATION_LEVEL = frozenset({K.STATION, K.SECTOR, K.INDUSTRY})

# kind → the kinds its parent may have (None: no parent at all).
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    K.HUB: frozenset({None, K.HUB}),
    K.STATION: frozenset({None, K.HUB}),
    K.SECTOR: frozenset({None, K.HUB}),
    K.INDUSTRY: frozenset({None, K.HUB}),
    K.STUDIO: _STATION_LEVEL,
    K.HOME: frozenset({K.STUDIO}),
    K.CONTACT: frozenset({K.HUB, K.STUDIO}) | _STATION_LEVEL,
}


class StationCode(StrEnum):
    """Stable codes of the hierarchy's refusals (the message is translated where raised)."""

    PARENT_REQUIRED = "parent_required"  # 422: a studio, home or contact point names no parent
    PARENT_KIND = "parent_kind"  # 422: this kind may not sit under that kind
    CHILD_KIND = "child_kind"  # 422: the new kind no longer fits a station under it


def _label(kind: str | None) -> str:
    return str(StationKind(kind).label) if kind in StationKind.values else str(kind)


def allowed_parents_text(kind: str) -> str:
    """'Hub station, Deputy studio, …' (translated), for the messages."""
    kinds = [k for k in StationKind.values if k in ALLOWED_PARENTS.get(kind, ())]
    return pgettext("list separator", ", ").join(_label(k) for k in kinds) if kinds else "—"


def parent_refusal(*, kind: str, parent_kind: str | None) -> tuple[StationCode, str] | None:
    """Why a station of `kind` may not sit under a parent of `parent_kind` (None: no parent):
    (code, translated message), or None when it may."""
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None or parent_kind in allowed:
        return None
    if parent_kind is None:
        return StationCode.PARENT_REQUIRED, _(
            "A %(kind)s must be placed under a parent station: %(allowed)s."
        ) % {"kind": _label(kind), "allowed": allowed_parents_text(kind)}
    return StationCode.PARENT_KIND, _(
        "A %(kind)s cannot be placed under a %(parent)s; it belongs under: %(allowed)s."
    ) % {"kind": _label(kind), "parent": _label(parent_kind), "allowed": allowed_parents_text(kind)}


def children_refusal(*, kind: str, child_kinds: Iterable[str]) -> tuple[StationCode, str] | None:
    """Why a station may not become `kind` with stations of `child_kinds` under it, or None."""
    for child in sorted(set(child_kinds)):
        if kind not in ALLOWED_PARENTS.get(child, frozenset({kind})):
            return StationCode.CHILD_KIND, _(
                "A %(kind)s cannot have a %(child)s under it: move the %(child)s first."
            ) % {"kind": _label(kind), "child": _label(child)}
    return None


def station_parent_check(
    *, kind: str, parent_kind: str | None, child_kinds: Iterable[str] = ()
) -> None:
    """Raise DomainError (on the `parent` field, or `kind` for the children) when the rule
    refuses the station's place."""
    refused = parent_refusal(kind=kind, parent_kind=parent_kind)
    if refused is not None:
        raise DomainError(refused[0], refused[1], field="parent")
    refused = children_refusal(kind=kind, child_kinds=child_kinds)
    if refused is not None:
        raise DomainError(refused[0], refused[1], field="kind")
