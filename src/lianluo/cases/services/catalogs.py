"""The case catalogs of a congress: its categories and its decline reasons (with the guidance
the citizen is given). Every congress starts with the practice's defaults — installed for the
existing congresses by migration cases 0008 and for each new one by `catalogs_install_defaults`,
which cases.apps connects to the creation of a congress (core knows nothing of cases). Its staff
then edit them at /ledger/settings/: a row a case names is deactivated, never deleted."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Category, DeclineReason
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.selectors import first_or_not_found
from lianluo.core.services import audit_record


class DefaultReason(NamedTuple):
    code: str
    name: str
    name_en: str
    guidance: str
    guidance_en: str


class DefaultCategory(NamedTuple):
    code: str
    name: str
    name_en: str
    guidance_reason: str = ""  # the code of the reason whose guidance the form shows


# The matters a liaison station does not take and where the citizen goes instead: the practice
# "结合代表接待受理范围，耐心告知群众解决问题的正确程序" (《联络动态》, 引导群众信访).
DEFAULT_REASONS = (
    DefaultReason(
        "litigation",
        "涉法涉诉",
        "Matter in litigation",
        "该事项涉及诉讼、行政复议或仲裁，请依法向人民法院、复议机关或仲裁机构等有权机关提出。",
        "This matter is in litigation, administrative review or arbitration: please take it to "
        "the court, review body or arbitration commission that is competent.",
    ),
    DefaultReason(
        "petition",
        "信访事项",
        "Petition",
        "该事项属于信访事项，请向县信访局（人民来访接待中心）反映。",
        "This is a petition: please bring it to the county petition office.",
    ),
    DefaultReason(
        "out_of_scope",
        "不属于人大工作职责",
        "Not a matter for the congress",
        "该事项不属于人大代表联络站受理范围，请向相关主管部门反映。",
        "This is outside what the liaison station handles: please contact the competent "
        "department.",
    ),
    DefaultReason(
        "duplicate",
        "重复反映",
        "Already reported",
        "该问题已有他人反映并正在办理，您可以在原事项上关注进展。",
        "Someone already reported this and it is being handled.",
    ),
    DefaultReason(
        "insufficient",
        "信息不全",
        "Not enough information",
        "所反映情况不够具体，无法核实，欢迎补充后重新提交。",
        "We could not verify the report as given; please add details and submit again.",
    ),
)

DEFAULT_CATEGORIES = (
    DefaultCategory("urban", "城乡建设", "Urban and rural construction"),
    DefaultCategory("transport", "交通出行", "Transport"),
    DefaultCategory("education", "教育", "Education"),
    DefaultCategory("health", "医疗卫生", "Health"),
    DefaultCategory("social", "社会保障", "Social security"),
    DefaultCategory("agriculture", "农业农村", "Agriculture and villages"),
    DefaultCategory("environment", "生态环境", "Environment"),
    DefaultCategory("governance", "社会治理", "Community governance"),
    DefaultCategory("litigation", "涉法涉诉", "Litigation", guidance_reason="litigation"),
    DefaultCategory("petition", "信访", "Petition", guidance_reason="petition"),
    DefaultCategory("other", "其他", "Other"),
)


@transaction.atomic
def catalogs_install_defaults(congress: Congress) -> tuple[list[Category], list[DeclineReason]]:
    """Give a congress the default categories and decline reasons. A code the congress already
    has is left as its staff made it, so installing twice changes nothing. Called when a
    congress is created (the system acts: no actor, no audit); returns the rows created."""
    have_reasons = dict(DeclineReason.objects.filter(congress=congress).values_list("code", "pk"))
    reasons = [
        DeclineReason.objects.create(congress=congress, **d._asdict())
        for d in DEFAULT_REASONS
        if d.code not in have_reasons
    ]
    have_reasons.update({r.code: r.pk for r in reasons})
    have_categories = set(Category.objects.filter(congress=congress).values_list("code", flat=True))
    categories = [
        Category.objects.create(
            congress=congress,
            code=d.code,
            name=d.name,
            name_en=d.name_en,
            guidance_reason_id=have_reasons.get(d.guidance_reason),
        )
        for d in DEFAULT_CATEGORIES
        if d.code not in have_categories
    ]
    return categories, reasons


def congress_created(sender: Any, instance: Congress, created: bool, raw: bool, **_: Any) -> None:
    """post_save of core.Congress (connected in cases.apps): a new congress gets the defaults.
    A fixture load (`raw`) brings its own rows."""
    if created and not raw:
        catalogs_install_defaults(instance)


# --- edits by the congress's staff ---

CATEGORY_FIELDS = ("code", "name", "name_en", "guidance_reason", "active")
REASON_FIELDS = ("code", "name", "name_en", "guidance", "guidance_en", "active")


def require_catalog_staff(actor: User, congress: Congress) -> None:
    """Congress staff whose area covers the congress (or the system administrator); anyone
    else is told the congress does not exist."""
    if not scope_for(actor).covers_path(congress.area.path, acting=True):
        raise NotFound(CoreCode.NOT_FOUND, _("Congress not found."))


def _check_code(model: type[Category] | type[DeclineReason], row: Any, congress: Congress) -> None:
    if not row.code:
        raise DomainError(CaseCode.INVALID_VALUE, _("Enter a code."), field="code")
    taken = model.objects.filter(congress=congress, code=row.code).exclude(pk=row.pk).exists()
    if taken:
        raise DomainError(
            CaseCode.INVALID_VALUE, _("This congress already uses this code."), field="code"
        )


def _apply(
    row: Any, changes: dict[str, Any], fields: tuple[str, ...]
) -> tuple[dict[str, str], dict[str, str]]:
    unknown = set(changes) - set(fields)
    if unknown:
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown field."), field=sorted(unknown)[0])
    before = {f: str(getattr(row, f)) for f in fields}
    for name, value in changes.items():
        setattr(row, name, value)
    after = {f: str(getattr(row, f)) for f in fields}
    return (
        {k: v for k, v in before.items() if after[k] != v},
        {k: v for k, v in after.items() if before[k] != v},
    )


def _save(row: Category | DeclineReason) -> None:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # two staff adding one code at once
        raise DomainError(
            CaseCode.INVALID_VALUE, _("This congress already uses this code."), field="code"
        ) from exc


@transaction.atomic
def category_save(
    *, actor: User, congress: Congress, category: Category | None, changes: dict[str, Any]
) -> Category:
    """Add a category to a congress's catalog (`category` None) or edit one of its own:
    its code, names, the reason whose guidance the citizen's form shows, and whether it is
    offered. The cases filed under it keep it whatever changes. Audited before and after."""
    require_catalog_staff(actor, congress)
    if category is None:
        row = Category(congress=congress)
    else:
        row = first_or_not_found(
            Category.objects.select_for_update().filter(pk=category.pk, congress=congress),
            _("Not found."),
        )
    reason = changes.get("guidance_reason")
    if reason is not None and reason.congress_id not in (congress.pk, None):
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown reason."), field="guidance_reason")
    before, after = _apply(row, changes, CATEGORY_FIELDS)
    _check_code(Category, row, congress)
    if not row.name:
        raise DomainError(CaseCode.INVALID_VALUE, _("Enter a name."), field="name")
    _save(row)
    audit_record(
        actor=actor,
        verb="case_category.add" if category is None else "case_category.change",
        target=row,
        data={"congress": congress.pk, "before": before, "after": after},
    )
    return row


@transaction.atomic
def decline_reason_save(
    *, actor: User, congress: Congress, reason: DeclineReason | None, changes: dict[str, Any]
) -> DeclineReason:
    """Add a decline reason to a congress's catalog (`reason` None) or edit one of its own: its
    code, names, the guidance the citizen is given, and whether it is offered. Declined cases
    keep their reason. Audited before and after."""
    require_catalog_staff(actor, congress)
    if reason is None:
        row = DeclineReason(congress=congress)
    else:
        row = first_or_not_found(
            DeclineReason.objects.select_for_update().filter(pk=reason.pk, congress=congress),
            _("Not found."),
        )
    before, after = _apply(row, changes, REASON_FIELDS)
    _check_code(DeclineReason, row, congress)
    if not row.name:
        raise DomainError(CaseCode.INVALID_VALUE, _("Enter a name."), field="name")
    if not row.guidance:
        raise DomainError(
            CaseCode.INVALID_VALUE, _("Tell the citizen where to go instead."), field="guidance"
        )
    _save(row)
    audit_record(
        actor=actor,
        verb="decline_reason.add" if reason is None else "decline_reason.change",
        target=row,
        data={"congress": congress.pk, "before": before, "after": after},
    )
    return row
