"""What the lifecycle tests share: the frozen moment, and submitting, acting and tracking
through the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from lianluo.cases.models import Case, CaseEvent
from lianluo.core.models import (
    OutboxMessage,
)
from lianluo.suggestions.models import Suggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Half past midnight in Shanghai is still the previous day in UTC: a deadline computed from the
# UTC date would land a day early.
NOW = datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI)
PHONE, NAME = "13812345678", "张三"


def submit(api, **fields) -> dict:
    body = {"station": "cg-hub", "text": "村口路灯坏了两个月", "name": NAME, "phone": PHONE}
    response = api().post("/api/v1/public/cases", {**body, **fields})
    assert response.status_code == 201, response.content
    return response.json()


def act(client, number: str, action: str, **fields):
    return client.post(f"/api/v1/cases/{number}/transitions", {"action": action, **fields})


def track(api, tracking_code: str, language: str = "zh-hans") -> dict:
    response = api(language=language).get(f"/api/v1/public/cases/{tracking_code}")
    assert response.status_code == 200, response.content
    return response.json()


def end_of_day(day, days: int) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(23, 59, 59), tzinfo=SHANGHAI)


def state(number: str) -> tuple:
    """Everything a refused action must leave untouched."""
    return (
        Case.objects.filter(number=number).values().get(),
        CaseEvent.objects.filter(case__number=number).count(),
        Case.objects.count(),
        OutboxMessage.objects.count(),
        Suggestion.objects.count(),
    )
