"""The "intake" generation (core.Generation) and the triggers that raise it: intake caches a
station, its area, congress and liaison officers per process (cases.addressees) and checks the
number in each submission's transaction. Any write to those tables raises it, bulk ones too;
of the users' table only what decides a recipient (is_active), so a sign-in does not."""

from django.db import migrations

NAME = "intake"
# (table, the UPDATE columns that count: None for any)
WATCHED = [
    ("stations_station", None),
    ("core_roleassignment", None),
    ("core_area", None),
    ("core_congress", None),
    ("core_user", "is_active"),
]
BUMP = f"UPDATE core_generation SET value = value + 1 WHERE name = '{NAME}'"


def _sqlite(table: str, columns: str | None) -> list[str]:
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    return [
        f"CREATE TRIGGER {table}_gen_{kind.split()[0].lower()} AFTER {kind} ON {table} "
        f"BEGIN {BUMP}; END"
        for kind in ("INSERT", update, "DELETE")
    ]


def _postgres(table: str, columns: str | None) -> list[str]:
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    return [
        f"CREATE TRIGGER {table}_gen AFTER INSERT OR {update} OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION lianluo_generation_intake()"
    ]


def install(apps, schema_editor):
    run = schema_editor.execute
    run(f"INSERT INTO core_generation (name, value) VALUES ('{NAME}', 0)")
    if schema_editor.connection.vendor == "postgresql":
        run(
            "CREATE OR REPLACE FUNCTION lianluo_generation_intake() RETURNS trigger AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        statements = [s for table, cols in WATCHED for s in _postgres(table, cols)]
    else:
        statements = [s for table, cols in WATCHED for s in _sqlite(table, cols)]
    for statement in statements:
        run(statement)


def remove(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table, _cols in WATCHED:
            run(f"DROP TRIGGER IF EXISTS {table}_gen ON {table}")
        run("DROP FUNCTION IF EXISTS lianluo_generation_intake()")
    else:
        for table, _cols in WATCHED:
            for kind in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_gen_{kind}")
    run(f"DELETE FROM core_generation WHERE name = '{NAME}'")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_merge_support"),
        ("core", "0006_generation"),
        ("stations", "0003_station_levels"),
    ]

    operations = [migrations.RunPython(install, remove)]
