"""Fixtures of the onboarding tests: imports run inline with files in a temporary directory,
a deputy group, a neighbouring county, and run()/confirm() through the services."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from lianluo.core.models import Area, Congress
from lianluo.deputies.models import Deputy, DeputyGroup
from lianluo.onboarding.models import ImportJob
from lianluo.onboarding.services import import_confirm, import_upload
from lianluo.stations.models import Station, StationMembership
from tests.factories.onboarding import CHENGGUAN


@pytest.fixture
def _imports(settings, tmp_path, monkeypatch):
    """Imports run inline; uploaded files go to a temporary directory."""
    settings.LIANLUO_IMPORT_MODE = "sync"
    field = ImportJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))


@pytest.fixture
def group(demo):
    congress = Congress.objects.get(area__code=CHENGGUAN)
    return DeputyGroup.objects.create(congress=congress, name="城关代表小组")


@pytest.fixture
def neighbour(demo):
    """A county next door, outside the demo staff's area: a station and a deputy there."""
    city = Area.objects.get(code="430300000000")
    area = Area.objects.create(code="430398000000", name="邻县", level="county", parent=city)
    congress = Congress.objects.create(area=area, name="邻县人民代表大会")
    station = Station.objects.create(
        code="lx-hub", name="邻县联络总站", kind="hub", area=area, congress=congress
    )
    deputy = Deputy.objects.create(code="lx-dep", name="邻县代表", phone="13600000001")
    StationMembership.objects.create(station=station, deputy=deputy, primary=True)
    return {"area": area, "station": station, "deputy": deputy}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(user, kind, data) uploads and checks a file; confirm(job, user) writes it."""

    def upload(user, kind: str, data: bytes, name: str = "名单.xlsx") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = import_upload(kind=kind, upload=ContentFile(data, name=name), actor=user)
        job.refresh_from_db()
        return job

    def confirm(job: ImportJob, user) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(job=job, actor=user)
        job.refresh_from_db()
        return job

    upload.confirm = confirm
    return upload
