"""Deputy suggestions (代表建议), ideas (金点子) and research reports (调研成果): the item, its
authors, its assignments to departments, their contacts, opinions and replies, the lead deputy's
ratings, and an append-only event log that is the item's record. The workflow is in states.py."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.fields import actor_field
from lianluo.core.storage import private_storage
from lianluo.suggestions.states import (
    AssignmentRole,
    Category,
    ContactMethod,
    DeclineOutcome,
    DeclineReason,
    Kind,
    Mode,
    Period,
    SuggestionRating,
    SuggestionStatus,
)


class Suggestion(models.Model):
    """A formal suggestion (or idea, or research report) by a lead deputy to a congress."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    # The lead deputy (领衔代表); co-signers are Signer rows.
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUGGESTION)
    period = models.CharField(
        _("filed"), max_length=8, choices=Period.choices, default=Period.RECESS
    )
    from_motion = models.BooleanField(_("a motion treated as a suggestion"), default=False)
    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, blank=True, default=""
    )
    # The deputy may keep the text out of the public page; the title and the reply's public part
    # are published unless this is set.
    private = models.BooleanField(_("not for publication"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default="draft"
    )
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    # Staff register (立案) within the congress's working days from filing (Rules).
    register_due = models.DateField(_("registration due"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True, default=""
    )
    decline_outcome = models.CharField(
        _("outcome"), max_length=10, choices=DeclineOutcome.choices, blank=True, default=""
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    # Assignment (交办) and the answer deadline.
    mode = models.CharField(_("handling"), max_length=10, choices=Mode.choices, blank=True)
    difficult = models.BooleanField(_("wide-ranging or difficult"), default=False)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    deadline = models.DateField(_("reply due"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    rate_due = models.DateField(_("rating due"), null=True, blank=True)
    last_rating = models.CharField(
        _("rating"), max_length=20, choices=SuggestionRating.choices, blank=True, default=""
    )
    met_on = models.DateField(_("face-to-face meeting"), null=True, blank=True)
    # B and C replies stay under tracking (跟踪办理) until a further reply says it is solved.
    tracking = models.BooleanField(_("under tracking"), default=False)
    reply_class = models.CharField(_("classification"), max_length=4, blank=True, default="")
    # Key suggestions (重点建议): chosen by the council of chairpersons.
    key = models.BooleanField(_("key suggestion"), default=False)
    supervising_leader = models.CharField(_("supervising leader"), max_length=60, blank=True)
    supervising_committee = models.CharField(_("supervising committee"), max_length=60, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = actor_field()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-id"]
        indexes = [models.Index(fields=["congress", "status"], name="suggestion_congress_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class Signer(models.Model):
    """A co-signing deputy (附议/联名代表) of a joint suggestion, who confirms online."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="signer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.deputy_id}"


class ReplyClass(models.Model):
    """A classification of replies (A/B/C/D by default), per congress or the default list."""

    congress = models.ForeignKey(
        "core.Congress", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("code"), max_length=4)
    label = models.CharField(_("meaning"), max_length=100)
    label_en = models.CharField(_("English meaning"), max_length=100, blank=True)
    tracked = models.BooleanField(_("tracked until solved"), default=False)

    class Meta:
        verbose_name = _("reply classification")
        verbose_name_plural = _("reply classifications")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="reply_class_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Rules(models.Model):
    """A congress's time limits for suggestions (defaults: the national practice)."""

    congress = models.OneToOneField(
        "core.Congress", on_delete=models.CASCADE, related_name="suggestion_rules"
    )
    register_days = models.PositiveSmallIntegerField(_("registration: working days"), default=10)
    change_request_days = models.PositiveSmallIntegerField(
        _("asking to change the assignment: working days"), default=7
    )
    opinion_months = models.PositiveSmallIntegerField(
        _("co-departments' opinions: months"), default=1
    )
    answer_months = models.PositiveSmallIntegerField(_("reply: months"), default=3)
    difficult_months = models.PositiveSmallIntegerField(_("difficult items: months"), default=6)
    rate_days = models.PositiveSmallIntegerField(_("rating: days"), default=10)
    rehandle_months = models.PositiveSmallIntegerField(_("handling again: months"), default=1)

    class Meta:
        verbose_name = _("suggestion time limits")
        verbose_name_plural = _("suggestion time limits")

    def __str__(self) -> str:
        return str(self.congress)


class Assignment(models.Model):
    """One department's part in handling a suggestion (主办, 协办 or 分办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    assigned_at = models.DateTimeField(default=timezone.now)
    # Co-departments send their opinion to the lead by this day.
    opinion_due = models.DateField(_("opinion due"), null=True, blank=True)
    # Until this day the department may ask to have the assignment changed (退办).
    change_until = models.DateField(_("change may be asked until"), null=True, blank=True)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    change_requested_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)  # False once a change request is granted
    leader = models.CharField(_("responsible leader"), max_length=60, blank=True)
    officer = models.CharField(_("handling officer"), max_length=60, blank=True)
    officer_phone = models.CharField(_("officer's phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.department_id} · {self.role}"


class Contact(models.Model):
    """The department's contact with the deputy before replying (面商/电话/座谈)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    round = models.PositiveSmallIntegerField(default=1)
    method = models.CharField(_("how"), max_length=10, choices=ContactMethod.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = actor_field()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.method} {self.on}"


def _letter_path(instance: Reply, filename: str) -> str:
    return f"suggestions/{instance.suggestion_id}/{filename}"


class Reply(models.Model):
    """A department's written reply (or a co-department's opinion to the lead) in one round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(default=1)
    opinion = models.BooleanField(default=False)  # a co-department's opinion, not the reply
    further = models.BooleanField(default=False)  # a further reply under tracking
    code = models.CharField(_("classification"), max_length=4, blank=True)
    text = models.TextField(_("reply"))
    public_text = models.TextField(_("public summary"), blank=True)
    letter = models.FileField(
        _("reply letter"), upload_to=_letter_path, storage=private_storage, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    by = actor_field()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} r{self.round} {self.code}"


class Feedback(models.Model):
    """The lead deputy's rating of a round's reply (办理结果反馈意见)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(default=1)
    rating = models.CharField(_("rating"), max_length=20, choices=SuggestionRating.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = actor_field()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="feedback_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} r{self.round} {self.rating}"


class Event(models.Model):
    """An append-only step of a suggestion: who, when, what; `public` ones show on the linked
    citizens' tracking pages and the public page."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=SuggestionStatus.choices)
    actor = actor_field()
    public = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action} → {self.to_status}"


class Counter(models.Model):
    """The last number issued per congress, year and series (S/R/I/Y); bumped under a lock."""

    congress = models.ForeignKey("core.Congress", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "series"], name="suggestion_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.year}/{self.series}: {self.last}"
