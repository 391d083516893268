from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lianluo.core.errors import DomainError, Forbidden, NotFound
from lianluo.core.models import User
from lianluo.projects.models import Photo, ProjectStatus
from lianluo.projects.services.implementation import (
    completion_report,
    photo_clean,
    plan_set,
    progress_report,
    project_get,
)
from tests.projects.supervise_helpers import approved_project, jpeg_with_gps, with_plan


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def project_photos(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    field = Photo._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def test_plan_refuses_an_end_before_the_start(demo, users):
    project = approved_project(demo)
    with pytest.raises(DomainError) as exc:
        plan_set(
            actor=users["staff"],
            project=project,
            department=demo["departments"][0],
            budget=Decimal("10"),
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
        )
    assert exc.value.field == "ends_on"


def test_only_staff_write_the_plan(demo, users):
    project = approved_project(demo)
    with pytest.raises(Forbidden):
        plan_set(
            actor=users["dept"],
            project=project,
            department=demo["departments"][0],
            budget=Decimal("10"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
        )
    assert not hasattr(project, "plan") or project.plan is None


def test_the_department_reports_progress_that_never_goes_back_silently(demo, users):
    project = with_plan(approved_project(demo), demo, users)
    progress_report(
        actor=users["dept"], project=project, reported_on=date(2026, 6, 1), percent=40, text="路基"
    )
    with pytest.raises(DomainError) as exc:
        progress_report(
            actor=users["dept"],
            project=project,
            reported_on=date(2026, 7, 1),
            percent=30,
            text="返工",
        )
    assert exc.value.field == "note"
    later = progress_report(
        actor=users["dept"],
        project=project,
        reported_on=date(2026, 7, 1),
        percent=30,
        text="返工",
        note="路面检测不合格，返工一段",
    )
    assert later.percent == 30 and "路面检测不合格" in later.text
    with pytest.raises(DomainError):
        progress_report(
            actor=users["staff"],
            project=project,
            reported_on=date(2026, 7, 2),
            percent=101,
            text="x",
        )


def test_another_department_may_not_report(demo, users):
    project = with_plan(approved_project(demo), demo, users)
    dept2 = User.objects.get(username="dept2")
    with pytest.raises(Forbidden):
        progress_report(
            actor=dept2, project=project, reported_on=date(2026, 6, 1), percent=5, text="x"
        )
    assert project.progress.count() == 0


def test_a_photo_is_cleaned_stored_privately_and_served(demo, users, project_photos):
    project = with_plan(approved_project(demo), demo, users)
    cleaned = photo_clean(jpeg_with_gps(), name="site.jpg")
    progress = progress_report(
        actor=users["dept"],
        project=project,
        reported_on=date(2026, 6, 1),
        percent=50,
        text="路面铺设过半",
        photos=[cleaned],
    )
    photo = progress.photos.get()
    stored = photo.file.read()
    assert photo.content_type == "image/jpeg"
    assert not Image.open(photo.file).getexif()  # no GPS, no maker
    response = Client().get(f"/projects/p/{project.pk}/photos/{photo.pk}/")
    assert response.status_code == 200  # an approved project's progress is public
    assert b"".join(response.streaming_content) == stored


def test_the_page_shows_the_plan_and_takes_a_photo_upload(demo, users, project_photos):
    project = with_plan(approved_project(demo), demo, users)
    client = Client()
    client.force_login(users["dept"])
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        f"/projects/p/{project.pk}/do/progress/",
        {
            "progress-reported_on": "2026-06-01",
            "progress-percent": "20",
            "progress-text": "开工",
            "progress-photos": upload,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/projects/p/{project.pk}/").content.decode()
    assert "青溪县住房和城乡建设局" in page
    assert "20%" in page
    assert "/photos/" in page


def test_scope_of_the_page(demo, users):
    project = approved_project(demo)
    with_plan(project, demo, users)
    assert project_get(viewer=users["leader"], pk=project.pk) == project
    assert project_get(viewer=users["dept"], pk=project.pk) == project
    for user in (users["other"], users["deputy"], User.objects.get(username="dept2")):
        with pytest.raises(NotFound):
            project_get(viewer=user, pk=project.pk)
    client = Client()
    client.force_login(users["other"])
    assert client.get(f"/projects/p/{project.pk}/").status_code == 404


def test_completion_report_completes_the_project(demo, users):
    project = with_plan(approved_project(demo), demo, users)
    done = completion_report(
        actor=users["staff"], project=project, completed_on=date(2026, 11, 20), report="已完工"
    )
    assert done.status == ProjectStatus.COMPLETED and done.completed_on == date(2026, 11, 20)
    with pytest.raises(DomainError):
        completion_report(
            actor=users["staff"], project=done, completed_on=date(2026, 11, 21), report="again"
        )


def test_the_plan_form_starts_from_the_plan_as_saved(demo, users):
    project = with_plan(approved_project(demo), demo, users)
    plan = project.plan
    client = Client()
    client.force_login(users["staff"])
    page = client.get(f"/projects/p/{project.pk}/").content.decode()
    # the staff who edits the plan sees what is saved, not a blank form that would overwrite it
    form = page.split(f'action="/projects/p/{project.pk}/do/plan/"')[1].split("</form>")[0]
    assert f'<option value="{plan.department_id}" selected>' in form
    assert f'value="{plan.starts_on.isoformat()}"' in form
    assert f'value="{plan.budget}"' in form
