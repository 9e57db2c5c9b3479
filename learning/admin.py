"""Admin of learning: the catalog (categories, courses › modules › lessons with ordering
fields), reviews, certificates. Publishing, deleting reviews, revoking and reinstating
certificates and rendering their PDFs go through services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_actions import admin_action_form_response
from accounts.errors import ApplicationError
from learning.models import (
    Assessment,
    AssessmentQuestion,
    Assignment,
    CareerKeyword,
    CareerPathway,
    CareerProfile,
    Category,
    Certificate,
    ChatMessage,
    Course,
    CourseReview,
    Enrollment,
    InstructorProfile,
    Lesson,
    LessonProgress,
    Module,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
    Payment,
    StripeEvent,
    Submission,
    SuccessStory,
)
from learning.rendering import lesson_video, markdown_to_safe_html, price_display
from learning.selectors import certificate_pdf_url, certificate_state_q, instructor_user_is_active
from learning.services import (
    certificate_reinstate,
    certificate_render_pdf_again,
    certificate_revoke,
    course_publish,
    course_unpublish,
    enrollment_pause,
    enrollment_progress_refresh,
    enrollment_resume,
    instructor_grant,
    instructor_revoke,
    review_delete,
    story_publish,
    story_unpublish,
)
from learning.services.certificates import REASON_MAX_LENGTH as CERTIFICATE_REASON_MAX_LENGTH
from learning.services.payments import enrollment_grant

# Lesson video URLs are typed without a scheme at times: assume https (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ("name", "slug", "order", "description")
    prepopulated_fields = {"slug": ("name",)}
    verbose_name = _("subcategory")
    verbose_name_plural = _("subcategories")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_editable = ("order",)
    search_fields = ("name", "slug", "parent__name")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SubcategoryInline]
    ordering = ("parent__order", "parent__name", "order", "name")

    def get_inline_instances(self, request: HttpRequest, obj: Category | None = None) -> list:
        # Two levels only: a subcategory has no subcategories of its own.
        return [] if obj is not None and obj.parent_id else super().get_inline_instances(request, obj)

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("order", "title", "lesson_count")
    readonly_fields = ("lesson_count",)
    ordering = ("order", "created_at")
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Module]:
        return super().get_queryset(request).annotate(lesson_total=Count("lessons"))

    @admin.display(description=_("lessons"))
    def lesson_count(self, module: Module) -> int:
        return getattr(module, "lesson_total", 0)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "subcategory", "level", "price", "instructor", "published", "published_at")
    list_filter = ("published", "level", ("category", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "title",
        "slug",
        "description",
        "instructor__email",
        "instructor__first_name",
        "instructor__last_name",
    )
    list_select_related = ("category", "subcategory__parent", "instructor")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("instructor",)
    readonly_fields = ("published", "published_at", "created_at", "updated_at")
    date_hierarchy = "published_at"
    inlines = [ModuleInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "thumbnail")}),
        (_("Catalog"), {"fields": ("category", "subcategory", "level", "estimated_hours", "instructor")}),
        (_("Price"), {"fields": ("price_cents", "currency")}),
        (
            _("Publication"),
            {
                "fields": ("published", "published_at", "created_at", "updated_at"),
                "description": _("Use the “Publish” and “Unpublish” actions of the course list."),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in ("category", "subcategory"):
            # A subcategory's name shows its parent ("Music › Producer"): load both at once.
            kwargs["queryset"] = Category.objects.select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("price"), ordering="price_cents")
    def price(self, course: Course) -> str:
        return price_display(price_cents=course.price_cents, currency=course.currency)

    def _publish(self, request: HttpRequest, queryset: QuerySet[Course], *, publish: bool) -> None:
        service = course_publish if publish else course_unpublish
        changed = sum(1 for course in queryset if service(course=course))
        message = ngettext("%(count)d course changed.", "%(count)d courses changed.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected courses"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._publish(request, queryset, publish=True)

    @admin.action(description=_("Unpublish the selected courses (hidden from learners)"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._publish(request, queryset, publish=False)


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    fields = ("order", "title", "duration_minutes", "video_url")
    ordering = ("order", "created_at")
    show_change_link = True
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "order")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)
    ordering = ("course__title", "order", "created_at")
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "module", "course", "order", "duration_minutes")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "module__title", "course__title")
    list_select_related = ("module", "course")
    autocomplete_fields = ("module",)
    ordering = ("course__title", "module__order", "order")
    readonly_fields = ("course", "content_preview", "video_preview", "created_at", "updated_at")
    formfield_overrides = URL_FIELD_OVERRIDES
    fields = (
        "module",
        "course",
        "title",
        "order",
        "duration_minutes",
        "video_url",
        "video_preview",
        "content",
        "content_preview",
        "created_at",
        "updated_at",
    )

    @admin.display(description=_("content as learners see it"))
    def content_preview(self, lesson: Lesson) -> SafeString:
        # Safe to mark: markdown_to_safe_html sanitises with an allowlist.
        return mark_safe(f'<div class="lesson-content-preview">{markdown_to_safe_html(lesson.content)}</div>')

    @admin.display(description=_("video as learners see it"))
    def video_preview(self, lesson: Lesson) -> str:
        video = lesson_video(lesson.video_url)
        if video is None:
            return "—"
        if video.is_embed:
            return format_html(
                '{} video, embedded from <a href="{}">{}</a>', video.provider, video.embed_url, video.embed_url
            )
        return format_html('Shown as a link: <a href="{}" rel="noopener nofollow">{}</a>', video.url, video.url)


@admin.register(CourseReview)
class CourseReviewAdmin(admin.ModelAdmin):
    """Reviews are the learners' own words: staff read and delete them (moderation), never edit."""

    list_display = ("course", "user", "rating", "created_at")
    list_filter = ("rating", ("course", admin.RelatedOnlyFieldListFilter))
    search_fields = ("course__title", "user__email", "comment")
    list_select_related = ("course", "user")
    readonly_fields = ("course", "user", "rating", "comment", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CourseReview | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: CourseReview) -> None:
        review_delete(user=request.user, review=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CourseReview]) -> None:
        for review in queryset:
            review_delete(user=request.user, review=review)


