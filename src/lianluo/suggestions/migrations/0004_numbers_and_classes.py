"""Number the suggestions filed before numbering existed (recess series, by the year they were
written), and write the national reply classifications (A–D) as the default list."""

from django.db import migrations

DEFAULT = [
    ("A", "所提问题已经解决或者基本解决", "Solved or basically solved", False),
    ("B", "正在解决或者列入规划（计划）逐步解决", "Being solved, or planned step by step", True),
    ("C", "因目前条件限制或者其他原因需待以后解决", "To be solved later, as conditions allow", True),
    ("D", "留作参考", "Kept for reference", False),
]


def forward(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Counter = apps.get_model("suggestions", "Counter")
    ReplyClass = apps.get_model("suggestions", "ReplyClass")
    for code, label, label_en, tracked in DEFAULT:
        ReplyClass.objects.get_or_create(
            congress=None, code=code,
            defaults={"label": label, "label_en": label_en, "tracked": tracked},
        )
    rows = Suggestion.objects.filter(status="filed", number=None).select_related("congress__area")
    for item in rows.order_by("created_at", "id"):
        year = item.created_at.year
        counter, _ = Counter.objects.get_or_create(congress=item.congress, year=year, series="R")
        counter.last += 1
        counter.save(update_fields=["last"])
        area = item.congress.area
        prefix = area.code[:6] if area.level in ("province", "city", "county") else area.code[:9]
        item.year = year
        item.number = f"{prefix}-{year}-R{counter.last:03d}"
        item.filed_at = item.created_at
        item.save(update_fields=["year", "number", "filed_at"])


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_workflow")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
