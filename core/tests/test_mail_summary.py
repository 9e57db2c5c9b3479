"""`make run` shows one line per e-mail (recipient, subject, code or link): the summary
extraction and the local delivery backend that writes it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection

from core.mail import ConsoleSummaryEmailBackend, email_summary


def _message(body: str, subject: str = "[Ascend] Please confirm", to: tuple[str, ...] = ("sam@example.com",)):
    return EmailMessage(subject=subject, body=body, to=list(to))


def test_a_verification_code_on_its_own_line():
    body = "Hello from Ascend!\n\nYour email verification code is listed below.\n\nBRRD-MWKF\n\nThank you."
    assert email_summary(_message(body)) == "to sam@example.com · “[Ascend] Please confirm” · code BRRD-MWKF"


def test_a_numeric_code():
    assert email_summary(_message("Your code:\n\n493027\n")).endswith("· code 493027")


def test_a_link_to_a_page_rather_than_the_bare_site():
    body = (
        "Hello from Ascend!\n\nVisit http://127.0.0.1:8000/ or reset here:\n"
        "http://127.0.0.1:8000/accounts/password/reset/key/abc-123/.\n"
    )
    summary = email_summary(_message(body, subject="[Ascend] Password reset"))
    assert summary.endswith("· link http://127.0.0.1:8000/accounts/password/reset/key/abc-123/")


def test_the_bare_site_link_when_it_is_the_only_one():
    assert email_summary(_message("Welcome! Start at https://ascend.example/\n")).endswith(
        "· link https://ascend.example/"
    )


def test_no_code_and_no_link_and_a_folded_subject():
    summary = email_summary(_message("Words only. NOT A CODE here.", subject="Two\n lines", to=("a@x.io", "b@x.io")))
    assert summary == "to a@x.io, b@x.io · “Two lines”"


def test_capitalised_words_inside_a_sentence_are_not_codes():
    assert "code" not in email_summary(_message("Please READ this\nOK\n"))


def test_the_backend_prints_the_full_message_and_appends_the_summary(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.EMAIL_SUMMARY_FILE = str(tmp_path / "log" / "mail.log")
    connection = get_connection(backend="core.mail.ConsoleSummaryEmailBackend")
    assert isinstance(connection, ConsoleSummaryEmailBackend)
    connection.send_messages([_message("Your code:\n\nAB12-CD34\n"), _message("No code", to=())])
    printed = capsys.readouterr().out
    assert "AB12-CD34" in printed  # the worker log keeps the full message
    lines = Path(settings.EMAIL_SUMMARY_FILE).read_text().splitlines()
    assert lines == ["to sam@example.com · “[Ascend] Please confirm” · code AB12-CD34"]


def test_the_backend_refuses_to_start_without_debug(settings, tmp_path):
    """Codes and reset links in a plain-text file: never outside local development, even
    for a worker that fell back to the local settings (config/celery.py's default)."""
    settings.DEBUG = False
    settings.EMAIL_SUMMARY_FILE = str(tmp_path / "mail.log")
    with pytest.raises(ImproperlyConfigured, match="local development only"):
        get_connection(backend="core.mail.ConsoleSummaryEmailBackend")
    assert not Path(settings.EMAIL_SUMMARY_FILE).exists()


@pytest.mark.parametrize(
    ("module", "backend", "debug"),
    [
        ("config.settings.local", "core.mail.ConsoleSummaryEmailBackend", True),
        ("config.settings.production", "django.core.mail.backends.console.EmailBackend", False),
    ],
)
def test_only_the_local_settings_use_the_summary_backend(module, backend, debug):
    """Read in a fresh interpreter: the settings as each environment loads them (console
    e-mail, the default, in both); the local ones turn DEBUG on, which the backend needs."""
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50}
    for name in ("EMAIL_URL", "DJANGO_DEBUG"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.EMAIL_DELIVERY_BACKEND, s.DEBUG)"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert result.stdout.split() == [backend, str(debug)]
