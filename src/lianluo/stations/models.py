"""Liaison stations (联络站), who belongs to them, and their reception days."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    HUB = "hub", _("Hub station")
    STATION = "station", _("Liaison station")
    SECTOR = "sector", _("Sector station")
    INDUSTRY = "industry", _("Industry station")
    CONTACT = "contact", _("Contact point")


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
    deputies = models.ManyToManyField(
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


class ReceptionDay(models.Model):
    """A published day on which deputies receive citizens at the station (接待日)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="reception_days")
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    deputies = models.ManyToManyField("deputies.Deputy", blank=True, related_name="duties")

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "start"]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date}"
