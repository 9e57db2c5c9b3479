"""A service's ValidationError shown on a page's form: by field where the form has it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import form_errors_from


class _Form(forms.Form):
    title = forms.CharField()
    price = forms.IntegerField()


def _valid_form() -> _Form:
    form = _Form({"title": "Yoga", "price": "5"})
    assert form.is_valid()
    return form


def test_field_errors_go_to_their_field():
    form = _valid_form()
    form_errors_from(form, ValidationError({"title": ["Too long.", "Not unique."]}))
    assert form.errors == {"title": ["Too long.", "Not unique."]}
    assert "title" not in form.cleaned_data


def test_errors_of_fields_the_form_lacks_and_all_are_non_field_errors():
    form = _valid_form()
    form_errors_from(form, ValidationError({"mentor": ["No longer a mentor."], NON_FIELD_ERRORS: ["Overlaps."]}))
    assert form.errors == {NON_FIELD_ERRORS: ["No longer a mentor.", "Overlaps."]}


def test_an_error_without_fields_is_a_non_field_error():
    form = _valid_form()
    form_errors_from(form, ValidationError(["Too many files.", "Quota reached."]))
    assert form.non_field_errors() == ["Too many files.", "Quota reached."]
    assert form.errors.keys() == {NON_FIELD_ERRORS}


def test_aliases_rename_the_services_fields_to_the_forms():
    form = _valid_form()
    form_errors_from(form, ValidationError({"price_cents": ["Too dear."]}), aliases={"price_cents": "price"})
    assert form.errors == {"price": ["Too dear."]}


def test_messages_keep_their_codes_and_parameters():
    form = _valid_form()
    error = ValidationError({"title": ValidationError("At most %(limit)s.", code="max", params={"limit": 3})})
    form_errors_from(form, error)
    assert form.errors == {"title": ["At most 3."]}
    assert form.has_error("title", code="max")
