"""The ledger's template filters, for pages that list many entries: `{{ item|item_label }}`,
an item's name in the reader's language, as `duty/_item_name.html` writes it, without an
include per line; `{{ entry|source_label }}` and `{{ entry|status_label }}`, what
`get_source_display` and `get_status_display` give, without rebuilding the choices per call."""

from __future__ import annotations

from django import template

from lianluo.duty.catalog import item_label as _item_label
from lianluo.duty.models import EntrySource, EntryStatus, PointEntry

register = template.Library()


@register.filter
def item_label(item: object) -> str:
    return _item_label(item)


_SOURCES = {s.value: s.label for s in EntrySource}
_STATUSES = {s.value: s.label for s in EntryStatus}


@register.filter
def source_label(entry: PointEntry) -> str:
    return str(_SOURCES.get(entry.source, entry.source))


@register.filter
def status_label(entry: PointEntry) -> str:
    return str(_STATUSES.get(entry.status, entry.status))
