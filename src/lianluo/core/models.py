"""Areas, congresses, departments, users and roles, numbering, audit, outbox, notifications,
SMS."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village or community")


class Area(models.Model):
    """An administrative area (行政区划) by 12-digit code; `path` makes scoping a prefix."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # "/<code>/<code>/…/": every area below this one has a path starting with it (scope rule).
    path = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)

    def contains(self, other: Area) -> bool:
        return other.path.startswith(self.path)


class Congress(models.Model):
    """A people's congress of one area (乡镇人大 upward) and its case-handling settings."""

    area = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="congress")
    name = models.CharField(_("name"), max_length=100)
    # Deadlines per triage class, in days from acceptance (0 = by the end of that day).
    simple_days = models.PositiveSmallIntegerField(_("simple cases: days"), default=0)
    general_days = models.PositiveSmallIntegerField(_("general cases: days"), default=30)
    major_days = models.PositiveSmallIntegerField(_("major cases: days"), default=90)
    due_soon_days = models.PositiveSmallIntegerField(_("due soon: days before deadline"), default=3)
    # Reception days are published at least this many days ahead ("提前3天以上公示"); never < 3.
    publish_lead_days = models.PositiveSmallIntegerField(
        _("publish reception days at least N days ahead"),
        default=3,
        validators=[MinValueValidator(3)],
    )

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["area__code"]

    def __str__(self) -> str:
        return self.name

    @property
    def number_prefix(self) -> str:
        # County-level ledgers use the 6-digit county code (430321-2026-000123); townships keep 9.
        code = self.area.code
        return code[:6] if self.area.level in ("province", "city", "county") else code[:9]

    def parent_congress(self) -> Congress | None:
        area = self.area.parent
        while area is not None:
            congress = Congress.objects.filter(area=area).first()
            if congress:
                return congress
            area = area.parent
        return None


class Holiday(models.Model):
    """A day a congress lists in its own calendar, over the national one (core/workdays.py): a
    holiday (reception rules skip it, deadlines do not count it) or, with `workday`, a make-up
    workday (调休上班) that counts as a working day even on a weekend."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=50)
    workday = models.BooleanField(
        _("make-up workday"),
        default=False,
        help_text=_("A make-up workday (调休上班): counts as a working day even on a weekend."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["congress", "date"], name="holiday_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Department(models.Model):
    """A government department (承办单位) of one area that handles assigned cases."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="departments")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: staff, liaison officer, deputy, department handler, leader."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    STAFF = "staff", _("Congress staff")  # scope: an area and all below it
    LEADER = "leader", _("Leader")  # read-only, scope: an area and all below it
    LIAISON = "liaison", _("Liaison officer")  # scope: one station
    DEPUTY = "deputy", _("Deputy")  # scope: cases addressed to or handled by the deputy
    DEPARTMENT = "department", _("Department handler")  # scope: cases assigned to the department


class RoleAssignment(models.Model):
    """One role of a user, with what it is bound to (area, station, department or deputy)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_binding",
                condition=(
                    models.Q(role__in=["staff", "leader"], area__isnull=False)
                    | models.Q(role="liaison", station__isnull=False)
                    | models.Q(role="department", department__isnull=False)
                    | models.Q(role="deputy", deputy__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.area or self.station or self.department or self.deputy
        return f"{self.user} · {self.get_role_display()} · {target}"


class LedgerCounter(models.Model):
    """The last ledger number issued per congress and year; bumped under a row lock (gapless)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="ledger_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.year}: {self.last}"


class AuditLog(models.Model):
    """Append-only record of a sensitive act: a reveal of personal data, an admin change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}:{self.target_id}"


class OutboxMessage(models.Model):
    """A notification to deliver, written in the transaction that caused it (never lost)."""

    created_at = models.DateTimeField(auto_now_add=True)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # The delivery task's "due and not yet processed" query.
            models.Index(
                fields=["created_at"],
                name="outbox_pending",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class SmsMessage(models.Model):
    """A text message to a citizen's phone, written in the transaction that caused it and sent
    after commit by lianluo.core.sms (the configured provider). `template` names one of the fixed
    Chinese texts of core.sms.templates, `params` fills it: a ledger number and a tracking link,
    never a name or the text of a case. Due while `sent_at` and `failed_at` are empty and
    `due_at` has come: a failed attempt puts `due_at` off, a permanent failure or the last
    attempt sets `failed_at`."""

    created_at = models.DateTimeField(auto_now_add=True)
    phone = models.CharField(max_length=20)
    template = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    # Also the lease of a batch being sent (core.sms.services._claim), so a worker that died
    # mid-batch leaves its rows to the next one.
    due_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=100, blank=True)  # the provider's id (Aliyun BizId)

    class Meta:
        indexes = [
            # The delivery task's "due and not yet processed" query.
            models.Index(
                fields=["due_at"],
                name="sms_pending",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"


class Notification(models.Model):
    """An in-app notification shown in the user's list with an unread count."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # One in-app notification per outbox message, even if delivery is retried.
    outbox = models.OneToOneField(OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread badge in every page header.
            models.Index(fields=["user"], name="notif_unread", condition=models.Q(read_at=None))
        ]

    def __str__(self) -> str:
        return self.subject


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token of {self.user_id}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class ThrottleCounter(models.Model):
    """What a throttle remembers about one client or one username, shared by every worker
    (a per-process counter is no limit behind four workers): `count` events in the window that
    ends at `window_end`; for sign-in, `strikes` delays so far and `blocked_until`. Written only
    by lianluo.core.throttle, with atomic UPDATEs or under a row lock."""

    # "<scope>:<sha256 of the identity>": fixed length whatever a client sends.
    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_end = models.DateTimeField()
    strikes = models.PositiveSmallIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep of rows nobody has touched for a day (throttle._sweep).
            models.Index(fields=["window_end"], name="throttle_window_end")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class Generation(models.Model):
    """A number the database itself raises (triggers, installed by the app that caches) on
    every write to the tables a per-process cache reads: a cache compares the number it was
    built at with the one a transaction reads, and drops itself when they differ. Writes that
    skip Django's signals (bulk updates, imports, the admin's actions) count too."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
