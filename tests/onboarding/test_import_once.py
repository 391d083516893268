"""The workbook is parsed once: the preview keeps the rows it read, the confirmation validates
them again against the database without reading the file; jobs previewed before rows were kept
still confirm from the file. And the number of queries does not grow with the rows."""

from __future__ import annotations

import pytest

from lianluo.deputies.models import Deputy
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.services.imports import _kept_name
from tests.factories.onboarding import counts, person, xlsx

pytestmark = pytest.mark.usefixtures("_imports")


def _overwrite(job: ImportJob, name: str, data: bytes) -> None:
    with job.file.storage.open(name, "wb") as fh:
        fh.write(data)


def test_the_confirmation_writes_the_rows_the_preview_read_without_reading_the_file(
    demo, users, group, run
):
    # given a previewed file of two deputies
    job = run(users["staff"], "deputies", xlsx([person(1), person(2)]))
    assert job.status == "ready"
    assert job.file.storage.exists(_kept_name(job))

    # when the stored workbook no longer parses (as if it were read again, it would fail)
    _overwrite(job, job.file.name, b"not a workbook any more")
    job = run.confirm(job, users["staff"])

    # then the deputies of the preview are written all the same, and nothing of the upload stays
    assert job.status == "done", job.errors
    assert sorted(
        Deputy.objects.filter(code__startswith="new-").values_list("name", flat=True)
    ) == [
        "测试代表1",
        "测试代表2",
    ]
    assert not job.file


def test_a_job_previewed_before_rows_were_kept_is_confirmed_from_its_file(demo, users, group, run):
    # given a previewed file whose kept rows are gone (a job from before the change)
    job = run(users["staff"], "deputies", xlsx([person(1), person(2), person(3)]))
    job.file.storage.delete(_kept_name(job))

    # when it is confirmed
    job = run.confirm(job, users["staff"])

    # then the file is read again and everything written
    assert job.status == "done", job.errors
    assert job.summary["create"] == 3
    assert Deputy.objects.filter(code__startswith="new-").count() == 3


def test_kept_rows_of_another_file_are_not_used(demo, users, group, run):
    # given two previewed jobs, the first one's kept rows replaced by the second one's
    first = run(users["staff"], "deputies", xlsx([person(1)]))
    second = run(users["staff"], "deputies", xlsx([person(7), person(8)]))
    with second.file.storage.open(_kept_name(second), "rb") as fh:
        _overwrite(first, _kept_name(first), fh.read())

    # when the first is confirmed
    first = run.confirm(first, users["staff"])

    # then its own file is read: the deputy of its own row is written, not the other two
    assert first.status == "done", first.errors
    assert list(Deputy.objects.filter(code__startswith="new-").values_list("code", flat=True)) == [
        "new-001"
    ]


def test_a_preview_with_errors_keeps_no_rows(demo, users, group, run):
    job = run(users["staff"], "deputies", xlsx([person(1, 手机号码="12345")]))
    assert job.status == "invalid"
    assert not job.file.storage.exists(_kept_name(job))


# ---- queries --------------------------------------------------------------------------------

ROWS = 600  # more than a chunk of 500: a query per row would show as hundreds more
# Measured on 2026-12-02 (SQLite): the preview 26 queries, the confirmation 49 (of which 10
# multi-row INSERTs of deputies, cut at SQLite's 999 parameters, one executemany each for the
# memberships and mandates of a chunk, and the notification's delivery in sync mode). Two of
# slack for harmless changes; a query per row is hundreds over.
PREVIEW_QUERIES = 28
CONFIRM_QUERIES = 51


def test_the_preview_and_the_confirmation_do_not_query_per_row(
    demo, users, group, run, django_assert_max_num_queries
):
    data = xlsx([person(n, 所在联络站="cg-hub") for n in range(1, ROWS + 1)])
    before = counts()

    with django_assert_max_num_queries(PREVIEW_QUERIES):
        job = run(users["staff"], "deputies", data)
    assert job.status == "ready", job.errors[:3]
    assert job.summary["create"] == ROWS

    with django_assert_max_num_queries(CONFIRM_QUERIES):
        job = run.confirm(job, users["staff"])
    assert job.status == "done", job.errors[:3]
    assert counts()[0] == before[0] + ROWS