class CertificateStateFilter(admin.SimpleListFilter):
    """Filter by the certificate's state now (valid, revoked, expired)."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Certificate.State.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
        if self.value() in Certificate.State.values:
            return queryset.filter(certificate_state_q(self.value()))
        return queryset


class CertificateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=CERTIFICATE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("The holder is told this reason in a notification."),
        error_messages={"required": _("Give a reason: the holder is told it.")},
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued by the service when a course completes, never added or edited
    by hand: staff revoke, reinstate (each with a reason, told to the holder) and render the
    PDF again; the number never changes."""

    list_display = ("number", "holder_name", "user", "course_title", "issued_at", "state_display", "pdf_ready")
    list_filter = (CertificateStateFilter, "issued_at")
    search_fields = ("=number", "number", "holder_name", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "issued_at"
    ordering = ("-issued_at",)
    actions = ["revoke_certificates", "reinstate_certificates", "render_pdf_again"]
    fields = (
        "number",
        "state_display",
        "user",
        "holder_name",
        "course",
        "course_title",
        "enrollment",
        "issued_at",
        "valid_until",
        "revoked_at",
        "revoked_reason",
        "pdf_link",
        "pdf_rendered_at",
        "verification_link",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued by learning.services.certificate_issue when a course completes

    @admin.display(description=_("state"))
    def state_display(self, certificate: Certificate) -> str:
        return str(Certificate.State(certificate.state).label)

    @admin.display(description=_("PDF"), boolean=True)
    def pdf_ready(self, certificate: Certificate) -> bool:
        return certificate.pdf_id is not None

    @admin.display(description=_("PDF"))
    def pdf_link(self, certificate: Certificate) -> str:
        url = certificate_pdf_url(certificate=certificate)
        if url is None:
            return str(_("Being prepared"))
        return format_html('<a href="{}">{}</a>', url, _("Download (link valid for a few minutes)"))

    @admin.display(description=_("verification page"))
    def verification_link(self, certificate: Certificate) -> str:
        url = reverse("certificate-verify-detail", kwargs={"number": certificate.number})
        # With the verification code: the page as the holder shares it (names the holder).
        return format_html('<a href="{}?code={}">{}</a>', url, certificate.verification_token, url)

    def _ask_reason(
        self, request: HttpRequest, queryset: QuerySet[Certificate], *, title: str, change: Callable[..., Certificate]
    ) -> HttpResponse | None:
        """The intermediate page of revoke and reinstate: a required reason, then the service
        for each selected certificate (each one's refusal reported, the others done)."""
        form = CertificateReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done, refused = 0, []
            for certificate in queryset:
                try:
                    change(certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user)
                except (ApplicationError, ValidationError, PermissionDenied) as exc:
                    refused.append(getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)])))
                    continue
                self.log_change(request, certificate, f"{title}: {form.cleaned_data['reason']}")
                done += 1
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d certificate changed.", "%(count)d certificates changed.", done)
                    % {"count": done},
                    messages.SUCCESS,
                )
            for message in refused:
                self.message_user(request, message, messages.WARNING)
            return None
        return admin_action_form_response(
            self,
            request,
            title=title,
            form=form,
            selected=queryset.select_related(None).select_related("user"),
            template="admin/learning/certificate/reason.html",
        )

    @admin.action(description=_("Revoke the selected certificates (asks for a reason)"), permissions=["change"])
    def revoke_certificates(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> HttpResponse | None:
        return self._ask_reason(request, queryset, title=str(_("Revoke certificates")), change=certificate_revoke)

    @admin.action(description=_("Reinstate the selected certificates (asks for a reason)"), permissions=["change"])
    def reinstate_certificates(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> HttpResponse | None:
        return self._ask_reason(request, queryset, title=str(_("Reinstate certificates")), change=certificate_reinstate)

    @admin.action(description=_("Render the PDF again (same number)"), permissions=["change"])
    def render_pdf_again(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> None:
        count = 0
        for certificate in queryset:
            certificate_render_pdf_again(certificate=certificate)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d PDF will be rendered again in a moment.",
                "%(count)d PDFs will be rendered again in a moment.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class LessonProgressInline(admin.TabularInline):
    """The lessons the learner completed, oldest first (written by the services only)."""

    model = LessonProgress
    extra = 0
    fields = ("lesson", "completed_at")
    readonly_fields = fields
    can_delete = False
    ordering = ("completed_at",)
    verbose_name = _("completed lesson")
    verbose_name_plural = _("completed lessons")

    def has_add_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LessonProgress]:
        return super().get_queryset(request).select_related("lesson")


class EnrollmentGrantForm(forms.ModelForm):
    """The learner and the course; an existing enrollment is not an error (granting reopens
    it when a refund closed it)."""

    class Meta:
        model = Enrollment
        fields = ("user", "course")

    def _get_validation_exclusions(self) -> set[str]:
        # Skips the one-per-learner-and-course constraint here: ``enrollment_grant`` handles
        # an existing enrollment. The form fields themselves are still validated.
        return {*super()._get_validation_exclusions(), "course"}


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Enrollments and their progress are written by the services (enrolling, completing
    lessons): staff read them, pause or resume them and recompute progress after a course's
    lessons changed."""

    list_display = ("user", "course", "status", "source", "progress_percent", "last_accessed_at", "completed_at")
    list_filter = ("status", "source", ("course", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "course__title")
    list_select_related = ("user", "course")
    date_hierarchy = "started_at"
    ordering = ("-started_at",)
    actions = ["pause_enrollments", "resume_enrollments", "refresh_progress"]
    inlines = [LessonProgressInline]
    fields = (
        "user",
        "course",
        "status",
        "source",
        "progress_percent",
        "current_module",
        "current_lesson",
        "started_at",
        "last_accessed_at",
        "completed_at",
        "wellness_check_completed",
        "access_revoked_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    add_fields = ("user", "course")
    autocomplete_fields = ("user", "course")

    def get_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> tuple[str, ...]:
        return self.fields if obj is not None else self.add_fields

    def get_form(self, request: HttpRequest, obj: Enrollment | None = None, **kwargs: Any) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = EnrollmentGrantForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_inlines(self, request: HttpRequest, obj: Enrollment | None) -> list:
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Enrollment, form: forms.ModelForm, change: bool) -> None:
        """Adding an enrollment is staff granting access (paid courses included), through
        ``enrollment_grant``: it enrols with source "granted by staff", or reopens an
        enrollment whose access ended with a refund. Audited like every change."""
        if change:
            return
        granted = enrollment_grant(user=obj.user, course=obj.course)
        obj.pk, obj._state.adding = granted.pk, False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        try:
            return super().add_view(request, form_url, {**(extra_context or {}), "title": _("Grant an enrolment")})
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[Enrollment],
        change: Callable[..., Enrollment],
        done: Callable[[int], str],
    ) -> None:
        """Run ``change`` on each selected enrollment; report each refusal and how many changed."""
        count = 0
        for enrollment in queryset.select_related("user", "course"):
            try:
                change(enrollment=enrollment)
            except ApplicationError as exc:
                self.message_user(request, f"{enrollment}: {exc.message}", messages.WARNING)
                continue
            count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Pause the selected enrollments"))
    def pause_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_pause,
            lambda n: ngettext("%(count)d enrollment paused.", "%(count)d enrollments paused.", n),
        )

    @admin.action(description=_("Resume the selected enrollments"))
    def resume_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_resume,
            lambda n: ngettext("%(count)d enrollment resumed.", "%(count)d enrollments resumed.", n),
        )

    @admin.action(description=_("Recompute progress (after lessons were added or removed)"))
    def refresh_progress(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_progress_refresh,
            lambda n: ngettext(
                "Progress recomputed for %(count)d enrollment.", "Progress recomputed for %(count)d enrollments.", n
            ),
        )


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    """Chats (career assessment, wellness checks) are the user's own record: read-only here,
    removed with the account."""

    list_display = ("user", "session_type", "role", "short_message", "created_at")
    list_filter = ("session_type", "role", "created_at")
    search_fields = ("user__email", "=session_id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("user", "session_id", "session_type", "role", "message", "metadata", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ChatMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ChatMessage | None = None) -> bool:
        return False

    @admin.display(description=_("message"))
    def short_message(self, message: ChatMessage) -> str:
        return Truncator(message.message).chars(80)


class CourseAdminForm(forms.ModelForm):
    """The course form of admin: a newly chosen instructor must hold the instructor role."""

    class Meta:
        model = Course
        fields = ("instructor",)

    def clean_instructor(self) -> Any:
        instructor = self.cleaned_data.get("instructor")
        if (
            instructor is not None
            and "instructor" in self.changed_data
            and not instructor_user_is_active(user_id=instructor.pk)
        ):
            raise ValidationError(
                _("%(user)s is not an instructor: grant the role under Instructor profiles first.")
                % {"user": instructor}
            )
        return instructor


CourseAdmin.form = CourseAdminForm


@admin.register(InstructorProfile)
class InstructorProfileAdmin(admin.ModelAdmin):
    """The instructor role: adding a profile grants it; the actions grant it again or revoke
    it (through the services; audited)."""

    list_display = ("user", "headline", "is_active", "granted_by", "created_at")
    list_filter = ("is_active",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "headline")
    list_select_related = ("user", "granted_by")
    autocomplete_fields = ("user",)
    readonly_fields = ("is_active", "granted_by", "created_at", "updated_at")
    fields = ("user", "headline", "bio", "is_active", "granted_by", "created_at", "updated_at")
    actions = ["grant", "revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: InstructorProfile | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: InstructorProfile, form: Any, change: bool) -> None:
        if not change:
            try:
                profile = instructor_grant(user=obj.user, granted_by=request.user)
            except ApplicationError as exc:
                raise PermissionDenied(exc.message) from exc
            obj.pk, obj.is_active, obj.granted_by = profile.pk, profile.is_active, profile.granted_by
            obj._state.adding = False
        super().save_model(request, obj, form, change=True)

    @admin.action(description=_("Grant the instructor role"), permissions=["change"])
    def grant(self, request: HttpRequest, queryset: QuerySet[InstructorProfile]) -> None:
        granted = 0
        for profile in queryset.select_related("user"):
            try:
                instructor_grant(user=profile.user, granted_by=request.user)
                granted += 1
            except ApplicationError as exc:
                self.message_user(request, f"{profile.user}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(count)d instructor role(s) granted.") % {"count": granted}, messages.SUCCESS)

    @admin.action(description=_("Revoke the instructor role"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[InstructorProfile]) -> None:
        for profile in queryset:
            instructor_revoke(profile=profile)
        self.message_user(
            request, _("%(count)d instructor role(s) revoked.") % {"count": queryset.count()}, messages.SUCCESS
        )


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "due_at", "max_score", "submission_count")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "description", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)
    date_hierarchy = "due_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).annotate(submission_total=Count("submissions"))

    @admin.display(description=_("submissions"), ordering="submission_total")
    def submission_count(self, assignment: Assignment) -> int:
        return getattr(assignment, "submission_total", 0)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Submissions are written by learners and graded on the grading page (link below), so
    that the rules and the notifications apply: read-only here."""

    list_display = ("user", "assignment", "submitted_at", "is_late", "score", "graded_at")
    list_filter = (
        "is_late",
        ("graded_at", admin.EmptyFieldListFilter),
        ("assignment__course", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__email", "assignment__title", "assignment__course__title")
    list_select_related = ("user", "assignment__course")
    date_hierarchy = "submitted_at"
    fields = (
        "assignment",
        "user",
        "text",
        "file",
        "submitted_at",
        "is_late",
        "score",
        "feedback",
        "graded_at",
        "graded_by",
        "grading_page",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    @admin.display(description=_("grade"))
    def grading_page(self, submission: Submission) -> SafeString:
        url = reverse("learning:teaching-grade", kwargs={"pk": submission.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open the grading page"))


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are written by Stripe's webhook through the services: staff read them."""

    list_display = ("created_at", "user", "course", "amount", "status", "succeeded_at", "refunded_at")
    list_filter = ("status", "currency", ("course", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("user__email", "stripe_checkout_session_id", "stripe_payment_intent_id", "course__title")
    list_select_related = ("user", "course")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = (
        "user",
        "course",
        "amount_cents",
        "currency",
        "status",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "failure_reason",
        "succeeded_at",
        "refunded_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, payment: Payment) -> str:
        return price_display(price_cents=payment.amount_cents, currency=payment.currency)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    """Stripe events already applied (each once); read-only. "Needs review": an event that
    claimed a payment it could not prove (another Checkout Session, not paid in full in
    the payment's currency) — it granted nothing; the reason says what to check in Stripe."""

    list_display = ("id", "type", "livemode", "received_at", "needs_review", "review_reason")
    list_filter = ("needs_review", "type", "livemode")
    search_fields = ("=id", "type")
    ordering = ("-received_at",)
    readonly_fields = ("id", "type", "livemode", "received_at", "needs_review", "review_reason", "payload")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StripeEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StripeEvent | None = None) -> bool:
        return False


class PathwayTemplateStepInline(admin.StackedInline):
    model = PathwayTemplateStep
    extra = 1
    fields = ("order", "title", "description", "resources", "estimated_time")


@admin.register(PathwayTemplate)
class PathwayTemplateAdmin(admin.ModelAdmin):
    """Staff author one template per subcategory; resources are ``[{"title", "url"}]`` or
    ``[{"title", "course": "<course slug>"}]``. Learners' pathways copy it when created."""

    list_display = ("title", "subcategory", "step_count")
    list_select_related = ("subcategory__parent",)
    search_fields = ("title", "subcategory__name")
    inlines = [PathwayTemplateStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PathwayTemplate]:
        return super().get_queryset(request).annotate(steps_total=Count("steps"))

    @admin.display(description=_("steps"), ordering="steps_total")
    def step_count(self, template: PathwayTemplate) -> int:
        return template.steps_total

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "subcategory":
            kwargs["queryset"] = Category.objects.exclude(parent=None).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PathwayStepInline(admin.TabularInline):
    model = PathwayStep
    extra = 0
    fields = ("order", "title", "estimated_time", "completed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: CareerPathway | None = None) -> bool:
        return False


@admin.register(CareerPathway)
class CareerPathwayAdmin(admin.ModelAdmin):
    """Read-only: learners tick their steps, advisors rewrite them on the advisor page."""

    list_display = ("title", "user", "subcategory", "overridden_by_advisor", "created_at")
    list_filter = ("overridden_by_advisor",)
    list_select_related = ("user", "subcategory__parent")
    search_fields = ("title", "user__email")
    readonly_fields = (
        "user",
        "subcategory",
        "template",
        "title",
        "overridden_by_advisor",
        "advisor_notes",
        "advisor",
        "advise_link",
        "created_at",
    )
    fields = readonly_fields
    inlines = [PathwayStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CareerPathway | None = None) -> bool:
        return False

    @admin.display(description=_("advise"))
    def advise_link(self, pathway: CareerPathway) -> str:
        url = reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk})
        return format_html('<a href="{}">{}</a>', url, _("Rewrite the steps and notes"))


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "subcategory", "location", "ethnicity", "published", "published_at")
    list_filter = (
        "published",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("subcategory", admin.RelatedOnlyFieldListFilter),
        "ethnicity",
    )
    list_select_related = ("category", "subcategory__parent")
    search_fields = ("name", "slug", "story", "location", "current_role", "company")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("published", "published_at", "created_at", "updated_at")
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    formfield_overrides = URL_FIELD_OVERRIDES
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "subcategory", "image", "story", "video_url")}),
        (_("Career"), {"fields": ("current_role", "company", "achievements", "tags")}),
        (
            _("Background (shown publicly, with the person's consent)"),
            {"fields": ("location", "ethnicity", "race")},
        ),
        (
            _("Publication"),
            {
                "fields": ("published", "published_at", "created_at", "updated_at"),
                "description": _("Use the “Publish” and “Unpublish” actions of the story list."),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(parent=None)
        elif db_field.name == "subcategory":
            kwargs["queryset"] = Category.objects.exclude(parent=None).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _publish(self, request: HttpRequest, queryset: QuerySet[SuccessStory], *, publish: bool) -> None:
        service = story_publish if publish else story_unpublish
        changed = sum(1 for story in queryset if service(story=story))
        message = ngettext("%(count)d story changed.", "%(count)d stories changed.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected stories"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[SuccessStory]) -> None:
        self._publish(request, queryset, publish=True)

    @admin.action(description=_("Unpublish the selected stories"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[SuccessStory]) -> None:
        self._publish(request, queryset, publish=False)


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


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Learners' own records: staff look, the learner's services write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(_ReadOnlyAdmin):
    list_display = ["user", "status", "recommended_category", "engine", "created_at", "completed_at"]
    list_filter = ["status", "engine"]
    list_select_related = ["user", "recommended_category"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"


@admin.register(CareerProfile)
class CareerProfileAdmin(_ReadOnlyAdmin):
    list_display = ["user", "category", "updated_at"]
    list_filter = [("category", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "category"]
    search_fields = ["user__email"]
