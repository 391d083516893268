"""Rows of the hottest path (a citizen's submission) written with an INSERT built once per model
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
