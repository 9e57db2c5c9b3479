"""`make run` shows one line per e-mail (recipient, subject, code or link): the summary
extraction and the local delivery backend that writes it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
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
    settings.EMAIL_SUMMARY_FILE = str(tmp_path / "log" / "mail.log")
    connection = get_connection(backend="core.mail.ConsoleSummaryEmailBackend")
    assert isinstance(connection, ConsoleSummaryEmailBackend)
    connection.send_messages([_message("Your code:\n\nAB12-CD34\n"), _message("No code", to=())])
    printed = capsys.readouterr().out
    assert "AB12-CD34" in printed  # the worker log keeps the full message
    lines = Path(settings.EMAIL_SUMMARY_FILE).read_text().splitlines()
    assert lines == ["to sam@example.com · “[Ascend] Please confirm” · code AB12-CD34"]


@pytest.mark.parametrize(
    ("module", "backend"),
    [
        ("config.settings.local", "core.mail.ConsoleSummaryEmailBackend"),
        ("config.settings.production", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_only_the_local_settings_use_the_summary_backend(module, backend):
    """Read in a fresh interpreter: the settings as each environment loads them (console
    e-mail, the default, in both)."""
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50}
    environment.pop("EMAIL_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.EMAIL_DELIVERY_BACKEND)"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert result.stdout.strip() == backend
