"""Fixtures of the activity tests: the demo's hub station and activities made through the
services (tests/factories/activities.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from lianluo.activities.models import Activity, ActivityPhoto
from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.stations.models import Station
from tests.factories.activities import activity_make


@pytest.fixture
def cg(demo) -> Station:
    return Station.objects.select_related("area", "congress").get(code="cg-hub")


@pytest.fixture
def make_activity(demo, users) -> Callable[..., Activity]:
    """make_activity(station=…, actor=…, capacity=…, starts_in=…, publish=…, title=…): the
    station as a Station or its code (the hub by default), the actor as a User or a key of
    `users` (the hub's liaison officer by default)."""

    def make(*, station: Station | str = "cg-hub", actor: User | str = "liaison", **kw: Any):
        if isinstance(station, str):
            station = Station.objects.select_related("area", "congress").get(code=station)
        if isinstance(actor, str):
            actor = users[actor]
        return activity_make(actor=actor, station=station, **kw)

    return make


@pytest.fixture
def photo_storage(tmp_path, monkeypatch):
    field = ActivityPhoto._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def refused(code: str, call: Callable[[], Any]) -> DomainError:
    """The refusal `call` raises, checked to carry `code` and a message."""
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code, (info.value.code, str(info.value.message))
    assert str(info.value.message)
    return info.value
