"""The station of the year moves onto the voting core: one vote a year, and every
`duty.StationVote` row becomes a register row (its keyed hash), an anonymous ballot for its
station and a receipt. Each station's count is what it was; the ballots are written in a random
order and the register in the order of the keyed hashes, so neither says who voted when (the old
rows' sequential ids did)."""

import secrets

from django.db import migrations, models
from django.utils import timezone

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _code(rng: secrets.SystemRandom) -> str:
    raw = "".join(rng.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def station_votes_forward(apps, schema_editor):
    StationVote = apps.get_model("duty", "StationVote")
    Station = apps.get_model("stations", "Station")
    Vote = apps.get_model("voting", "Vote")
    Option = apps.get_model("voting", "Option")
    Voter = apps.get_model("voting", "Voter")
    Ballot = apps.get_model("voting", "Ballot")
    Receipt = apps.get_model("voting", "Receipt")
    rng = secrets.SystemRandom()
    for year in sorted(set(StationVote.objects.values_list("year", flat=True))):
        rows = list(
            StationVote.objects.filter(year=year).values_list("station_id", "voter_kind", "voter_key")
        )
        vote = Vote.objects.create(
            kind="station_year",
            method="pick",
            congress=None,
            year=year,
            title=f"{year}年度人民满意代表联络站",
            status="open",
            open_electorate=True,
            opened_at=timezone.now(),
        )
        names = dict(
            Station.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "name")
        )
        option_of = {}
        for position, station_id in enumerate(sorted(names), start=1):
            option_of[station_id] = Option.objects.create(
                vote=vote,
                position=position,
                label=names[station_id],
                subject_type="stations.station",
                subject_id=station_id,
            ).pk
        Voter.objects.bulk_create(
            [
                Voter(vote=vote, key=key, key_kind=kind, present=True, voted=True)
                for _station, kind, key in sorted(rows, key=lambda r: r[2])
            ]
        )
        marks = [{str(option_of[station_id]): "for"} for station_id, _kind, _key in rows]
        rng.shuffle(marks)
        Ballot.objects.bulk_create(
            [Ballot(vote=vote, marks=m, channel="electronic", valid=True) for m in marks]
        )
        codes: set[str] = set()
        while len(codes) < len(rows):
            codes.add(_code(rng))
        Receipt.objects.bulk_create([Receipt(vote=vote, code=c) for c in sorted(codes)])


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
        ("duty", "0002_alter_dutyitem_auto_event"),
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="vote",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "station_year")),
                fields=("kind", "year"),
                name="station_year_once_a_year",
            ),
        ),
        migrations.RunPython(station_votes_forward, migrations.RunPython.noop),
    ]
