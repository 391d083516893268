from django.contrib import admin

from lianluo.cases.models import Category, DeclineReason


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "congress"]


@admin.register(DeclineReason)
class DeclineReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "congress"]
