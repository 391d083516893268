"""What every sheet importer shares: reading cells with precise errors, scope, lookups.

An importer runs in two steps. `check(sheet)` validates every row against the database and
the importer's scope, collects every error with its row number, and plans the writes (counts
of creations, updates and actual changes) without writing anything. `apply()` performs the
plan; the caller holds the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Q

from lianluo.core.models import Area, Congress, User
from lianluo.core.scope import Scope, ancestor_codes
from lianluo.onboarding.sheets import Column, RowError, Sheet, SheetRow, column, vocab_code

Progress = Callable[[int], None]
CHUNK = 500  # rows per IN (…) query and per write batch

AREA_CODE = re.compile(r"^\d{12}$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")
LIST_SPLIT = re.compile(r"[;；,，、\s]+")
ITEMS_KEPT = 200  # rows listed on the job page after an import


def chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def split_list(value: str) -> list[str]:
    seen: list[str] = []
    for part in LIST_SPLIT.split(value):
        if part and part not in seen:
            seen.append(part)
    return seen


class Importer:
    kind: str = ""

    def __init__(self, *, actor: User, scope: Scope) -> None:
        self.actor = actor
        self.scope = scope
        self.errors: list[RowError] = []
        self.headers: dict[str, str] = {}
        self.creates = 0
        self.updates = 0
        self.changed = 0
        self.items: list[dict[str, str]] = []
        self._covers: dict[tuple[str, bool], bool] = {}

    # -- subclass API ----------------------------------------------------------------------
    def check(self, sheet: Sheet, progress: Progress) -> None:
        raise NotImplementedError

    def apply(self, progress: Progress) -> None:
        raise NotImplementedError

    def begin(self, sheet: Sheet) -> list[SheetRow] | None:
        """Take the sheet's headers and its reading errors; None (nothing to check) when it has
        some: no header to read the rows by, or no rows."""
        self.headers = sheet.headers
        self.errors.extend(sheet.errors)
        return None if sheet.errors else sheet.rows

    # -- results ---------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        return {"create": self.creates, "update": self.updates, "changed": self.changed}

    def keep_item(self, *, code: str, name: str, action: str) -> None:
        if len(self.items) < ITEMS_KEPT:
            self.items.append({"code": code, "name": name, "action": action})

    # -- errors ----------------------------------------------------------------------------
    def error(self, row: SheetRow | int, key: str, code: str, **params: Any) -> None:
        number = row.number if isinstance(row, SheetRow) else row
        header = self.headers.get(key) or (self._column_label(key) if key else "")
        self.errors.append(RowError(number, key, header, code, params))

    def _column_label(self, key: str) -> str:
        try:
            c: Column = column(self.kind, key)
        except StopIteration:
            return key
        from lianluo.onboarding.sheets import is_zh

        return c.zh if is_zh() else c.en

    def row_has_errors(self, row: SheetRow, since: int) -> bool:
        return len(self.errors) > since

    # -- cells -----------------------------------------------------------------------------
    def present(self, key: str) -> bool:
        return key in self.headers

    def text(self, row: SheetRow, key: str, *, max_length: int, required: bool = False) -> str:
        value = row.values.get(key, "")
        if not value:
            if required:
                self.error(row, key, "required")
            return ""
        if len(value) > max_length:
            self.error(row, key, "too_long", max=max_length, length=len(value))
            return ""
        return value

    def choice(self, row: SheetRow, key: str, vocab: str, *, required: bool = False) -> str:
        value = row.values.get(key, "")
        if not value:
            if required:
                self.error(row, key, "required")
            return ""
        code = vocab_code(vocab, value)
        if code is None:
            self.error(row, key, "bad_choice", value=value, vocab=vocab)
            return ""
        return code

    def yes_no(self, row: SheetRow, key: str) -> bool | None:
        code = self.choice(row, key, "yesno")
        return None if not code else code == "1"

    def area_code(self, row: SheetRow, key: str, *, required: bool = False) -> str:
        value = row.values.get(key, "")
        if not value:
            if required:
                self.error(row, key, "required")
            return ""
        if not AREA_CODE.match(value):
            self.error(row, key, "bad_area_code", value=value)
            return ""
        return value

    def slug(self, row: SheetRow, key: str, *, required: bool = False) -> str:
        value = row.values.get(key, "")
        if not value:
            if required:
                self.error(row, key, "required")
            return ""
        if not SLUG.match(value):
            self.error(row, key, "bad_code", value=value)
            return ""
        return value

    # -- scope -----------------------------------------------------------------------------
    def may_act_on(self, path: str) -> bool:
        return self.covers(path, acting=True)

    def covers(self, path: str, *, acting: bool = False) -> bool:
        """The scope's answer, asked once per path: every row asks it of its stations and areas,
        and a sheet names a few dozen of them."""
        key = (path, acting)
        found = self._covers.get(key)
        if found is None:
            found = self._covers[key] = self.scope.covers_path(path, acting=acting)
        return found

    # -- lookups ---------------------------------------------------------------------------
    @staticmethod
    def areas_by_code(codes: Iterable[str]) -> dict[str, Area]:
        wanted = sorted({c for c in codes if c})
        found: dict[str, Area] = {}
        for part in chunks(wanted):
            found.update({a.code: a for a in Area.objects.filter(code__in=part)})
        return found


class CongressIndex:
    """Congresses named in a sheet, by the 12-digit code of their area or by their name."""

    def __init__(self, values: Iterable[str]) -> None:
        wanted = {v for v in values if v}
        codes = [v for v in wanted if AREA_CODE.match(v)]
        names = [v for v in wanted if not AREA_CODE.match(v)]
        self.by_code: dict[str, Congress] = {}
        self.by_name: dict[str, list[Congress]] = {}
        for part in chunks(sorted(codes) + sorted(names)):
            qs = Congress.objects.select_related("area").filter(
                Q(area__code__in=part) | Q(name__in=part)
            )
            for c in qs:
                self.by_code[c.area.code] = c
                if c.pk not in {x.pk for x in self.by_name.get(c.name, [])}:
                    self.by_name.setdefault(c.name, []).append(c)

    def get(self, value: str) -> Congress | None:
        if AREA_CODE.match(value):
            return self.by_code.get(value)
        found = self.by_name.get(value, [])
        return found[0] if len(found) == 1 else None


def nearest_congresses(paths: Iterable[str]) -> dict[str, Congress]:
    """For each area path, the congress of that area or of the nearest area above it."""
    paths = set(paths)
    codes = {code for path in paths for code in ancestor_codes(path)}
    by_code: dict[str, Congress] = {}
    for part in chunks(sorted(codes)):
        for c in Congress.objects.select_related("area").filter(area__code__in=part):
            by_code[c.area.code] = c
    result: dict[str, Congress] = {}
    for path in paths:
        for code in reversed(ancestor_codes(path)):
            if code in by_code:
                result[path] = by_code[code]
                break
    return result
