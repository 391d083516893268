"""Secrecy by schema and by storage: nothing links a deputy to their ballot. No column of a
ballot or a receipt names a voter, a user or a time; after closing, neither the ids nor the
database's own row order (SQLite rowid, PostgreSQL ctid) follows the order of casting; a receipt
is stored apart from its ballot; receipts, ballots and voters who voted are as many."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, models

from lianluo.core.models import AuditLog
from lianluo.voting import selectors as sel
from lianluo.voting import services as vs
from lianluo.voting.models import Ballot, Receipt, Vote, Voter
from tests.voting.core_kit import session_vote

SESSION_DAY = datetime(2027, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo(demo_shared):
    with time_machine.travel(SESSION_DAY, tick=False):
        yield demo_shared


def _physical_order(table: str, column: str, vote: Vote) -> list[Any]:
    """The column's values in the database's own row order (a JSON column parsed)."""
    order = {"sqlite": "rowid", "postgresql": "ctid"}[connection.vendor]
    sql = f"SELECT {column} FROM {table} WHERE vote_id = %s ORDER BY {order}"  # noqa: S608 - our names
    with connection.cursor() as cur:
        cur.execute(sql, [vote.pk])
        return [json.loads(v) if column == "marks" and isinstance(v, str) else v for (v,) in cur]


def _rank_correlation(a: list[str], b: list[str]) -> float:
    """Spearman's rho between two orders of the same distinct items."""
    pos = {item: i for i, item in enumerate(b)}
    n = len(a)
    d2 = sum((i - pos[item]) ** 2 for i, item in enumerate(a))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_no_column_of_a_ballot_or_receipt_names_a_voter_or_a_time(db):
    for model in (Ballot, Receipt):
        for f in model._meta.concrete_fields:
            assert not isinstance(f, models.DateField | models.DateTimeField | models.TimeField), f
            assert not isinstance(f, models.AutoField | models.BigAutoField), f  # no sequence
            if f.is_relation:
                assert f.related_model is Vote, f
        # and the table itself has only these columns
        with connection.cursor() as cur:
            columns = {
                c.name
                for c in connection.introspection.get_table_description(cur, model._meta.db_table)
            }
        assert columns == {f.column for f in model._meta.concrete_fields}
        assert not {"voter_id", "deputy_id", "user_id", "created_at"} & columns
    # the register points at no ballot and keeps no time
    for f in Voter._meta.concrete_fields:
        assert f.related_model not in (Ballot, Receipt), f
        assert not isinstance(f, models.DateField | models.DateTimeField), f


def test_after_closing_the_stored_order_says_nothing_of_who_voted_when(demo, users):
    staff = users["staff"]
    # given 28 deputies, each casting a ballot no one else casts, in register order
    s = session_vote(congress=demo["county_congress"], staff=staff)
    distinct = list(product(("for", "against", "abstain"), repeat=4))[: len(s.deputies)]
    cast_order, receipt_order = [], []
    audits_before = AuditLog.objects.count()
    for d, choices in zip(s.deputies, distinct, strict=True):
        m = dict(zip(s.options, choices, strict=True))
        receipt_order.append(vs.ballot_cast(vote=s.vote, marks=m, credential=s.codes[d]))
        cast_order.append(str(tuple(m[o] for o in s.options)))
    # casting left no trace with a time in the audit log either
    assert AuditLog.objects.count() == audits_before
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())

    def label(marks: dict[str, str]) -> str:
        return str(tuple(marks[o] for o in s.options))

    by_id = [label(b.marks) for b in sel.ballots_of(vote)]
    table = Ballot._meta.db_table
    by_row = [label(raw) for raw in _physical_order(table, "marks", vote)]
    receipts_by_row = _physical_order(Receipt._meta.db_table, "code", vote)
    # then the same ballots are there, in an order unrelated to casting
    assert sorted(by_id) == sorted(cast_order) == sorted(by_row)
    for stored in (by_id, by_row):
        assert stored != cast_order
        assert abs(_rank_correlation(stored, cast_order)) < 0.7
    assert sorted(receipts_by_row) == sorted(receipt_order)
    assert abs(_rank_correlation(receipts_by_row, receipt_order)) < 0.7


def test_a_receipt_does_not_identify_its_ballot(demo, users):
    staff = users["staff"]
    s = session_vote(congress=demo["county_congress"], staff=staff)
    receipt = vs.ballot_cast(
        vote=s.vote,
        marks=dict(zip(s.options, ("for", "for", "against", "abstain"), strict=True)),
        credential=s.codes[s.deputies[0]],
    )
    for d in s.deputies[1:10]:
        vs.ballot_cast(
            vote=s.vote,
            marks=dict(zip(s.options, ("against",) * 4, strict=True)),
            credential=s.codes[d],
        )
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    # the receipt is a random code: it is no ballot's id nor part of one, and the ballot's row
    # holds nothing that the receipt's row holds (apart from the vote)
    row = Receipt.objects.get(vote=vote, code=receipt)
    ballots = list(Ballot.objects.filter(vote=vote))
    assert all(str(b.id) != str(row.id) and receipt not in str(b.marks) for b in ballots)
    assert receipt.replace("-", "") not in "".join(str(b.id).upper() for b in ballots)
    # and a verifier learns only that it was counted
    assert sel.receipt_counted(vote, receipt)


def test_receipts_ballots_and_voters_who_voted_are_as_many(demo, users):
    staff = users["staff"]
    s = session_vote(congress=demo["county_congress"], staff=staff, max_for=2)
    for d in s.deputies[:7]:
        vs.ballot_cast(
            vote=s.vote,
            marks=dict(zip(s.options, ("for", "against", "against", "abstain"), strict=True)),
            credential=s.codes[d],
        )
    for d in s.deputies[7:10]:
        vs.paper_issue(actor=staff, vote=s.vote, deputy_id=d)
        vs.paper_ballot_enter(actor=staff, vote=s.vote, marks={s.options[0]: "for"})  # invalid
    vote = vs.vote_close(actor=staff, vote=s.vote, on=SESSION_DAY.date())
    voted = Voter.objects.filter(vote=vote, voted=True).count()
    assert voted == vote.voted_count == 10
    assert len(sel.receipts_of(vote)) == len(sel.ballots_of(vote)) == voted
    assert len(set(sel.receipts_of(vote))) == voted
