"""Livelihood projects chosen by the deputies' secret ballot (民生实事项目人大代表票决制).

The loop of one congress and one year: a collection window (`Window`) takes proposals
(`Proposal`: citizens, deputies, departments, cases turned into proposals); staff merge duplicates
and file them into the reserve pool (`Project` in state pool, 储备库); a list of candidates
(`Slate`: approved by a named body on a date, with a quota) goes to the session's secret ballot
(a `voting.Vote`); approved projects get a plan (`Plan`, `Milestone`), progress reports
(`Progress`), a supervision group (`Member`) that keeps a cadence (`Record`: monthly inspection,
quarterly dispatch, half-year report, yearly evaluation); the year-end satisfaction vote grades them
and a dissatisfied project gets a rectification list (`Rectification`) carried into next year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.core.storage import private_storage


class Window(models.Model):
    """The collection window (征集) of one congress for one year's projects."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("projects of the year"))
    opens_on = models.DateField(_("collection opens"))
    closes_on = models.DateField(_("collection closes"))
    intro = models.TextField(_("what we ask for"), blank=True)

    class Meta:
        verbose_name = _("collection window")
        verbose_name_plural = _("collection windows")
        ordering = ["-year", "congress__area__code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="window_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.congress} {self.year}"


class Source(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    DEPUTY = "deputy", _("Deputy")
    DEPARTMENT = "department", _("Department")
    CASE = "case", _("Citizen's case")
    STAFF = "staff", _("Congress staff")


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    POOLED = "pooled", _("In the reserve pool")
    MERGED = "merged", _("Merged into another proposal")
    DECLINED = "declined", _("Not taken up")


class Proposal(models.Model):
    """A proposed livelihood project (征集的项目建议)."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("projects of the year"))
    source = models.CharField(_("from"), max_length=12, choices=Source.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what should be done, and why"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    citizen_name = models.CharField(_("name"), max_length=50, blank=True)  # private
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True)  # private
    tracking_code = models.CharField(max_length=24, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    project = models.ForeignKey(
        "Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    note = models.CharField(_("staff's note"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="proposal_idempotency_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.TextChoices):
    POOL = "pool", _("In the reserve pool")
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("Approved by the deputies")
    NOT_APPROVED = "not_approved", _("Not approved")
    COMPLETED = "completed", pgettext_lazy("project", "Completed")
    EVALUATED = "evaluated", _("Evaluated by the deputies")
    WITHDRAWN = "withdrawn", _("Taken out of the pool")


class Grade(models.TextChoices):
    SATISFIED = "satisfied", pgettext_lazy("ballot", "Satisfied")
    BASIC = "basic", pgettext_lazy("ballot", "Basically satisfied")
    DISSATISFIED = "dissatisfied", pgettext_lazy("ballot", "Dissatisfied")


class Project(models.Model):
    """An entry of the reserve pool; a candidate; an approved project, implemented and rated."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("projects of the year"))
    title = models.CharField(_("name"), max_length=200)
    content = models.TextField(_("content"))
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Comma-separated."))
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.POOL
    )
    # A candidate's particulars (候选项目): what the deputies read before they vote.
    investment = models.DecimalField(
        _("total investment (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_effect = models.TextField(_("expected effect"), blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    completion = models.CharField(_("completion time"), max_length=100, blank=True)
    completion_due = models.DateField(_("to be completed by"), null=True, blank=True)
    presentation = models.TextField(_("the government's presentation"), blank=True)
    slate = models.ForeignKey(
        "Slate", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    votes_for = models.PositiveIntegerField(null=True, blank=True)  # from the session's result
    grade = models.CharField(_("satisfaction"), max_length=12, choices=Grade.choices, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_report = models.TextField(_("the government's report on completion"), blank=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


class Slate(models.Model):
    """The list of candidates of one congress and year (候选项目名单), the body that approved
    it, the quota, the session vote, and the year-end satisfaction vote."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("projects of the year"))
    approved_by = models.CharField(
        _("approved by"),
        max_length=100,
        help_text=_("The body that approved the list, e.g. the presidium (主席团)."),
    )
    approved_on = models.DateField(_("approved on"))
    quota = models.PositiveSmallIntegerField(_("number of projects to approve"))
    vote = models.ForeignKey(
        "voting.Vote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    satisfaction_vote = models.ForeignKey(
        "voting.Vote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A project rated below this share of satisfied + basically satisfied also gets a
    # rectification list, whatever its grade (empty: only the dissatisfied ones).
    rectify_below_pct = models.PositiveSmallIntegerField(
        _("rectification below (%)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("list of candidates")
        verbose_name_plural = _("lists of candidates")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="slate_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.congress} {self.year}"


class Plan(models.Model):
    """The implementation plan of an approved project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    team = models.TextField(_("project team"), blank=True)
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self) -> str:
        return str(self.project)


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """A progress report: how far, how much spent, what was done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("as of"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    spent = models.DecimalField(
        _("spent so far (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("what was done"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.percent}%"


class Photo(models.Model):
    """A photo of a progress report (cleaned of its metadata), public with the project."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="projects/%Y/", storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class MemberStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


class Member(models.Model):
    """A deputy of a project's supervision group (监督小组), proposed by the match and confirmed
    by staff; one of them leads it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    leader = models.BooleanField(_("group leader"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PROPOSED
    )
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("supervision group member")
        verbose_name_plural = _("supervision group")
        ordering = ["-leader", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="member_once_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.deputy_id}"


class Cadence(models.TextChoices):
    """一月一视察、一季一调度、半年一报告、一年一测评."""

    INSPECTION = "inspection", _("Monthly inspection")
    DISPATCH = "dispatch", _("Quarterly dispatch meeting")
    REPORT = "report", _("Half-year report from the government")
    EVALUATION = "evaluation", _("Yearly evaluation")


class Record(models.Model):
    """A step of the supervision cadence, for one period (2026-03, 2026-Q2, 2026-H1, 2026)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="records")
    cadence = models.CharField(_("step"), max_length=12, choices=Cadence.choices)
    period = models.CharField(_("period"), max_length=8)
    held_on = models.DateField(_("held on"))
    text = models.TextField(_("what was found"))
    problems = models.TextField(_("problems raised"), blank=True)
    attendees = models.ManyToManyField("deputies.Deputy", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "cadence", "period"], name="record_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.cadence} {self.period}"


class Rectification(models.Model):
    """The rectification list of a project rated low (问题/责任/整改), reported back to the
    standing committee or presidium and carried into next year's supervision."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="rectification")
    problems = models.TextField(_("problems"))
    responsibilities = models.TextField(_("responsibilities"))
    corrections = models.TextField(_("corrections"))
    deadline = models.DateField(_("to be corrected by"), null=True, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=100, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    done_on = models.DateField(_("corrected on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification list")
        verbose_name_plural = _("rectification lists")

    def __str__(self) -> str:
        return str(self.project)
