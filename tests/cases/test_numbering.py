"""Ledger numbers: one gapless sequence per congress and local year, township congresses with the
9-digit prefix and county-level ones with 6; a failed submission gives its number back; many
submissions at once get distinct numbers. Tracking codes: unguessable and unique."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.cases.models import Case
from lianluo.cases.services import case_submit, new_tracking_code
from lianluo.cases.services import intake as services
from lianluo.core.models import LedgerCounter
from lianluo.stations.models import Station

SHANGHAI = ZoneInfo("Asia/Shanghai")
CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def station(code: str) -> Station:
    return Station.objects.select_related("congress__area", "area").get(code=code)


def test_each_congress_numbers_its_own_ledger_from_one(demo):
    # given stations of two townships (two of them in Chengguan) and the county's hub
    with time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=SHANGHAI)):
        # when citizens send messages to them, in turn
        numbers = [
            case_submit(station=station(code), text="路灯坏了")[0].number
            for code in ["cg-hub", "hk-hub", "cg-hub", "cg-sector-1", "qx-hub", "hk-hub"]
        ]

    # then each congress counts on its own, townships with 9 digits, the county with 6
    assert numbers == [
        "430399100-2026-000001",
        "430399101-2026-000001",
        "430399100-2026-000002",
        "430399100-2026-000003",
        "430399-2026-000001",
        "430399101-2026-000002",
    ]


def test_an_escalated_case_is_numbered_in_the_county_ledger(make_case):
    # given a county case already in the county's ledger
    with time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=SHANGHAI)):
        case_submit(station=station("qx-hub"), text="县里的事")

        # when a township case is escalated
        origin = make_case(("accept", {"triage": "major"}), ("escalate", {"reason": "需县级"}))

    # then the linked case takes the county's next number; the township's is unchanged
    assert origin.number == "430399100-2026-000001"
    assert Case.objects.get(escalated_from=origin).number == "430399-2026-000002"


def test_the_ledger_starts_again_each_local_year(demo):
    # given two messages late on New Year's Eve, Shanghai time
    hub = station("cg-hub")
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI)):
        before = [case_submit(station=hub, text="年底")[0] for _ in range(2)]

    # when a message comes five minutes into the new year there (still 2026 in UTC)
    with time_machine.travel(datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI)):
        after, _ = case_submit(station=hub, text="新年")

    # then it opens the new year's ledger
    assert [c.number for c in before] == ["430399100-2026-000001", "430399100-2026-000002"]
    assert after.number == "430399100-2027-000001"
    assert (after.year, after.seq) == (2027, 1)


def test_a_failed_submission_gives_its_number_back(demo, monkeypatch):
    # given one case recorded
    hub = station("cg-hub")
    first, _ = case_submit(station=hub, text="第一件")

    # when the next submission fails after it drew a number (here: writing its notifications)
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        case_submit(station=hub, text="第二件")
    monkeypatch.undo()
    third, _ = case_submit(station=hub, text="第三件")

    # then nothing of it remains, and the next case takes the number it gave back
    assert [first.seq, third.seq] == [1, 2]
    assert Case.objects.count() == 2
    assert LedgerCounter.objects.get(congress=hub.congress).last == 2


def test_a_tracking_code_has_the_published_shape():
    # when codes are drawn
    codes = [new_tracking_code() for _ in range(200)]

    # then each is four groups of four, with no 0/O, 1/I/L to misread
    for code in codes:
        assert CODE.match(code), code
        assert not set(code) & set("01OIL")


def test_tracking_codes_are_unique_and_uniformly_random():
    # when many codes are drawn
    codes = [new_tracking_code() for _ in range(20_000)]

    # then none repeats
    assert len(set(codes)) == len(codes)
    # and every symbol of the alphabet is about equally likely, at every position: nothing
    # about one code tells anything about another
    symbols = Counter(ch for code in codes for ch in code.replace("-", ""))
    alphabet = set(symbols)
    assert len(alphabet) == 31
    expected = 20_000 * 16 / len(alphabet)
    assert all(abs(n - expected) < 0.05 * expected for n in symbols.values()), symbols
    for position in range(19):
        if position % 5 != 4:
            assert {code[position] for code in codes} == alphabet
    # and the space is far too large to guess in: 31^16 > 2^79
    assert len(alphabet) ** 16 > 2**79


def test_cases_get_unique_tracking_codes_unrelated_to_their_numbers(demo):
    # when many cases are recorded
    hub = station("cg-hub")
    cases = [case_submit(station=hub, text=f"第{i}件")[0] for i in range(40)]

    # then each has its own well-formed tracking code, sharing nothing with its number
    codes = [c.tracking_code for c in cases]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(code) for code in codes)
    # consecutive cases' codes differ in most places (not a counter in disguise)
    for a, b in zip(codes, codes[1:], strict=False):
        assert sum(x != y for x, y in zip(a, b, strict=True)) >= 6
