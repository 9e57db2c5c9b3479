"""Admin of payments, refunds and Stripe events: written by the services and Stripe's
webhook, read-only here — except the "Refund" action, through which staff refund a payment
in full or in part with a reason (``payment_refund_by_staff``; audited like every change)."""

from decimal import Decimal

from babel.numbers import get_currency_precision
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_actions import admin_action_form_response
from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from core.money import money_amount, money_display
from learning.admin.receipts import ReceiptInline
from learning.models import Payment, Refund, StripeEvent
from learning.selectors.payments import payment_item_url, payment_kind_label
from learning.services.payments import REASON_MAX_LENGTH, payment_refund_by_staff, payment_refundable_cents


class DisputedFilter(admin.SimpleListFilter):
    title = _("disputed")
    parameter_name = "disputed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", str(_("Yes"))), ("no", str(_("No")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Payment]) -> QuerySet[Payment]:
        if self.value() in ("yes", "no"):
            return queryset.filter(disputed_at__isnull=self.value() == "no")
        return queryset


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Refund
    extra = 0
    fields = (
        "created_at",
        "amount",
        "source",
        "rule",
        "reason",
        "requested_by",
        "status",
        "stripe_refund_id",
        "failure_reason",
        "succeeded_at",
    )
    readonly_fields = fields
    ordering = ("-created_at",)

    @admin.display(description=_("amount"))
    def amount(self, refund: Refund) -> str:
        return money_display(refund.amount_cents, refund.payment.currency)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Refund]:
        return super().get_queryset(request).select_related("payment", "requested_by")


class PaymentRefundForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with the refund (and in the audit log)."),
        error_messages={"required": _("Say why this payment is refunded.")},
    )

    def __init__(self, *args: object, payment: Payment, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.payment = payment
        # First, in the payment's currency and its minor unit (2 decimals for USD, 0 for JPY).
        self.fields = {
            "amount": forms.DecimalField(
                label=_("Amount to refund (%(currency)s)") % {"currency": payment.currency},
                min_value=Decimal(0),
                decimal_places=get_currency_precision(payment.currency),
                help_text=_("At most what is left to refund."),
            ),
            **self.fields,
        }
        if not self.is_bound:
            self.initial["amount"] = money_amount(payment_refundable_cents(payment), payment.currency)

    def amount_cents(self) -> int:
        amount: Decimal = self.cleaned_data["amount"]
        return int(amount.scaleb(get_currency_precision(self.payment.currency)))


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Payments are written by Stripe's webhook through the services: staff read them, with
    their refunds, and refund one with the "Refund" action (an amount and a reason)."""

    list_display = (
        "created_at",
        "user",
        "kind_label",
        "description",
        "amount",
        "refunded",
        "status",
        "disputed",
        "succeeded_at",
    )
    list_filter = ("status", "kind", DisputedFilter, "currency", "created_at")
    search_fields = (
        "user__email",
        "description",
        "=item_id",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "course__title",
    )
    list_select_related = ("user", "course")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ["refund_payment"]
    inlines = [RefundInline, ReceiptInline]
    readonly_fields = (
        "user",
        "kind_label",
        "item_link",
        "description",
        "breakdown",
        "amount",
        "refunded",
        "currency",
        "status",
        "hold_expires_at",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "failure_reason",
        "disputed_at",
        "dispute_reason",
        "succeeded_at",
        "refunded_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description=_("what"), ordering="kind")
    def kind_label(self, payment: Payment) -> str:
        return payment_kind_label(payment)

    @admin.display(description=_("item"))
    def item_link(self, payment: Payment) -> str:
        """The bought item: a course's admin page; another kind's page as its app names it."""
        if payment.course_id is not None:
            url = reverse("admin:learning_course_change", args=[payment.course_id])
            return format_html('<a href="{}">{}</a>', url, payment.course)
        page = payment_item_url(payment)
        return format_html('<a href="{}">{}</a>', page, payment.item_id) if page else str(payment.item_id)

    @admin.display(description=_("price breakdown"))
    def breakdown(self, payment: Payment) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            (
                (line.get("label", ""), money_display(int(line.get("amount_cents", 0)), payment.currency))
                for line in payment.lines
                if isinstance(line, dict)
            ),
        )
        return format_html("<table>{}<tr><th>{}</th><th>{}</th></tr></table>", rows, _("Total"), self.amount(payment))

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, payment: Payment) -> str:
        return money_display(payment.amount_cents, payment.currency)

    @admin.display(description=_("refunded"), ordering="amount_refunded_cents")
    def refunded(self, payment: Payment) -> str:
        return money_display(payment.amount_refunded_cents, payment.currency) if payment.amount_refunded_cents else "-"

    @admin.display(description=_("disputed"), boolean=True)
    def disputed(self, payment: Payment) -> bool:
        return payment.disputed_at is not None

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("learning.add_refund")

    @admin.action(description=_("Refund the selected payment…"), permissions=["refund"])
    def refund_payment(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Payment]) -> HttpResponse | None:
        """The intermediate page: how much (all that is left by default) and why; then
        ``payment_refund_by_staff``. One payment at a time."""
        payments = list(queryset.select_related("user", "course")[:2])
        if len(payments) != 1:
            self.message_user(request, _("Select one payment to refund."), messages.WARNING)
            return None
        payment = payments[0]
        form = PaymentRefundForm(request.POST if "apply" in request.POST else None, payment=payment)
        if form.is_valid():
            try:
                refund = payment_refund_by_staff(
                    payment=payment,
                    amount_cents=form.amount_cents(),
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error({"amount_cents": "amount", "reason": "reason"}.get(field), errors)
            except ApplicationError as exc:
                self.message_user(request, error_text(exc), messages.ERROR)
                return None
            else:
                self.message_user(
                    request,
                    _("A refund of %(amount)s is on its way to Stripe.")
                    % {"amount": money_display(refund.amount_cents, payment.currency)},
                    messages.SUCCESS,
                )
                return None
        return admin_action_form_response(
            self,
            request,
            title=_("Refund a payment"),
            form=form,
            selected=[payment],
            template="admin/learning/payment/refund.html",
            payment=payment,
            refundable=money_display(payment_refundable_cents(payment), payment.currency),
        )


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Refunds by rule, by staff and made in Stripe; read-only (staff refund from a payment).
    A failed one says why: refund it again from its payment, or in Stripe."""

    list_display = ("created_at", "payment", "amount", "source", "rule", "status", "requested_by", "succeeded_at")
    list_filter = ("status", "source", "created_at")
    search_fields = ("=payment__id", "stripe_refund_id", "payment__user__email", "reason")
    list_select_related = ("payment", "payment__user", "requested_by")
    ordering = ("-created_at",)
    readonly_fields = (
        "payment",
        "amount",
        "source",
        "rule",
        "reason",
        "requested_by",
        "status",
        "stripe_refund_id",
        "failure_reason",
        "succeeded_at",
        "created_at",
    )
    fields = readonly_fields

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, refund: Refund) -> str:
        return money_display(refund.amount_cents, refund.payment.currency)


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stripe events already applied (each once); read-only. "Needs review": an event that
    claimed a payment it could not prove (another Checkout Session, not paid in full in
    the payment's currency, a refund of another charge) — it granted nothing — or a dispute
    to answer in Stripe; the reason says what to check."""

    list_display = ("id", "type", "livemode", "received_at", "needs_review", "review_reason")
    list_filter = ("needs_review", "type", "livemode")
    search_fields = ("=id", "type")
    ordering = ("-received_at",)
    readonly_fields = ("id", "type", "livemode", "received_at", "needs_review", "review_reason", "payload")
    fields = readonly_fields
