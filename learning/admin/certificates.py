"""Admin of certificates: issued by the service, revoked, reinstated and rendered again here
through services."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import admin_action_form_response
from core.errors import ApplicationError
from learning.models import Certificate
from learning.selectors.certificates import certificate_pdf_url, certificate_state_q
from learning.services.certificates import REASON_MAX_LENGTH as CERTIFICATE_REASON_MAX_LENGTH
from learning.services.certificates import certificate_reinstate, certificate_render_pdf_again, certificate_revoke


class CertificateStateFilter(admin.SimpleListFilter):
    """Filter by the certificate's state now (valid, revoked, expired)."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Certificate.State.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
        value = self.value()
        if value is not None and value in Certificate.State.values:
            return queryset.filter(certificate_state_q(value))
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
        return False  # issued by learning.services.certificates.certificate_issue when a course completes

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
