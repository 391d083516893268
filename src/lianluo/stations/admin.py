from django.contrib import admin

from lianluo.stations.models import ReceptionDay, Station, StationMembership


class MembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["area", "congress", "parent"]
    inlines = [MembershipInline]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["station", "date", "start", "end"]
    autocomplete_fields = ["station", "deputies"]
