"""Deputies (人大代表) and their mandates at the five levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


LEVEL_ORDER = [c.value for c in Level]


class Deputy(models.Model):
    """A person who holds one or more mandates; `code` is the public code behind their QR."""

    code = models.SlugField(_("public code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(
        _("gender"), max_length=1, choices=[("m", _("Male")), ("f", _("Female"))], blank=True
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    party = models.CharField(_("party affiliation"), max_length=50, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    specialties = models.CharField(
        _("specialty tags"), max_length=200, blank=True, help_text=_("Separated by commas.")
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    is_official = models.BooleanField(_("official deputy"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # private
    grid_area = models.ForeignKey(
        "core.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid area"),
    )
    group = models.ForeignKey(
        "DeputyGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("deputy group"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def level_labels(self) -> list[str]:
        levels = {m.level for m in self.mandates.all() if m.active}
        return [str(Level(v).label) for v in LEVEL_ORDER if v in levels]


class Mandate(models.Model):
    """A deputy's seat in one congress for one term (a person may hold several levels)."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    term = models.PositiveSmallIntegerField(_("term"))
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "congress", "term"], name="mandate_unique_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_level_display()} · {self.term}"


class GroupKind(models.TextChoices):
    AREA = "area", _("Deputy group (by area)")  # 代表小组: the deputies of an area
    FIELD = "field", _("Specialist group (by field)")  # 专业小组: deputies of one field


class DeputyGroup(models.Model):
    """A deputy group (代表小组/专业小组) of one congress, with a leader among its members
    (`Deputy.group`: a deputy is in one group at most)."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=5, choices=GroupKind.choices, default=GroupKind.AREA
    )
    leader = models.ForeignKey(
        Deputy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="deputy_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Unavailability(models.Model):
    """A period in which a deputy cannot be on duty (rosters skip them)."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="unavailability_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.start}–{self.end}"
