"""The system administrator's read-only view of the catalog and the points ledger: the ledger is
append-only (corrections are reversing entries, through the points pages or the API) and the
catalog is edited on its page so every change is audited (duty_item_save)."""

from django.contrib import admin

from lianluo.duty.models import DutyItem, PointEntry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DutyItem)
class DutyItemAdmin(ReadOnly):
    list_display = [
        "congress",
        "year",
        "order",
        "code",
        "name",
        "points",
        "yearly_cap",
        "auto_event",
    ]
    list_filter = ["year", "auto_event", "evidence_required", "active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnly):
    list_display = ["occurred_on", "deputy", "item", "points", "source", "status", "created_at"]
    list_filter = ["year", "source", "status"]
    search_fields = ["deputy__code", "deputy__name", "source_key", "note"]
    list_select_related = ["deputy", "item"]
    date_hierarchy = "occurred_on"
