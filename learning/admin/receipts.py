"""Admin of receipts: made by the receipt task for every succeeded payment and refund, read
here (also inline under their payment); staff download the PDF through a short-lived
signed link and can queue the PDF of a receipt that has none."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_mixins import ReadOnlyAdminMixin
from learning.models import Receipt
from learning.selectors.receipts import receipt_pdf_url
from learning.services.receipts import receipts_render_missing


class ReceiptPdfMixin:
    @admin.display(description=_("PDF"))
    def pdf_link(self, receipt: Receipt) -> str:
        url = receipt_pdf_url(receipt=receipt)
        if url is None:
            return str(_("Being prepared"))
        return format_html('<a href="{}">{}</a>', url, _("Download (link valid for a few minutes)"))


@admin.register(Receipt)
class ReceiptAdmin(ReceiptPdfMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Receipts are made once per succeeded payment or refund by the task; never by hand."""

    list_display = ("number", "kind", "buyer", "payment", "created_at", "emailed_at", "pdf_ready")
    list_filter = ("kind", "created_at")
    search_fields = ("=number", "number", "payment__user__email", "=payment__id")
    list_select_related = ("payment__user", "payment__course")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ["render_missing_pdfs"]
    fields = ("number", "kind", "buyer", "payment", "refund", "pdf_link", "emailed_at", "created_at", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Receipt]:
        return super().get_queryset(request).select_related("payment__user", "payment__course", "refund", "file")

    @admin.display(description=_("buyer"), ordering="payment__user__email")
    def buyer(self, receipt: Receipt) -> str:
        return receipt.payment.user.email

    @admin.display(description=_("PDF"), boolean=True)
    def pdf_ready(self, receipt: Receipt) -> bool:
        return receipt.file_id is not None

    # Staff who may see receipts may run it: it changes no receipt, only stores a missing file.
    @admin.action(description=_("Store the PDF of the selected receipts that have none"), permissions=["view"])
    def render_missing_pdfs(self, request: HttpRequest, queryset: QuerySet[Receipt]) -> None:
        count = receipts_render_missing(receipts=queryset)
        self.message_user(
            request,
            ngettext("PDF queued for %(count)d receipt.", "PDFs queued for %(count)d receipts.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.INFO,
        )


class ReceiptInline(ReceiptPdfMixin, ReadOnlyAdminMixin, admin.TabularInline):
    """The receipts of a payment, under it in the payment's admin page."""

    model = Receipt
    fk_name = "payment"
    extra = 0
    fields = ("number", "kind", "refund", "created_at", "emailed_at", "pdf_link")
    readonly_fields = fields
    ordering = ("created_at",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Receipt]:
        return super().get_queryset(request).select_related("file", "refund")
