# The points pages' indexes (issue 13): the ranking's aggregate read from a partial index alone
# (year, deputy, points WHERE approved), and a deputy's archive in the index's order.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("duty", "0004_case_recorded_item"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="pointentry",
            name="points_counted",
        ),
        migrations.AddIndex(
            model_name="pointentry",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["year", "deputy", "points"],
                name="points_counted_sum",
            ),
        ),
        migrations.AddIndex(
            model_name="pointentry",
            index=models.Index(
                fields=["deputy", "year", "-occurred_on", "-id"], name="points_archive"
            ),
        ),
    ]
