"""One voting core for every secret ballot: the session vote on livelihood projects (票决), the
year-end satisfaction vote (满意度测评) and the station of the year.

Secrecy is in the shape of the tables:

- `Voter` is the register: who may vote, who is present, who has voted. It has no timestamp and
  nothing that points at a ballot.
- `Ballot` is anonymous: a random id, the marks, how it came in (phone/device or paper). No
  voter, no time. While the vote is open its rows are in the order they came; closing the vote
  rewrites every ballot (and every receipt) with new random ids in a random order, so the stored
  order and the database's own row ids say nothing of who voted when.
- `Receipt` is a random code handed to the voter, stored apart from both: it proves that a ballot
  was counted (it is in the published list) and says nothing of what the ballot said, so nobody
  can use it to show how they voted.

The register row is marked and the ballot and receipt are written in one transaction (services),
so there is never a counted ballot without a voter who voted, nor the reverse.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SESSION = "session", _("Session vote on livelihood projects")
    SATISFACTION = "satisfaction", _("Year-end satisfaction vote")
    STATION_YEAR = "station_year", _("Station of the year")


class Method(models.TextChoices):
    """What a ballot says of each option."""

    APPROVE = "approve", _("For, against or abstain on every option")
    RATE = "rate", _("Satisfied, basically satisfied or dissatisfied with every option")
    PICK = "pick", _("One option")


class Choice(models.TextChoices):
    FOR = "for", pgettext_lazy("ballot", "For")
    AGAINST = "against", pgettext_lazy("ballot", "Against")
    ABSTAIN = "abstain", pgettext_lazy("ballot", "Abstain")
    SATISFIED = "satisfied", pgettext_lazy("ballot", "Satisfied")
    BASIC = "basic", pgettext_lazy("ballot", "Basically satisfied")
    DISSATISFIED = "dissatisfied", pgettext_lazy("ballot", "Dissatisfied")


CHOICES_OF: dict[str, tuple[str, ...]] = {
    Method.APPROVE: (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN),
    Method.RATE: (Choice.SATISFIED, Choice.BASIC, Choice.DISSATISFIED),
    Method.PICK: (Choice.FOR,),
}


class Base(models.TextChoices):
    """Whose number a majority is counted against (地方组织法 Art. 25: all deputies)."""

    ALL = "all", _("All deputies of the congress")
    PRESENT = "present", _("The deputies present")


class Status(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed and published")


class Vote(models.Model):
    """One ballot of a congress (or, for the station of the year, of everyone): its options, its
    register, its rule, its result."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    congress = models.ForeignKey(
        "core.Congress", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    runoff_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="runoffs"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    base = models.CharField(_("majority of"), max_length=8, choices=Base.choices, default=Base.ALL)
    # A share of the base, in percent: more than this passes an approval vote; at least this
    # rates an option "satisfied" (or, with basic, "basically satisfied").
    threshold_pct = models.PositiveSmallIntegerField(_("threshold (%)"), default=50)
    quota = models.PositiveSmallIntegerField(_("number to approve"), null=True, blank=True)
    # At most this many "for" marks on one ballot (应选数); a paper ballot with more is invalid.
    max_for = models.PositiveSmallIntegerField(
        _("at most this many “for” per ballot"), null=True, blank=True
    )
    # Anyone with a key may vote once (the station of the year: deputies and citizens); else only
    # the deputies on the register.
    open_electorate = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The register's size when the vote closed (the base of "all deputies"), kept with the result.
    entitled_count = models.PositiveIntegerField(default=0)
    present_count = models.PositiveIntegerField(default=0)
    voted_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-year", "pk"]
        constraints = [
            # The station of the year is one vote a year (board.station_of_year finds it by year
            # and creates it on the first ballot: two first ballots at once make one vote).
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=models.Q(kind="station_year"),
                name="station_year_once_a_year",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def choices(self) -> tuple[str, ...]:
        return CHOICES_OF[self.method]


class Option(models.Model):
    """One thing voted on: a candidate project, a project to rate, a station."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("total investment (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    completion = models.CharField(_("completion time"), max_length=100, blank=True)
    # What the option stands for in its app ("projects.project", "stations.station") and its pk.
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "subject_type", "subject_id"],
                condition=models.Q(subject_id__isnull=False),
                name="option_subject_once",
            )
        ]

    def __str__(self) -> str:
        return self.label


class Voter(models.Model):
    """A line of the register. A deputy entitled to vote (or, in an open vote, a keyed hash of
    whoever voted); whether they are present; whether their ballot is in. No time, no ballot."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=64, blank=True)  # open votes: hmac of the voter
    key_kind = models.CharField(max_length=8, blank=True)  # "deputy" / "citizen"
    present = models.BooleanField(_("present"), default=False)
    voted = models.BooleanField(_("voted"), default=False)
    paper = models.BooleanField(_("paper ballot handed out"), default=False)
    # A one-time code for a shared device at the session (sha256 of it; the code is shown once).
    credential_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("register")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "deputy"],
                condition=models.Q(deputy__isnull=False),
                name="voter_deputy_once",
            ),
            models.UniqueConstraint(
                fields=["vote", "key"], condition=~models.Q(key=""), name="voter_key_once"
            ),
        ]
        indexes = [
            # ballot_cast with a one-time credential: the conditional update that marks the
            # register row finds it by (vote, hash), under the write lock every cast waits for.
            # (Not partial: SQLite uses a partial index only when the query repeats its condition.)
            models.Index(fields=["vote", "credential_hash"], name="voter_credential"),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.deputy_id or self.key[:8]}"


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Phone or device")
    PAPER = "paper", _("Paper ballot")


class Ballot(models.Model):
    """An anonymous ballot: marks per option (`{"<option id>": "for"}`), nothing of its voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    marks = models.JSONField(default=dict)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    valid = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class Receipt(models.Model):
    """A receipt code in the list of counted ballots; linked to neither voter nor ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="receipts")
    code = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "code"], name="receipt_once_per_vote")
        ]

    def __str__(self) -> str:
        return self.code


class Result(models.Model):
    """The published count of one option, computed when the vote closed (`tally` recounts it
    from the ballots at any time)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="results")
    option = models.OneToOneField(Option, on_delete=models.CASCADE, related_name="result")
    counts = models.JSONField(default=dict)  # {"for": 12, "against": 3, "abstain": 1}
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)  # reached the majority
    selected = models.BooleanField(default=False)  # approved within the quota
    tied = models.BooleanField(default=False)  # tied at the quota's boundary: a run-off decides
    grade = models.CharField(max_length=16, blank=True)  # rate votes: satisfied/basic/dissatisfied

    class Meta:
        ordering = ["rank", "option__position"]

    def __str__(self) -> str:
        return f"{self.option} {self.counts}"
