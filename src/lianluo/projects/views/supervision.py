"""The staff page of one project (particulars, plan, milestones, progress with photos, the
supervision group with its proposed matches, the cadence with missed steps, records, evaluation
and rectification), one small form per action, the progress photos, and the year's
satisfaction vote. Deputies of the group see the page read-only and record inspections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.projects.cadence import cadence_table
from lianluo.projects.matching import match_deputies
from lianluo.projects.models import (
    Cadence,
    Member,
    Milestone,
    Plan,
    Project,
    Rectification,
    Slate,
)
from lianluo.projects.services import evaluation as ev
from lianluo.projects.services import implementation as impl
from lianluo.projects.services import supervision as sup
from lianluo.projects.views import supervision_forms as f
from lianluo.voting.services import require_staff

Action = Callable[[AuthedRequest, Project, dict[str, Any]], object]


def _milestone(project: Project, pk: int) -> Milestone:
    item = project.milestones.filter(pk=pk).first()
    if item is None:
        raise NotFound(impl.SupervisionCode.NOT_FOUND, _("No milestone has this number."))
    return item


def _member(project: Project, pk: int) -> Member:
    item = project.members.filter(pk=pk).first()
    if item is None:
        raise NotFound(impl.SupervisionCode.NOT_FOUND, _("No member has this number."))
    return item


def _progress(request: AuthedRequest, project: Project, d: dict[str, Any]) -> object:
    uploads = d.get("photos") or []
    photos = [impl.photo_clean(upload.read(), name=upload.name or "") for upload in uploads]
    return impl.progress_report(
        actor=request.user,
        project=project,
        reported_on=d["reported_on"],
        percent=d["percent"],
        spent=d["spent"],
        text=d["text"],
        note=d["note"],
        photos=photos,
    )


def _record(request: AuthedRequest, project: Project, d: dict[str, Any]) -> object:
    return sup.record_add(
        actor=request.user,
        project=project,
        cadence=d["cadence"],
        period=d["period"].strip(),
        held_on=d["held_on"],
        text=d["text"],
        problems=d["problems"],
        attendee_ids=d["attendees"],
    )


# action name → (form class, whether it takes the project, the service call, done message)
ACTIONS: dict[str, tuple[type[forms.Form], bool, Action, Any]] = {
    "plan": (
        f.PlanForm,
        True,
        lambda r, p, d: impl.plan_set(actor=r.user, project=p, **d),
        _l("The plan is saved."),
    ),
    "milestone": (
        f.MilestoneForm,
        False,
        lambda r, p, d: impl.milestone_add(actor=r.user, project=p, **d),
        _l("The milestone is added."),
    ),
    "milestone_done": (
        f.MilestoneDoneForm,
        False,
        lambda r, p, d: impl.milestone_done(
            actor=r.user, milestone=_milestone(p, d["milestone"]), done_on=d["done_on"]
        ),
        _l("The milestone is marked done."),
    ),
    "progress": (f.ProgressForm, False, _progress, _l("The progress report is saved.")),
    "complete": (
        f.CompletionForm,
        False,
        lambda r, p, d: impl.completion_report(actor=r.user, project=p, **d),
        _l("The project is reported completed."),
    ),
    "propose": (
        forms.Form,
        False,
        lambda r, p, d: sup.group_propose(actor=r.user, project=p),
        _l("Members are proposed."),
    ),
    "member_add": (
        f.MemberAddForm,
        True,
        lambda r, p, d: sup.member_add(actor=r.user, project=p, deputy=d["deputy"]),
        _l("The deputy is added to the group."),
    ),
    "member_remove": (
        f.MemberRemoveForm,
        False,
        lambda r, p, d: sup.member_remove(actor=r.user, member=_member(p, d["member"])),
        _l("The deputy is taken out of the group."),
    ),
    "confirm": (
        f.GroupConfirmForm,
        True,
        lambda r, p, d: sup.group_confirm(
            actor=r.user, project=p, deputy_ids=d["deputies"], leader_id=d["leader"]
        ),
        _l("The supervision group is confirmed."),
    ),
    "record": (f.RecordForm, True, _record, _l("The record is saved.")),
    "rectification": (
        f.RectificationForm,
        False,
        lambda r, p, d: ev.rectification_write(actor=r.user, project=p, **d),
        _l("The rectification list is saved."),
    ),
    "rectification_report": (
        f.RectificationReportForm,
        False,
        lambda r, p, d: ev.rectification_report(actor=r.user, project=p, **d),
        _l("The report is recorded."),
    ),
    "rectification_done": (
        f.RectificationDoneForm,
        False,
        lambda r, p, d: ev.rectification_done(actor=r.user, project=p, **d),
        _l("The rectification is marked done."),
    ),
}


def _form(name: str, project: Project, manage: bool, data: Any = None, files: Any = None) -> Any:
    cls, takes_project, _call, _done = ACTIONS[name]
    kwargs: dict[str, Any] = {"project": project} if takes_project else {}
    if name == "record" and not manage:
        kwargs["inspection_only"] = True
    return cls(data, files, prefix=name, **kwargs)


def _page(
    request: AuthedRequest, project: Project, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    manage = impl.can_manage(user, project)
    report = impl.can_report(user, project)
    records = list(project.records.prefetch_related("attendees").order_by("-held_on", "-pk"))
    steps = cadence_table(project, on=today, records=records)
    group = sup.group_of(project)
    names = (
        ["plan", "milestone", "complete", "propose", "member_add", "confirm", "record"]
        + ["rectification", "rectification_report", "rectification_done"]
        if manage
        else (["milestone_done", "progress"] if report else [])
    )
    if manage:
        names += ["milestone_done", "progress"]
    if not manage and sup.may_record(user, project, Cadence.INSPECTION):
        names.append("record")
    action_forms = {n: _form(n, project, manage) for n in names}
    action_forms.update(bound or {})
    plan = Plan.objects.filter(project=project).select_related("department").first()
    context = {
        "project": project,
        "plan": plan,
        "milestones": list(project.milestones.all()),
        "progress": list(project.progress.prefetch_related("photos")),
        "group": group,
        "matches": match_deputies(project, exclude={m.deputy_id for m in group})[:5]
        if manage and project.status in impl.IMPLEMENTING
        else [],
        "steps": steps,
        "missed": [s for s in steps if s.missed],
        "records": records,
        "rectification": Rectification.objects.filter(project=project).first(),
        "carried_into": list(project.carried_into.all()),
        "manage": manage,
        "report": report,
        "forms": action_forms,
        "today": today,
    }
    return render(request, "projects/project/page.html", context, status=status)


@login_required
def project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, impl.project_get(viewer=request.user, pk=pk))


@login_required
@require_POST
def project_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    item = impl.project_get(viewer=request.user, pk=pk)
    if action not in ACTIONS:
        raise NotFound(impl.SupervisionCode.NOT_FOUND, _("No such action."))
    manage = impl.can_manage(request.user, item)
    form = _form(action, item, manage, request.POST, request.FILES)
    if form.is_valid():
        _cls, _takes, call, done = ACTIONS[action]
        try:
            call(request, item, form.cleaned_data)
        except NotFound:
            raise
        except DomainError as exc:
            if exc.status == 403:
                raise
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("projects:project", pk=item.pk)
    return _page(request, item, bound={action: form}, status=400)


def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A progress photo: public once the project is published, else for those who see it."""
    user = getattr(request, "user", None)
    item = impl.project_public_get(pk)
    found = impl.photo_get(viewer=user, project=item, photo_id=photo_id)  # type: ignore[arg-type]
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    published = item.status in impl.PUBLISHED
    response["Cache-Control"] = "public, max-age=3600" if published else "private, no-store"
    return response


