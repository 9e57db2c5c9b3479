"""Admin of payments and Stripe events: written by the webhook, read-only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from learning.admin.receipts import ReceiptInline
from learning.models import Payment, StripeEvent
from learning.rendering import price_display


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Payments are written by Stripe's webhook through the services: staff read them."""

    list_display = ("created_at", "user", "course", "amount", "status", "succeeded_at", "refunded_at")
    list_filter = ("status", "currency", ("course", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("user__email", "stripe_checkout_session_id", "stripe_payment_intent_id", "course__title")
    list_select_related = ("user", "course")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    inlines = (ReceiptInline,)
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


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stripe events already applied (each once); read-only. "Needs review": an event that
    claimed a payment it could not prove (another Checkout Session, not paid in full in
    the payment's currency) — it granted nothing; the reason says what to check in Stripe."""

    list_display = ("id", "type", "livemode", "received_at", "needs_review", "review_reason")
    list_filter = ("needs_review", "type", "livemode")
    search_fields = ("=id", "type")
    ordering = ("-received_at",)
    readonly_fields = ("id", "type", "livemode", "received_at", "needs_review", "review_reason", "payload")
    fields = readonly_fields
