"""Where personal files live: private storage, outside the static root, served only by views
that check scope (citizens' photos, evidence, uploaded rosters)."""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The "private" storage from settings.STORAGES (a callable, so tests can swap it)."""
    return storages["private"]
