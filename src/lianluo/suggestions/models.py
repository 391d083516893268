"""Deputy suggestions (代表建议). For now the record a converted case creates; the full
registration/assignment/reply workflow comes with the suggestions issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.fields import actor_field


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # created from a case, awaiting the deputy's filing
    FILED = "filed", _("Filed")  # filed by the deputy with the congress (credits points)


class Suggestion(models.Model):
    """A formal suggestion by a deputy to a congress."""

    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default="draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = actor_field()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.title
