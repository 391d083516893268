from django import forms
from django.contrib import admin

from lianluo.stations.hierarchy import children_refusal, parent_refusal
from lianluo.stations.models import ReceptionDay, Station, StationMembership


class MembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["deputy"]


class StationAdminForm(forms.ModelForm):
    """The admin's station form refuses a place the hierarchy (站—室—家) does not allow."""

    class Meta:
        model = Station
        exclude = ["deputies"]  # noqa: DJ006 - the admin edits the rest; members are inline

    def clean(self) -> dict:
        data = super().clean() or {}
        kind, parent = data.get("kind"), data.get("parent")
        if not kind:
            return data
        refused = parent_refusal(kind=kind, parent_kind=parent.kind if parent else None)
        if refused is not None:
            self.add_error("parent", refused[1])
        if self.instance.pk:
            children = self.instance.children.values_list("kind", flat=True)
            refused = children_refusal(kind=kind, child_kinds=children)
            if refused is not None:
                self.add_error("kind", refused[1])
        return data


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    form = StationAdminForm
    list_display = ["code", "name", "kind", "area", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["area", "congress", "parent"]
    inlines = [MembershipInline]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["station", "date", "start", "end"]
    autocomplete_fields = ["station", "deputies"]


# ---- reception (rules, records, holidays) -------------------------------------------------
# Officers and staff work on the reception pages (through the services); the admin is the
# system administrator's view of the same rows.

from lianluo.core.models import Holiday  # noqa: E402
from lianluo.stations.models import (  # noqa: E402
    Duty,
    OfficialVisit,
    ReceptionRecord,
    ReceptionRule,
)


@admin.register(ReceptionRule)
class ReceptionRuleAdmin(admin.ModelAdmin):
    list_display = ["station", "kind", "values", "start", "end", "deputies_per_day", "active"]
    list_filter = ["kind", "assignment", "active"]
    search_fields = ["station__code", "station__name"]
    autocomplete_fields = ["station"]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["reception_day", "deputy", "source", "reminded_at"]
    list_filter = ["source"]
    list_select_related = ["reception_day__station", "deputy"]
    raw_id_fields = ["reception_day", "deputy"]


class OfficialVisitInline(admin.TabularInline):
    model = OfficialVisit
    extra = 0


@admin.register(ReceptionRecord)
class ReceptionRecordAdmin(admin.ModelAdmin):
    list_display = ["reception_day", "citizens_received", "recorded_by", "recorded_at"]
    list_select_related = ["reception_day__station", "recorded_by"]
    raw_id_fields = ["reception_day"]
    filter_horizontal = ["deputies_present"]
    inlines = [OfficialVisitInline]


if not admin.site.is_registered(Holiday):

    @admin.register(Holiday)
    class HolidayAdmin(admin.ModelAdmin):
        """Holidays a congress lists: generation skips them for its stations and those below."""

        list_display = ["date", "name", "workday", "congress"]
        list_filter = ["workday", "congress"]
        date_hierarchy = "date"
