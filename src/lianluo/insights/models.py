"""Hot topics computed in the background (热点、焦点、难点), kept until the next run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicRun(models.Model):
    """One analysis of the cases of a target (area or station code) over a period."""

    scope = models.CharField(_("area or station"), max_length=32)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    computed_at = models.DateTimeField(_("computed at"))
    messages = models.PositiveIntegerField(_("messages analysed"), default=0)

    class Meta:
        verbose_name = _("hot-topic analysis")
        verbose_name_plural = _("hot-topic analyses")
        constraints = [
            models.UniqueConstraint(fields=["scope", "start", "end"], name="topic_run_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.start}–{self.end}"


class Topic(models.Model):
    """A group of cases about the same matter, with how it grew since the period before."""

    run = models.ForeignKey(TopicRun, on_delete=models.CASCADE, related_name="topics")
    rank = models.PositiveSmallIntegerField()
    label = models.CharField(_("topic"), max_length=200)
    keywords = models.JSONField(_("keywords"), default=list)
    size = models.PositiveIntegerField(_("cases in the period"))
    previous = models.PositiveIntegerField(_("cases in the period before"), default=0)
    # [[place name, cases], …] most first: the areas (or stations) where it concentrates.
    places = models.JSONField(default=list)
    cases = models.ManyToManyField("cases.Case", related_name="+")

    class Meta:
        ordering = ["run", "rank"]

    def __str__(self) -> str:
        return self.label

    @property
    def growth(self) -> int:
        return self.size - self.previous
