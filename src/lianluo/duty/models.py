"""Deputies' duty archive and points (一代表一码一档案 · 积分管理 · 评分—公示—应用).

Points are an append-only ledger (PointEntry): automatic from platform events, registered by a
liaison officer, or self-reported and verified. Corrections are reversing entries, never edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.storage import private_storage

if TYPE_CHECKING:
    from lianluo.deputies.models import Deputy


class AutoEvent(models.TextChoices):
    """Platform events that credit a duty item automatically."""

    NONE = "", _("None (registered or self-reported)")
    RECEPTION_ATTENDED = "reception_attended", _("Reception day attended")
    ACTIVITY_CHECKED_IN = "activity_checked_in", _("Activity checked in")
    CASE_ANSWERED = "case_answered", _("Case answered by the deputy")
    CASE_CLOSED = "case_closed", _("Case followed up or closed by the deputy")
    CASE_RECORDED = "case_recorded", _("Case recorded by the deputy (visit, reception)")
    SUGGESTION_FILED = "suggestion_filed", _("Suggestion filed")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    VOTE_CAST = "vote_cast", _("Voted in a congress's secret ballot")
    PROJECT_SUPERVISED = "project_supervised", _("Took part in supervising a livelihood project")


class DutyItem(models.Model):
    """A catalog item (积分事项) of one congress for one year; editing a year's catalog never
    rewrites the points already credited (entries keep their own points)."""

    congress = models.ForeignKey("core.Congress", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    yearly_cap = models.DecimalField(
        _("yearly cap"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Empty: no cap."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    auto_event = models.CharField(
        _("credited automatically by"), max_length=24, choices=AutoEvent.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        ordering = ["congress", "year", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year", "code"], name="duty_item_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EntrySource(models.TextChoices):
    AUTO = "auto", _("Automatic")  # from a platform event
    REGISTERED = "registered", _("Registered by an officer")  # with evidence
    SELF_REPORTED = "self_reported", _("Self-reported")  # verified by an officer
    REVERSAL = "reversal", _("Correction")  # reverses another entry


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    APPROVED = "approved", _("Counted")
    REJECTED = "rejected", _("Rejected")


def _evidence_path(instance: PointEntry, filename: str) -> str:
    return f"duty/{instance.year}/{instance.deputy_id}/{filename}"


# Migrations reference this name; the one definition lives in core.storage.
_private_storage = private_storage


class PointEntry(models.Model):
    """One line of a deputy's points ledger. Only approved entries count."""

    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="point_entries"
    )
    item = models.ForeignKey(DutyItem, on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField(_("year"))
    occurred_on = models.DateField(_("date"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    source = models.CharField(_("source"), max_length=14, choices=EntrySource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.APPROVED
    )
    # The event that credited it ("activity_checkin:42:7"): crediting the same event twice is
    # refused by the unique constraint, so a replayed event credits nothing more.
    source_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    station = models.ForeignKey(
        "stations.Station", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=_evidence_path,
        storage=_private_storage,
        blank=True,
        max_length=200,
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # Rankings: a year's counted points per deputy, read from the index alone
            # (points is a key column: SQLite has no INCLUDE).
            models.Index(
                fields=["year", "deputy", "points"],
                name="points_counted_sum",
                condition=models.Q(status="approved"),
            ),
            # A deputy's archive: the year's entries newest first (the latest 50 without a
            # sort), its totals, the years with entries.
            models.Index(
                fields=["deputy", "year", "-occurred_on", "-id"],
                name="points_archive",
            ),
            # The officer's verification queue.
            models.Index(
                fields=["created_at"],
                name="points_pending",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.item_id} {self.points}"


class Family(models.Model):
    """A family in difficulty paired with deputies (结对帮扶). Minimal personal data, visible
    only to the people who handle it."""

    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("family"), max_length=50, help_text=_("e.g. 张某某家"))
    situation = models.TextField(_("situation"), blank=True)
    members = models.PositiveSmallIntegerField(_("household members"), default=1)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    plan = models.TextField(_("support plan"), blank=True)
    deputies: models.ManyToManyField[Deputy, Pairing] = models.ManyToManyField(
        "deputies.Deputy", through="Pairing", related_name="families"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supported family")
        verbose_name_plural = _("supported families")

    def __str__(self) -> str:
        return self.label


class Pairing(models.Model):
    """A deputy paired with a family from a date."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="pairings")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["family", "deputy"], name="pairing_unique")]

    def __str__(self) -> str:
        return f"{self.deputy_id} ↔ {self.family_id}"


class SupportKind(models.TextChoices):
    VISIT = "visit", _("Visit")  # 走访慰问
    IN_KIND = "in_kind", _("Support in kind")  # 捐物
    MONEY = "money", _("Money")  # 捐款


class SupportRecord(models.Model):
    """A visit or support given to a paired family; bulletins add these up."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="support")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=SupportKind.choices)
    # Value in yuan of money or goods (0 for a plain visit).
    value_yuan = models.DecimalField(_("value (yuan)"), max_digits=10, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("support record")
        verbose_name_plural = _("support records")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.family_id} {self.date} {self.kind}"


class TargetScope(models.TextChoices):
    DEPUTY = "deputy", _("Each deputy")  # e.g. the deputy's 五个一
    GROUP = "group", _("Each deputy group")  # the group's 五个一


class TargetSet(models.Model):
    """A configurable set of yearly targets, e.g. 五个一: counts of duty items to reach."""

    congress = models.ForeignKey("core.Congress", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("for"), max_length=8, choices=TargetScope.choices)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("target set")
        verbose_name_plural = _("target sets")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """One target of a set: reach `count` approved entries of the items with this code."""

    target_set = models.ForeignKey(TargetSet, on_delete=models.CASCADE, related_name="targets")
    label = models.CharField(_("target"), max_length=100)
    item_code = models.SlugField(_("duty item code"), max_length=40)
    count = models.PositiveSmallIntegerField(_("count"), default=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class Campaign(models.Model):
    """A themed campaign (主题活动) over a period, with the congresses taking part."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    congresses = models.ManyToManyField("core.Congress", related_name="+")
    target_set = models.ForeignKey(
        TargetSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """A ranking published on the public board (阳光栏公示) with an objection window."""

    congress = models.ForeignKey("core.Congress", on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    published_at = models.DateTimeField(_("published"))
    visible_until = models.DateField(_("shown until"))
    objection_deadline = models.DateTimeField(_("objections until"))
    # The ranking as published: [{rank, deputy, name, points}] — fixed at publication.
    ranking = models.JSONField(default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")  # the entry is corrected
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """A deputy disputes an entry of a published ranking within the objection window."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="objections"
    )
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        PointEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default="open"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.publication_id} {self.deputy_id}"


class Grade(models.Model):
    """Annual evaluation threshold: at least `min_points` in the year earns this grade."""

    congress = models.ForeignKey("core.Congress", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("grade"), max_length=20)
    min_points = models.DecimalField(_("minimum points"), max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        ordering = ["-min_points"]

    def __str__(self) -> str:
        return self.label
