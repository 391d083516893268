"""Station activities (站点活动): monthly themes, sign-up, QR check-in, attendance, photos."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.fields import actor_field
from lianluo.core.storage import private_storage


class ActivityType(models.TextChoices):
    RESEARCH = "research", _("Research")  # 调研
    INSPECTION = "inspection", _("Inspection")  # 视察
    LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection")  # 执法检查
    SYMPOSIUM = "symposium", _("Symposium")  # 座谈
    TRAINING = "training", _("Training")  # 学习培训
    MEETING = "meeting", _("Attending a meeting")  # 列席会议
    PUBLICITY = "publicity", _("Publicity")  # 宣讲
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being prepared by the officer
    PUBLISHED = "published", _("Published")  # open for sign-up
    DONE = "done", _("Held")  # took place; attendance and summary recorded
    CANCELLED = "cancelled", _("Cancelled")


class MonthlyTheme(models.Model):
    """The station's theme of the month (每月一主题)."""

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="themes")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    title = models.CharField(_("theme"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="theme_unique")]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """An activity a station organises for its deputies."""

    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, related_name="activities"
    )
    type = models.CharField(_("type"), max_length=16, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        MonthlyTheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion", blank=True, related_name="+", verbose_name=_("suggestions")
    )
    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Signup(models.Model):
    """A deputy signed up for an activity; `checked_in_at` is set by the QR check-in."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="signup_unique")]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.activity_id}"


def _photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"activities/{instance.activity_id}/{filename}"


# Migrations reference this name; the one definition lives in core.storage.
_private_storage = private_storage


class ActivityPhoto(models.Model):
    """A photo of an activity (re-encoded without EXIF)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, storage=_private_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name


class MonthlyReminder(models.Model):
    """Marks that a station's monthly activity reminder went out (the job runs idempotently)."""

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "month"], name="monthly_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month}"
