from django.contrib import admin

from lianluo.suggestions.models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "deputy", "congress", "status", "created_at"]
    readonly_fields = ["created_at", "created_by"]