@login_required
def satisfaction(request: AuthedRequest, congress_pk: int, year: int) -> HttpResponse:
    """Staff create the year's satisfaction vote once the government reported completion."""
    congress = Congress.objects.select_related("area").filter(pk=congress_pk).first()
    if congress is None:
        raise NotFound(impl.SupervisionCode.NOT_FOUND, _("No congress has this number."))
    require_staff(request.user, congress)
    slate = Slate.objects.filter(congress=congress, year=year).first()
    form = f.SatisfactionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                vote = ev.satisfaction_create(
                    actor=request.user,
                    congress=congress,
                    year=year,
                    title=form.cleaned_data["title"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The satisfaction vote is prepared."))
                try:
                    return redirect(reverse("voting:run", kwargs={"pk": vote.pk}))
                except NoReverseMatch:  # the vote pages are not installed
                    return redirect(request.path)
        status = 400
    context = {
        "congress": congress,
        "year": year,
        "slate": slate,
        "vote": slate.satisfaction_vote if slate else None,
        "projects": ev.year_projects(congress, year),
        "form": form,
    }
    return render(request, "projects/project/satisfaction.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("projects/p/<int:pk>/", project, name="project"),
    path("projects/p/<int:pk>/do/<slug:action>/", project_act, name="project_act"),
    path("projects/p/<int:pk>/photos/<int:photo_id>/", photo, name="photo"),
    path("projects/<int:congress_pk>/<int:year>/satisfaction/", satisfaction, name="satisfaction"),
]
