"""The stations citizens write to, as intake reads them — the station with its area and congress,
and its liaison officers — kept per process, so that a submission reads none of it.

An entry remembers the value of the "intake" `Generation` it was read at; the database raises
that number on any write to stations, role assignments, areas, congresses or a user's
`is_active` (triggers: cases migration 0010). A submission reads the number in its own
transaction, in the statement that claims its ledger number (`ledger_number_claim`); when it
differs, the submission is rolled back and `StaleAddressee` raised, and `case_intake` forgets
every entry and submits again with the station read afresh and not kept, so the second try
cannot be stale (a station closed meanwhile answers 404). So a change made by any process is
seen by the next submission of every process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lianluo.cases.selectors import role_users
from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Role, User
from lianluo.core.services import generation_ensure
from lianluo.stations.models import Station

GENERATION = "intake"
# A county has a few hundred stations; past this many codes (a scan of made-up codes cannot
# grow it: only existing stations are kept) the whole map starts over.
MAX_ENTRIES = 5000


class StaleAddressee(Exception):
    """The station a submission was about to be recorded for changed since it was cached."""


@dataclass(frozen=True)
class Addressee:
    station: Station  # with its area and its congress (and the congress's area)
    officers: tuple[User, ...]  # the active liaison officers of the station
    generation: int


_entries: dict[str, Addressee] = {}
_lock = threading.Lock()


def intake_station_get(*, code: str, keep: bool = True) -> Station:
    """The active station a message is addressed to by code (NotFound otherwise): from this
    process's map when it holds it, else read (three queries) and kept — unless `keep` is
    False (read from the database and not kept: a submission that found its entry stale)."""
    entry = _entries.get(code) if keep else None
    if entry is not None:
        return entry.station
    # Read first, when the station is to be kept: a change after it is caught.
    generation = generation_ensure(GENERATION) if keep else 0
    station = (
        Station.objects.filter(code=code, active=True)
        .select_related("area", "congress__area")
        .first()
    )
    if station is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))
    if keep:
        officers = tuple(role_users(Role.LIAISON, station=station))
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[code] = Addressee(station, officers, generation)
    return station


def addressee_of(station: Station | None) -> Addressee | None:
    """The entry whose station this very object is (None for a station read elsewhere)."""
    if station is None:
        return None
    entry = _entries.get(station.code)
    return entry if entry is not None and entry.station is station else None


def addressees_forget() -> None:
    """Drop every entry (a submission found the generation moved; tests between tests)."""
    with _lock:
        _entries.clear()
