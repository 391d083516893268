from django.contrib import admin

from lianluo.suggestions.models import (
    Assignment,
    Event,
    Feedback,
    Reply,
    ReplyClass,
    Rules,
    Signer,
    Suggestion,
)


class SignerInline(admin.TabularInline):
    model = Signer
    extra = 0
    raw_id_fields = ["deputy"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    readonly_fields = ["department", "role", "assigned_at", "active"]
    can_delete = False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ReplyInline(ReadOnlyInline):
    model = Reply


class FeedbackInline(ReadOnlyInline):
    model = Feedback


class EventInline(ReadOnlyInline):
    model = Event


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Read and correct; the workflow itself runs through the pages and the API (every step
    an event and an audit entry), so the status is not edited here."""

    list_display = ["number", "title", "deputy", "congress", "kind", "status", "deadline", "key"]
    list_filter = ["kind", "status", "key", "congress"]
    search_fields = ["number", "title"]
    readonly_fields = [
        "number",
        "status",
        "created_at",
        "created_by",
        "filed_at",
        "registered_at",
        "assigned_at",
        "replied_at",
        "closed_at",
        "round",
        "last_rating",
    ]
    raw_id_fields = ["deputy", "merged_into"]
    inlines = [SignerInline, AssignmentInline, ReplyInline, FeedbackInline, EventInline]


@admin.register(ReplyClass)
class ReplyClassAdmin(admin.ModelAdmin):
    """The reply classifications: rows without a congress are the default list (A–D); a
    congress that lists its own uses only those."""

    list_display = ["code", "label", "tracked", "congress"]
    list_filter = ["congress"]


@admin.register(Rules)
class RulesAdmin(admin.ModelAdmin):
    list_display = [
        "congress",
        "register_days",
        "change_request_days",
        "answer_months",
        "difficult_months",
        "rate_days",
        "rehandle_months",
    ]
