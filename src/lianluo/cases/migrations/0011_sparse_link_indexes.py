"""Fewer indexes for a submission to write (issue 13): the congress and the scope path are
indexed by composite indexes that lead with them (ledger_seq_unique, case_scope_recent); links
most cases never have are indexed only where set (partial indexes `case_<field>_set`)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = [
    "congress",
    "decline_reason",
    "department",
    "merged_into",
    "reception_day",
    "scope_path",
    "suggestion",
    "summary_approved_by",
]


def _names(schema_editor, model):
    """The names Django gave the single-column indexes (and PostgreSQL's `_like` twin of a
    text column's) when the fields had db_index=True."""
    table = model._meta.db_table
    for name in FIELDS:
        column = model._meta.get_field(name).column
        yield schema_editor._create_index_name(table, [column])
        yield schema_editor._create_index_name(table, [column], suffix="_like")


def drop_single_indexes(apps, schema_editor):
    model = apps.get_model("cases", "Case")
    for index in _names(schema_editor, model):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def create_single_indexes(apps, schema_editor):
    model = apps.get_model("cases", "Case")
    table = schema_editor.quote_name(model._meta.db_table)
    for name in FIELDS:
        column = model._meta.get_field(name).column
        index = schema_editor._create_index_name(model._meta.db_table, [column])
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(index)} ON {table} "
            f"({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_intake_generation"),
        ("core", "0006_generation"),
        ("deputies", "0003_deputygroup_kind"),
        ("stations", "0003_station_levels"),
        ("suggestions", "0005_register_due"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Only the indexes change: drop them by name (SQLite would otherwise rebuild the
        # whole table once per field); the fields' state follows.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_single_indexes, create_single_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="congress",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="core.congress",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="decline_reason",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="cases.declinereason",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="core.department",
                        verbose_name="department",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged",
                        to="cases.case",
                        verbose_name="merged into",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="reception_day",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="cases",
                        to="stations.receptionday",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="scope_path",
                    field=models.CharField(max_length=200),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="suggestion",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="suggestions.suggestion",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="summary_approved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("department__isnull", False)),
                fields=["department"],
                name="case_department_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("decline_reason__isnull", False)),
                fields=["decline_reason"],
                name="case_decline_reason_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("suggestion__isnull", False)),
                fields=["suggestion"],
                name="case_suggestion_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("reception_day__isnull", False)),
                fields=["reception_day"],
                name="case_reception_day_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="case_merged_into_set",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("summary_approved_by__isnull", False)),
                fields=["summary_approved_by"],
                name="case_summary_approved_by_set",
            ),
        ),
    ]
