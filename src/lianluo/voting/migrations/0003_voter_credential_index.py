"""ballot_cast with a one-time credential finds its register row by (vote, credential hash) in
the conditional update that marks it, under the write lock every other cast waits for."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0002_deputy_group"),
        ("voting", "0002_station_year"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="voter",
            index=models.Index(fields=["vote", "credential_hash"], name="voter_credential"),
        ),
    ]
