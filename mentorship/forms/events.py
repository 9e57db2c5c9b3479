"""The event form of the event pages: an event as its host writes it
(``mentorship.services.events`` checks every rule)."""

from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import money_amount, site_currency
from mentorship.models import Event, Venue
from mentorship.services.events import (
    DESCRIPTION_MAX_LENGTH,
    DURATION_MAX,
    DURATION_MIN,
    MAX_ATTENDEES_LIMIT,
    PRICE_MAX_CENTS,
    TITLE_MAX_LENGTH,
)


class EventForm(forms.Form):
    """An event as its host writes it (``event_create`` / ``event_update`` check the rules)."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    type = forms.ChoiceField(label=_("Type"), choices=Event.Type.choices)
    start_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=DURATION_MIN, max_value=DURATION_MAX, initial=90
    )
    max_attendees = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_ATTENDEES_LIMIT, initial=20)
    is_virtual = forms.BooleanField(label=_("Virtual event"), required=False)
    meeting_link = forms.CharField(
        label=_("Meeting link"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Needed for a virtual event; only people with a seat see it."),
    )
    venue = forms.ModelChoiceField(
        label=_("Venue (optional)"),
        queryset=Venue.objects.order_by("city", "name"),
        required=False,
        empty_label=_("No venue"),
    )
    price = forms.DecimalField()  # in the site's currency: made in __init__
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. music, production."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The price is asked in the site's currency, with its own decimals (2 for USD, 0 for JPY).
        currency = site_currency()
        self.fields["price"] = forms.DecimalField(
            label=_("Price (%(currency)s)") % {"currency": currency},
            min_value=Decimal(0),
            max_value=money_amount(PRICE_MAX_CENTS, currency),
            decimal_places=get_currency_precision(currency),
            initial=Decimal(0),
            help_text=_("0 for a free event. Attendees of a paid event pay for their seat through Stripe."),
        )

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        return {
            "title": event.title,
            "description": event.description,
            "type": event.type,
            "start_at": timezone.localtime(event.start_at),
            "duration_minutes": event.duration_minutes,
            "max_attendees": event.max_attendees,
            "is_virtual": event.is_virtual,
            "meeting_link": event.meeting_link,
            "venue": event.venue_id,
            "price": money_amount(event.price_cents),
            "tags": ", ".join(event.tags),
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["price_cents"] = int(data.pop("price").scaleb(get_currency_precision(site_currency())))
        data["tags"] = data["tags"].split(",")
        return data
