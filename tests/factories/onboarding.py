"""Roster workbooks for tests, written as a person would fill them in (with openpyxl, not with
our code), and the counts an import changes."""

from __future__ import annotations

import io

from openpyxl import Workbook

from lianluo.deputies.models import Deputy, DeputyGroup, Mandate
from lianluo.stations.models import StationMembership

DEPUTY_HEADERS = [
    "代表编码", "姓名", "性别", "民族", "出生年份", "政治面貌", "行业", "职业", "专长", "职务代表",
    "手机号码", "所在联络站", "联系网格", "代表小组",
    "层级1", "人大1", "届次1", "选区1", "层级2", "人大2", "届次2", "选区2",
]  # fmt: skip
COUNTY = "430399000000"
CHENGGUAN = "430399100000"


def xlsx(rows: list[dict], *, title: str = "代表", headers: list[str] | None = None) -> bytes:
    """A workbook as a person would fill it in (written with openpyxl, not with our code)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    headers = headers or list(dict.fromkeys(k for r in rows for k in r))
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def person(n: int, **changes: str) -> dict:
    """A valid new deputy of the 城关 hub with a county mandate."""
    row = {
        "代表编码": f"new-{n:03d}",
        "姓名": f"测试代表{n}",
        "性别": "女" if n % 2 else "男",
        "民族": "汉族",
        "出生年份": str(1960 + n % 40),
        "政治面貌": "群众",
        "行业": "农业",
        "职业": "种植户",
        "专长": "农业技术、乡村振兴",
        "职务代表": "否",
        "手机号码": f"1370000{n:04d}",
        "所在联络站": "cg-hub;cg-sector-1",
        "联系网格": "430399100200",
        "代表小组": "城关代表小组",
        "层级1": "县级",
        "人大1": COUNTY,
        "届次1": "14",
        "选区1": "城关镇选区",
    }
    row.update(changes)
    return row


def counts() -> tuple[int, int, int, int]:
    return (
        Deputy.objects.count(),
        Mandate.objects.count(),
        StationMembership.objects.count(),
        DeputyGroup.objects.count(),
    )
