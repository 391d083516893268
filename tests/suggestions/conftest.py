"""The cast of the suggestion tests: the demo county built once per module, its staff, the
`deputy` login as lead deputy, a co-signing deputy with a login, and three departments each
with a handler login."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lianluo.deputies.models import Deputy
from tests.factories import suggestions as f


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def sx(demo, users):
    congress = demo["county_congress"]
    deputy = Deputy.objects.get(user=users["deputy"])
    d0, d1, d2 = demo["departments"][:3]
    fellow = f.fellow_deputies(congress, but=deputy)[0]
    return SimpleNamespace(
        demo=demo,
        congress=congress,
        staff=users["staff"],
        leader=users["leader"],
        deputy=deputy,
        author=users["deputy"],
        fellow=fellow,
        fellow_user=f.deputy_user(fellow),
        d0=d0,
        d1=d1,
        d2=d2,
        h0=users["dept"],
        h1=f.department_user(d1),
        h2=f.department_user(d2),
    )


@pytest.fixture
def filing(sx):
    """The arguments `f.filed` needs for a suggestion of the `deputy` login."""
    return {"actor": sx.author, "deputy": sx.deputy, "congress": sx.congress}
