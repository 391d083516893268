from django.contrib import admin

from lianluo.deputies.models import Deputy, Mandate


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ["congress"]


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "industry", "is_official"]
    search_fields = ["code", "name"]
    inlines = [MandateInline]
    autocomplete_fields = ["grid_area", "user"]
