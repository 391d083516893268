"""The station-of-the-year votes live in the voting core now (voting 0002 moved every row)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("duty", "0002_alter_dutyitem_auto_event"),
        ("voting", "0002_station_year"),
    ]

    operations = [
        migrations.DeleteModel(name="StationVote"),
    ]
