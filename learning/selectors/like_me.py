"""“… like me”: a public list (the mentor directory, the success stories) narrowed to the rows
whose ethnicity is the signed-in viewer's own, read on the server from their account.

No list takes a race or an ethnicity to filter by: asking a public list for each of a short
list of values in turn would read off every mentor's or story's (issue 14). ``like_me``
carries no value, so the viewer's own never appears in a URL, a log or a cache key either.
"""

from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

LIKE_ME_REFUSED = _(
    "“Like me” uses the ethnicity in your own profile: sign in and add your ethnicity in your settings first."
)


def viewer_ethnicity(request: Any) -> str:
    """The signed-in viewer's own stored ethnicity, or "" (anonymous, none given, no request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return (user.ethnicity or "").strip()


def like_me_requested(request: Any) -> bool:
    """Whether ``request`` asks for a ``like_me`` list, read exactly as the filter reads it (its
    field's widget: ``true``, ``True`` and ``2`` ask; anything else does not). A cached public
    list is only ever served when this is false, so it must never disagree with the filter."""
    value = forms.NullBooleanSelect().value_from_datadict(request.GET, MultiValueDict(), "like_me")
    return forms.NullBooleanField().to_python(value) is True


class LikeMeFilterSet(filters.FilterSet):
    """Adds ``like_me`` to a filterset over rows with an ``ethnicity`` field: ``true`` keeps
    the rows whose ethnicity equals (any case) the ethnicity the signed-in viewer stored in
    their account — pass ``request``. For anyone else (anonymous, no value) it is a form
    error on ``like_me``: 400 from the API, a message on a page."""

    like_me = filters.BooleanFilter(
        method="filter_like_me",
        label=_("Only people of my ethnicity"),
        help_text=(
            "Only rows whose ethnicity is the one stored in your own profile (never sent or shown). "
            "Signed-in users who gave their ethnicity only: otherwise a 400."
        ),
    )

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        own = viewer_ethnicity(self.request)

        def clean_like_me(form: forms.Form) -> bool | None:
            value = form.cleaned_data.get("like_me")
            if value and not own:
                raise ValidationError(LIKE_ME_REFUSED, code="like_me_unavailable")
            return value

        return type(form_class.__name__, (form_class,), {"clean_like_me": clean_like_me})

    def filter_like_me(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        own = viewer_ethnicity(self.request)
        # Refused in validation when empty; never match "" (the rows that gave none).
        return queryset.filter(ethnicity__iexact=own) if own else queryset.none()
