"""Rows written with INSERTs that skip Django's per-call compilation: `insert_rows` for the
hottest path, `insert_values` for link rows of bulk imports.

Rows of the hottest path (a citizen's submission) written with an INSERT built once per model
and row count, not once per call.

`Model.save()` and `bulk_create` build their INSERT afresh every time (the compiler resolves every
field, quotes every column, assembles the text): on a submission that was a fifth of the request
(issue 13's profile). `insert_rows` keeps the statement's text per (database, model, rows) and
only converts the values, with each field's own `pre_save` and `get_db_prep_save` — the same
values `save()` writes, defaults and `auto_now_add` included. It sends no model signals: use it
only for models nobody listens to (cases, their events, the outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

_statements: dict[tuple[str, type[Model], int], tuple[str, list[Field[Any, Any]]]] = {}


def insert_rows(objs: Sequence[Model]) -> None:
    """INSERT these instances of one model in one statement and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    key = (alias, model, len(objs))
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _statement(connection, model, len(objs))
    sql, fields = statement
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias


def _statement(connection: Any, model: type[Model], rows: int) -> tuple[str, list[Field[Any, Any]]]:
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    # The columns save() would write: every concrete field but a database-generated key.
    fields = [
        f for f in opts.concrete_fields if not (f.primary_key and getattr(f, "db_returning", False))
    ]
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(pk.column)}"
    )
    return sql, fields


def insert_values(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows of plain values (ids, numbers, text, booleans) inserted with one `executemany`.

    For link rows whose ids nobody reads back (memberships, mandates): `bulk_create` passes
    every value of every row through its field and the SQL compiler, most of the write's time
    in a profile of 10,000 deputies. Like `bulk_create`, it sends no signals; `fields` must name
    every column without a database default, by attribute name (`deputy_id`)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    concrete = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote(concrete[f]) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
