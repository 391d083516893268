from __future__ import annotations

from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """One citizen submission, nothing more: the simple table the floor INSERTs into."""

    station = models.CharField(max_length=32)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    phone = models.CharField(max_length=20, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "floor"

    def __str__(self) -> str:
        return self.idempotency_key or str(self.pk)
