from django.contrib import admin

from lianluo.onboarding.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: imports are made and confirmed on the import page (services), never here."""

    list_display = ["created_at", "kind", "filename", "status", "total_rows", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["filename"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
