"""The demo's past: last year's ledger and reception records, imported as a county starting on
Lianluo imports its spreadsheets (the past-years import of onboarding), and the hot topics of
last year and this year, so the dashboard, the big screen and the briefing have a year to show."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.utils import translation

from lianluo.cases.models import Case
from lianluo.core.models import User
from lianluo.insights.models import TopicRun
from lianluo.insights.period import Period, Target
from lianluo.insights.topics import topics_compute
from lianluo.onboarding.models import ImportKind, ImportStatus
from lianluo.onboarding.samples import past_sample_rows
from lianluo.onboarding.selectors import export_reference
from lianluo.onboarding.services.imports import (
    import_check,
    import_confirm,
    import_run,
    import_upload,
)
from lianluo.onboarding.sheets.writing import SheetData, build_workbook

PAST_ROWS = {ImportKind.CASES: 300, ImportKind.RECEPTIONS: 150}


def seed_insights(ctx: dict, *, today: date) -> None:
    """Import last year once (when no imported case exists), then compute the county's hot
    topics of last year and of this year to date where they are missing."""
    staff = User.objects.get(username="staff")
    if not Case.objects.filter(imported=True).exists():
        with translation.override("zh-hans"):
            for kind, count in PAST_ROWS.items():
                _import(staff, kind, count, year=today.year - 1)
    county = Target(area=ctx["county"])
    for period in (Period.year(today.year - 1), Period(date(today.year, 1, 1), today)):
        known = TopicRun.objects.filter(scope=county.code, start=period.start, end=period.end)
        if not known.exists():
            topics_compute(target=county, period=period)


def _import(staff: User, kind: str, count: int, *, year: int) -> None:
    rows = past_sample_rows(viewer=staff, kind=kind, count=count, year=year, seed=year)
    data = build_workbook([SheetData(kind, rows)], export_reference(viewer=staff))
    job = import_upload(
        kind=kind, upload=ContentFile(data, name=f"demo-past-{kind}.xlsx"), actor=staff
    )
    # The steps run here, in order; the ones scheduled for the commit find them done.
    import_check(job_id=job.pk)
    job.refresh_from_db()
    if job.status != ImportStatus.READY:
        raise RuntimeError(f"demo past {kind}: the sample did not pass its check: {job.errors}")
    import_confirm(job=job, actor=staff)
    import_run(job_id=job.pk)
