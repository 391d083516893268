# Every congress gets the practice's default case categories and decline reasons (before, only
# the demo seed created them, shared by all congresses). New congresses get them from
# cases.services.catalogs.catalogs_install_defaults, called when a congress is created. The
# lists are copied here, not imported: a migration replays what it did, whatever the service's
# defaults become later.

import django.db.models.deletion
from django.db import migrations, models

REASONS = [
    (
        "litigation",
        "涉法涉诉",
        "Matter in litigation",
        "该事项涉及诉讼、行政复议或仲裁，请依法向人民法院、复议机关或仲裁机构等有权机关提出。",
        "This matter is in litigation, administrative review or arbitration: please take it to "
        "the court, review body or arbitration commission that is competent.",
    ),
    (
        "petition",
        "信访事项",
        "Petition",
        "该事项属于信访事项，请向县信访局（人民来访接待中心）反映。",
        "This is a petition: please bring it to the county petition office.",
    ),
    (
        "out_of_scope",
        "不属于人大工作职责",
        "Not a matter for the congress",
        "该事项不属于人大代表联络站受理范围，请向相关主管部门反映。",
        "This is outside what the liaison station handles: please contact the competent "
        "department.",
    ),
    (
        "duplicate",
        "重复反映",
        "Already reported",
        "该问题已有他人反映并正在办理，您可以在原事项上关注进展。",
        "Someone already reported this and it is being handled.",
    ),
    (
        "insufficient",
        "信息不全",
        "Not enough information",
        "所反映情况不够具体，无法核实，欢迎补充后重新提交。",
        "We could not verify the report as given; please add details and submit again.",
    ),
]
CATEGORIES = [
    ("urban", "城乡建设", "Urban and rural construction", ""),
    ("transport", "交通出行", "Transport", ""),
    ("education", "教育", "Education", ""),
    ("health", "医疗卫生", "Health", ""),
    ("social", "社会保障", "Social security", ""),
    ("agriculture", "农业农村", "Agriculture and villages", ""),
    ("environment", "生态环境", "Environment", ""),
    ("governance", "社会治理", "Community governance", ""),
    ("litigation", "涉法涉诉", "Litigation", "litigation"),
    ("petition", "信访", "Petition", "petition"),
    ("other", "其他", "Other", ""),
]


def install(apps, schema_editor):
    Congress = apps.get_model("core", "Congress")
    Category = apps.get_model("cases", "Category")
    DeclineReason = apps.get_model("cases", "DeclineReason")
    for congress in Congress.objects.all():
        reasons = dict(
            DeclineReason.objects.filter(congress=congress).values_list("code", "pk")
        )
        for code, name, name_en, guidance, guidance_en in REASONS:
            if code not in reasons:
                reasons[code] = DeclineReason.objects.create(
                    congress=congress,
                    code=code,
                    name=name,
                    name_en=name_en,
                    guidance=guidance,
                    guidance_en=guidance_en,
                ).pk
        have = set(Category.objects.filter(congress=congress).values_list("code", flat=True))
        for code, name, name_en, reason in CATEGORIES:
            if code not in have:
                Category.objects.create(
                    congress=congress,
                    code=code,
                    name=name,
                    name_en=name_en,
                    guidance_reason_id=reasons.get(reason),
                )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_citizen_rating_summary"),
        ("core", "__first__"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        migrations.AddField(
            model_name="category",
            name="guidance_reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.declinereason",
                verbose_name="guidance shown to the citizen",
            ),
        ),
        migrations.AddField(
            model_name="declinereason",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        # Rows the congress's staff make later are theirs: nothing to undo on the way back.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
