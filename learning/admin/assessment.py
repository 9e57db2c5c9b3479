"""Admin of the career assessment: its question bank and keywords, and the learners' own
records (chats, assessments, career profiles), read-only."""

from typing import Any

from django.contrib import admin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, CareerProfile, ChatMessage


@admin.register(AssessmentQuestion)
class AssessmentQuestionAdmin(admin.ModelAdmin):
    """The career assessment's question bank, asked in ``order``; inactive ones are skipped."""

    list_display = ["text", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["text"]


@admin.register(CareerKeyword)
class CareerKeywordAdmin(admin.ModelAdmin):
    """Keywords the assessment engine scores (normalised and stemmed) per subcategory."""

    list_display = ["keyword", "subcategory", "weight"]
    list_editable = ["weight"]
    list_filter = [("subcategory__parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["subcategory__parent"]
    search_fields = ["keyword", "subcategory__name", "subcategory__parent__name"]
    autocomplete_fields = ["subcategory"]


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Chats (career assessment, wellness checks) are the user's own record: read-only here,
    removed with the account."""

    list_display = ("user", "session_type", "role", "short_message", "created_at")
    list_filter = ("session_type", "role", "created_at")
    search_fields = ("user__email", "=session_id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "user",
        "session_id",
        "session_type",
        "role",
        "message",
        "metadata",
        "engine",
        "model",
        "prompt_version",
        "prompt_tokens",
        "completion_tokens",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("message"))
    def short_message(self, message: ChatMessage) -> str:
        return Truncator(message.message).chars(80)


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Learners' own records: staff look, the learner's services write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _tokens_of_session() -> Subquery:
    """The tokens the provider counted over an assessment's chat (prompt + completion)."""
    return Subquery(
        ChatMessage.objects.filter(session_id=OuterRef("session_id"))
        .values("session_id")
        .annotate(total=Sum(Coalesce("prompt_tokens", 0) + Coalesce("completion_tokens", 0)))
        .values("total")[:1],
        output_field=IntegerField(),
    )


@admin.register(Assessment)
class AssessmentAdmin(_ReadOnlyAdmin):
    list_display = ["user", "status", "recommended_category", "engine", "tokens", "created_at", "completed_at"]
    list_filter = ["status", "engine"]
    list_select_related = ["user", "recommended_category"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["tokens"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        return super().get_queryset(request).annotate(tokens_used=_tokens_of_session())

    @admin.display(description=_("cost (tokens)"), ordering="tokens_used")
    def tokens(self, assessment: Assessment) -> int:
        """What the language model's turns cost: the tokens its provider counted, summed."""
        return int(getattr(assessment, "tokens_used", None) or 0)


@admin.register(CareerProfile)
class CareerProfileAdmin(_ReadOnlyAdmin):
    list_display = ["user", "category", "updated_at"]
    list_filter = [("category", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "category"]
    search_fields = ["user__email"]
