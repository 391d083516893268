"""The citizen-case ledger (群众意见建议台账): cases, their events, photos, and catalogs."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lianluo.cases.states import AWAITING_ANSWER, CaseStatus, Channel, RatedBy, Rating, Triage
from lianluo.core.fields import actor_field
from lianluo.core.storage import private_storage


class Category(models.Model):
    """A case category (e.g. 城乡建设, 社会保障); congress-specific or shared when null. Every
    congress starts with the practice's defaults (cases.services.catalogs) and its staff edit
    them at /ledger/settings/."""

    congress = models.ForeignKey(
        "core.Congress", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    # A matter the station does not take (涉法涉诉, 信访): the citizen's form shows this reason's
    # guidance as soon as the category is chosen, before anything is sent.
    guidance_reason = models.ForeignKey(
        "cases.DeclineReason",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guidance shown to the citizen"),
    )
    # Deactivated rather than deleted: the cases filed under it keep it; it is no longer offered.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class DeclineReason(models.Model):
    """A configurable reason for not accepting a case, with the guidance shown to the citizen."""

    congress = models.ForeignKey(
        "core.Congress", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("reason"), max_length=100)
    name_en = models.CharField(_("English reason"), max_length=100, blank=True)
    guidance = models.TextField(_("guidance for the citizen"))
    guidance_en = models.TextField(_("English guidance"), blank=True)
    # Deactivated rather than deleted: declined cases keep it; it is no longer offered.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("decline reason")
        verbose_name_plural = _("decline reasons")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="decline_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def guidance_label(self) -> str:
        return self.guidance_en if get_language() == "en" and self.guidance_en else self.guidance


class Case(models.Model):
    """One matter a citizen brought, numbered in its congress's ledger and followed to its close."""

    number = models.CharField(_("ledger number"), max_length=30, unique=True)
    # Indexed by ledger_seq_unique (congress, year, seq), which leads with it.
    congress = models.ForeignKey(
        "core.Congress", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    tracking_code = models.CharField(_("tracking code"), max_length=24, unique=True)
    # Client-chosen key: a retried submission returns the case it already created, but only
    # when its digest matches (the key alone is no proof: it would hand out this case).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # SHA-256 of the submission as sent (cases.services.case_submission_digest); empty on rows
    # from before it was stored, whose key then never replays.
    submission_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("station"),
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed deputy"),
    )
    responsible_deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_cases",
        verbose_name=_("responsible deputy"),
    )
    # Copied from the station's (or congress's) area at intake: the scope rule is a prefix match.
    scope_path = models.CharField(
        max_length=200
    )  # indexed by case_scope_recent, which leads with it
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("category")
    )
    category_text = models.CharField(max_length=50, blank=True)  # as given, when not in catalog
    place = models.CharField(_("place"), max_length=200, blank=True)
    citizen_name = models.CharField(_("name"), max_length=50, blank=True)
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True)
    consent_publish = models.BooleanField(_("may publish the outcome"), default=False)

    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    triage = models.CharField(_("class"), max_length=10, choices=Triage.choices, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
        db_index=False,
    )
    decline_reason = models.ForeignKey(
        DeclineReason, on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    escalated_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_to"
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Cases taken at a reception day link back to it (reception records count them).
    reception_day = models.ForeignKey(
        "stations.ReceptionDay",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    # A duplicate closed into the case that carries it on (cases.services.merge): the citizen's
    # tracking page follows that case; the number stays in the ledger.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
        db_index=False,
    )
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    # Who gave the last rating: the citizen (tracking page, public API) or staff at a follow-up.
    rated_by = models.CharField(
        _("rated by"), max_length=10, choices=RatedBy.choices, blank=True, default=""
    )
    # The citizen's answer to "is the problem solved?" (null: not asked, or not said).
    rating_solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True, default="")
    # What the station page shows of a closed, consented case: written or edited by staff and
    # approved (cases.services.publication); until then only its category and outcome show.
    public_summary = models.TextField(_("public summary"), blank=True, default="")
    summary_approved_at = models.DateTimeField(_("summary approved at"), null=True, blank=True)
    summary_approved_by = actor_field(blank=True, db_index=False)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    # 我也遇到: citizens who tapped "me too" on the published case (one CaseSupport row each) and
    # those of the duplicates merged into it (cases.services.merge, cases.services.support).
    support_count = models.PositiveIntegerField(_("also affected"), default=0)
    # Taken from a past year's ledger (onboarding's import, its dates kept); submission_digest
    # then holds the row's identity, so that importing the file again adds nothing.
    imported = models.BooleanField(_("imported"), default=False)

    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year", "seq"], name="ledger_seq_unique"),
            # A re-import finds the rows it already wrote by their digest (onboarding.importers).
            models.UniqueConstraint(
                fields=["submission_digest"],
                condition=models.Q(imported=True),
                name="case_import_row_unique",
            ),
        ]
        indexes = [
            # The ledger list: scoped, newest first.
            models.Index(fields=["scope_path", "-created_at"], name="case_scope_recent"),
            # The ledger list filtered by status.
            models.Index(fields=["status", "-created_at"], name="case_status_recent"),
            # Links most cases never have, indexed only where set: a new case (all of them
            # empty) then writes none of these indexes (issue 13: each index of the ledger
            # is a B-tree insert and a page written by every submission).
            *(
                models.Index(
                    fields=[name],
                    name=f"case_{name}_set",
                    condition=models.Q(**{f"{name}__isnull": False}),
                )
                for name in (
                    "department",
                    "decline_reason",
                    "suggestion",
                    "reception_day",
                    "merged_into",
                    "summary_approved_by",
                )
            ),
            # Overdue / due soon: open cases by deadline.
            models.Index(
                fields=["deadline"],
                name="case_open_deadline",
                condition=~models.Q(status__in=["closed", "declined"]),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def display_title(self) -> str:
        return self.title or self.text[:30]

    def deadline_state(self, now=None) -> str:
        """'overdue', 'due_soon' or '' — computed from the deadline, never stored."""
        if not self.deadline or self.status not in AWAITING_ANSWER:
            return ""
        now = now or timezone.now()
        if self.deadline < now:
            return "overdue"
        if self.deadline < now + timedelta(days=self.congress.due_soon_days):
            return "due_soon"
        return ""


class CaseEvent(models.Model):
    """An append-only step of a case: who, when, from, to, the public and the internal note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)  # "submit", an Action, or "reveal"/"support"
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    actor = actor_field()
    public_note = models.TextField(blank=True)  # shown to the citizen on the tracking page
    staff_note = models.TextField(blank=True)  # internal, never public
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The figures of a period: a case's steps by date (covering: action and case too).
            models.Index(fields=["at", "action", "case"], name="caseevent_period"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} → {self.to_status}"


def _photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case.year}/{instance.case_id}/{filename}"


# Migrations reference this name; the one definition lives in core.storage.
_private_storage = private_storage


class CasePhoto(models.Model):
    """A photo attached by the citizen; re-encoded without EXIF, kept in private storage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, storage=_private_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.case_id}: {self.file.name}"


class CaseSupport(models.Model):
    """One "我也遇到" (me too) on a case: a citizen's tap on a published case, known only by
    keyed hashes of their device and phone (never the raw phone), or a duplicate's citizen
    carried over when it was merged into this case (`merged`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supports")
    # HMAC-SHA256 under SECRET_KEY (cases.services.support.supporter_hash); "" when not given.
    device_hash = models.CharField(max_length=64, blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="")
    merged = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Counted once per device and once per phone (case_support_add relies on these).
            models.UniqueConstraint(
                fields=["case", "device_hash"],
                condition=~models.Q(device_hash=""),
                name="casesupport_device_once",
            ),
            models.UniqueConstraint(
                fields=["case", "phone_hash"],
                condition=~models.Q(phone_hash=""),
                name="casesupport_phone_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +1"


class DuplicateProposal(models.Model):
    """A case that likely reports the same problem at the same place as a new one, found after
    the new case was recorded (cases.services.duplicates) and shown at its triage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_proposals")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()  # 0–1: how alike the two texts are
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            # A re-run of the proposal job adds nothing.
            models.UniqueConstraint(fields=["case", "other"], name="duplicate_proposal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.other_id}"
