"""The system administrator's read-only view of activities. Officers and staff work on the
activity pages, through the services (which check scope, lock, notify and audit); the admin
changes nothing, so it cannot bypass them."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from lianluo.activities.models import Activity, MonthlyReminder, MonthlyTheme, Signup


class ReadOnlyMixin:
    """Nothing is added, changed or deleted here (for a model admin and an inline alike)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


class SignupInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Signup
    extra = 0
    fields = ("deputy", "created_at", "checked_in_at")
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "station", "type", "status", "start", "capacity"]
    list_filter = ["status", "type"]
    list_select_related = ["station"]
    search_fields = ["title", "station__code", "station__name"]
    date_hierarchy = "start"
    inlines = [SignupInline]


@admin.register(MonthlyTheme)
class MonthlyThemeAdmin(ReadOnlyAdmin):
    list_display = ["month", "station", "title"]
    list_select_related = ["station"]
    search_fields = ["title", "station__code", "station__name"]


@admin.register(MonthlyReminder)
class MonthlyReminderAdmin(ReadOnlyAdmin):
    list_display = ["month", "station", "sent_at"]
    list_select_related = ["station"]
