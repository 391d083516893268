from django.contrib import admin

from lianluo.core.admin import tabular_inline
from lianluo.deputies.models import Deputy, Mandate

MandateInline = tabular_inline(Mandate, "congress")


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "industry", "is_official"]
    search_fields = ["code", "name"]
    inlines = [MandateInline]
    autocomplete_fields = ["grid_area", "user"]
