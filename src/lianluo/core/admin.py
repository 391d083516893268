from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import (
    Area,
    AuditLog,
    Congress,
    Department,
    RoleAssignment,
    SmsMessage,
    User,
)
from lianluo.core.sms.templates import sms_render
from lianluo.core.text import mask_phone


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "simple_days", "general_days", "major_days"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["area"]


def tabular_inline(model: type[models.Model], *autocomplete: str, extra: int = 0) -> type[Any]:
    """The admin's usual table of related rows: `model`, `extra` empty rows, and the foreign keys
    chosen by search (`autocomplete`)."""
    attrs = {"model": model, "extra": extra, "autocomplete_fields": list(autocomplete)}
    return type(f"{model.__name__}Inline", (admin.TabularInline,), attrs)


RoleInline = tabular_inline(RoleAssignment, "area", "station", "department", "deputy", extra=1)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Lianluo"), {"fields": ("display_name", "phone")}),
    )


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb"]
    readonly_fields = ["at", "actor", "verb", "target_type", "target_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """What was sent to citizens' phones, and what failed; read only (core.sms writes it)."""

    list_display = ["created_at", "masked_phone", "template", "sent_at", "failed_at", "attempts"]
    list_filter = ["template"]
    readonly_fields = (
        "created_at",
        "masked_phone",
        "text",
        "due_at",
        "sent_at",
        "failed_at",
        "attempts",
        "last_error",
        "provider_id",
    )
    fields = readonly_fields

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: SmsMessage) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("text"))
    def text(self, obj: SmsMessage) -> str:
        return sms_render(obj.template, obj.params)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
