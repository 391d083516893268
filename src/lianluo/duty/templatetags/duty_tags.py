"""The ledger's template filters: `{{ item|item_label }}`, an item's name in the reader's
language, as `duty/_item_name.html` writes it, without an include per line."""

from __future__ import annotations

from django import template

from lianluo.duty.catalog import item_label as _item_label

register = template.Library()


@register.filter
def item_label(item: object) -> str:
    return _item_label(item)
