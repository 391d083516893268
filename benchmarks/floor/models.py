from __future__ import annotations

import uuid

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


class Voter(models.Model):
    """A register row: a one-time credential's hash, spent by the ballot."""

    vote = models.PositiveIntegerField()
    credential_hash = models.CharField(max_length=64, blank=True)
    voted = models.BooleanField(default=False)

    class Meta:
        app_label = "floor"
        indexes = [models.Index(fields=["vote", "credential_hash"], name="floor_voter_credential")]

    def __str__(self) -> str:
        return f"{self.vote} {self.pk}"


class Ballot(models.Model):
    """An anonymous ballot: a random id and the marks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    vote = models.PositiveIntegerField()
    marks = models.JSONField(default=dict)

    class Meta:
        app_label = "floor"

    def __str__(self) -> str:
        return str(self.id)


class Receipt(models.Model):
    """A receipt code, unique in its vote."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    vote = models.PositiveIntegerField()
    code = models.CharField(max_length=20)

    class Meta:
        app_label = "floor"
        constraints = [models.UniqueConstraint(fields=["vote", "code"], name="floor_receipt_once")]

    def __str__(self) -> str:
        return self.code
