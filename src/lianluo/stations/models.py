"""Liaison stations (联络站), who belongs to them, and their reception days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.fields import actor_field
from lianluo.core.storage import private_storage

if TYPE_CHECKING:
    from lianluo.deputies.models import Deputy


class StationKind(models.TextChoices):
    """The kinds of station; which kind may sit under which is lianluo.stations.hierarchy."""

    HUB = "hub", _("Hub station")  # 联络总站
    STATION = "station", _("Liaison station")  # 联络站
    SECTOR = "sector", _("Sector station")  # 片区联络站
    INDUSTRY = "industry", _("Industry station")  # 行业联络站
    STUDIO = "studio", _("Deputy studio")  # 代表工作室: under a station
    HOME = "home", _("Deputy home")  # 代表之家: under a studio
    CONTACT = "contact", _("Contact point")  # 联系点


class Station(models.Model):
    """A place where deputies meet citizens; `code` is the public code behind its QR."""

    code = models.SlugField(_("public code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent station"),
    )
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="stations")
    congress = models.ForeignKey(
        "core.Congress",
        on_delete=models.PROTECT,
        related_name="stations",
        help_text=_("The congress whose ledger numbers this station's cases."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    feature = models.TextField(_("feature"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    deputies: models.ManyToManyField[Deputy, StationMembership] = models.ManyToManyField(
        "deputies.Deputy", through="StationMembership", related_name="stations"
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StationMembership(models.Model):
    """A deputy grouped into a station (编组进站); `primary` is where their cases go."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="memberships")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="memberships"
    )
    primary = models.BooleanField(_("primary station"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "deputy"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["deputy"], condition=models.Q(primary=True), name="one_primary_station"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.station_id}"


class ChecklistItem(models.TextChoices):
    """The station standard (七有)."""

    PLACE = "place", _("Fixed place")  # 有固定场所
    FACILITIES = "facilities", _("Facilities")  # 有必要设施
    NOTICE = "notice", _("Public notice board")  # 有公示栏
    RULES = "rules", _("Work rules")  # 有工作制度
    LEDGERS = "ledgers", _("Ledgers")  # 有工作台账
    FUNDING = "funding", _("Funding")  # 有活动经费
    STAFF = "staff", _("Dedicated staff")  # 有专人负责


def _evidence_path(instance: StationChecklist, filename: str) -> str:
    return f"stations/{instance.station_id}/checklist/{filename}"


# Migrations reference this name; the one definition lives in core.storage.
_private_storage = private_storage


class StationChecklist(models.Model):
    """One item of a station's 七有 checklist, with its evidence."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="checklist")
    item = models.CharField(_("item"), max_length=12, choices=ChecklistItem.choices)
    done = models.BooleanField(_("in place"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=_evidence_path,
        storage=_private_storage,
        blank=True,
        max_length=200,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = actor_field(blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["station", "item"], name="checklist_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.item}"


class MasterKind(models.TextChoices):
    FIXED = "fixed", _("Fixed station master")  # 固定站长
    ROTATING = "rotating", _("Rotating station master")  # 轮值站长


class StationMaster(models.Model):
    """A station master for a period; rotating masters' periods form the rotation schedule."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="masters")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=MasterKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("station master")
        verbose_name_plural = _("station masters")
        ordering = ["station", "kind", "start"]

    def __str__(self) -> str:
        return f"{self.station_id} {self.kind} {self.deputy_id} {self.start}"


class RuleKind(models.TextChoices):
    MONTH_DAYS = "month_days", _("Days of the month")  # 逢6 = 6, 16, 26; the 15th; the 28th
    WEEKDAYS = "weekdays", _("Weekdays")  # e.g. every Wednesday
    MARKET_DAYS = "market_days", _("Listed market days")  # 赶集日, listed dates


class Assignment(models.TextChoices):
    ROTATION = "rotation", _("Rotation among the station's deputies")
    SIGNUP = "signup", _("Deputies sign up")


class ReceptionRule(models.Model):
    """How a station's reception days recur; generation turns it into ReceptionDays."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices)
    # month_days: [6, 16, 26]; weekdays: [0..6] with Monday = 0; market_days: ["2026-12-03", …]
    values = models.JSONField(_("days"), default=list)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    deputies_per_day = models.PositiveSmallIntegerField(_("deputies on duty"), default=2)
    assignment = models.CharField(
        _("assignment"), max_length=10, choices=Assignment.choices, default=Assignment.ROTATION
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reception rule")
        verbose_name_plural = _("reception rules")

    def __str__(self) -> str:
        return f"{self.station_id} {self.kind} {self.values}"


class ReceptionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # generated, not yet public
    PUBLISHED = "published", _("Published")  # on the public page and in the calendar feeds
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn (feeds carry it as cancelled)


class ReceptionDay(models.Model):
    """A day on which deputies receive citizens at the station (接待日)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="reception_days")
    rule = models.ForeignKey(
        ReceptionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="days"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReceptionStatus.choices,
        default=ReceptionStatus.PUBLISHED,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    deputies: models.ManyToManyField[Deputy, Duty] = models.ManyToManyField(
        "deputies.Deputy", through="Duty", blank=True, related_name="duties"
    )

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date", "start"], name="reception_day_unique"
            )
        ]
        indexes = [
            # The public schedule: a station's published days from today.
            models.Index(
                fields=["station", "date"],
                name="reception_published",
                condition=models.Q(status="published"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date}"


class DutySource(models.TextChoices):
    ROTATION = "rotation", _("Rotation")
    SIGNUP = "signup", _("Sign-up")
    MANUAL = "manual", _("Set by the officer")


class Duty(models.Model):
    """A deputy on duty on a reception day; `reminded_at` makes the reminder job idempotent."""

    reception_day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="duty")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=DutySource.choices, default="manual")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.UniqueConstraint(fields=["reception_day", "deputy"], name="duty_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.reception_day_id}"


class ReceptionRecord(models.Model):
    """What happened on a reception day: who came, how many citizens were received."""

    reception_day = models.OneToOneField(
        ReceptionDay, on_delete=models.CASCADE, related_name="record"
    )
    deputies_present = models.ManyToManyField("deputies.Deputy", blank=True, related_name="+")
    citizens_received = models.PositiveIntegerField(_("citizens received"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = actor_field()
    # Taken from a past year's records (onboarding's import): no duty points were credited.
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("reception record")
        verbose_name_plural = _("reception records")

    def __str__(self) -> str:
        return f"record {self.reception_day_id}"


class OfficialVisit(models.Model):
    """An official of a government department who received citizens (国家机关负责人进站)."""

    record = models.ForeignKey(ReceptionRecord, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("post"), max_length=100, blank=True)
    department = models.ForeignKey(
        "core.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("official visit")
        verbose_name_plural = _("official visits")

    def __str__(self) -> str:
        return self.name
