"""core.errors.error_text: the one line a page shows when a service refused."""

from django.core.exceptions import ValidationError

from core.errors import ApplicationError, error_text


def test_a_refused_change_shows_its_message():
    assert error_text(ApplicationError("This session has started.")) == "This session has started."


def test_a_plain_validation_error_shows_all_its_messages():
    assert error_text(ValidationError(["Too long.", "Not a word."])) == "Too long. Not a word."


def test_an_error_by_field_shows_every_field_s_messages():
    error = ValidationError({"day": ["Not today."], "notes": ["Too long."]})
    assert error_text(error) == "Not today. Too long."


def test_a_named_field_shows_only_its_own_messages():
    error = ValidationError({"text": ["Say a little more."], "other": ["Hidden."]})
    assert error_text(error, field="text") == "Say a little more."


def test_a_named_field_without_messages_falls_back_to_all_of_them():
    assert error_text(ValidationError({"other": ["Shown."]}), field="text") == "Shown."
    assert error_text(ValidationError("Plain."), field="text") == "Plain."
