"""Outgoing e-mail through Celery.

``EMAIL_BACKEND`` is :class:`TaskEmailBackend`: sending a message serialises it into the
outbox (encrypted, by reference) and :func:`core.tasks.email_send_task` runs once the
current transaction commits, so a web request never waits on SMTP and a rolled-back action
sends nothing. The broker carries only the outbox row's id — a sign-up code or a reset link
is never readable in the broker or the database — and the task hands the message to
``EMAIL_DELIVERY_BACKEND`` (SMTP, console, …), then deletes the row.

On the embedded default (``make run``) the delivery backend is
:class:`ConsoleSummaryEmailBackend`: the worker log keeps each message in full and
``make run`` shows one line per message — recipient, subject, code or link — in its terminal.
"""

import base64
import re
from collections.abc import Sequence
from email.mime.base import MIMEBase
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


def email_message_to_dict(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe form of ``message`` that :func:`email_message_from_dict` restores."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise ValueError("MIME attachments cannot be queued; attach (name, content, type).")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
    }


def email_message_from_dict(data: dict[str, Any]) -> EmailMultiAlternatives:
    """Rebuild the message serialised by :func:`email_message_to_dict`."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def email_deliver(*, message_data: dict[str, Any]) -> int:
    """Send one serialised message through the delivery backend; returns the count sent."""
    connection = get_connection(backend=settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    return connection.send_messages([email_message_from_dict(message_data)])


class TaskEmailBackend(BaseEmailBackend):
    """Queue every message for :func:`core.tasks.email_send_task` after commit, kept
    encrypted in the outbox and passed to the task by reference."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .services.outbox import outbox_enqueue
        from .tasks import email_send_task

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbox_enqueue(
                task_name=email_send_task.name,
                args=[],
                kwargs={"message_data": email_message_to_dict(message)},
                by_reference=True,
            )
            count += 1
        return count


# allauth's codes ("BRRD-MWKF", "493027") stand on a line of their own in its e-mails.
_CODE_LINE = re.compile(r"^[ \t]*([A-Z0-9]{4,}(?:-[A-Z0-9]{3,})*)[ \t]*$", re.MULTILINE)
_LINK = re.compile(r"https?://[^\s<>\"']+")


def email_summary(message: EmailMessage) -> str:
    """One line about ``message`` for a person running the site locally: its recipients,
    its subject and the code it carries — else its first link to a page (not the bare site
    address), else its first link."""
    body = str(message.body)
    parts = [f"to {', '.join(message.to) or '(nobody)'}", f"“{' '.join(str(message.subject).split())}”"]
    if code := _CODE_LINE.search(body):
        parts.append(f"code {code.group(1)}")
    else:
        links = [link.rstrip(".,;:)") for link in _LINK.findall(body)]
        link = next((link for link in links if urlsplit(link).path.strip("/")), links[0] if links else "")
        if link:
            parts.append(f"link {link}")
    return " · ".join(parts)


class ConsoleSummaryEmailBackend(ConsoleEmailBackend):
    """Local development only (``config/settings/local.py``): every message in full on
    standard output — the worker log — as Django's console backend writes it, and its
    :func:`email_summary` appended as a line to ``EMAIL_SUMMARY_FILE``, which ``make run``
    (scripts/run.sh) shows in its terminal.

    The summary holds sign-up codes and password-reset links in plain text, so the backend
    refuses to start unless ``DEBUG`` is on: ``config/celery.py`` and ``manage.py`` default
    to the local settings, and a worker started without ``DJANGO_SETTINGS_MODULE`` (but
    with ``DJANGO_DEBUG=False``) must fail instead of writing them to a file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "ConsoleSummaryEmailBackend writes sign-up codes and reset links to "
                f"{settings.EMAIL_SUMMARY_FILE} and is for local development only (DEBUG=True). "
                "Set DJANGO_SETTINGS_MODULE=config.settings.production and EMAIL_URL."
            )
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages)
        path = Path(settings.EMAIL_SUMMARY_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as summary:
            for message in email_messages:
                if message.recipients():
                    summary.write(email_summary(message) + "\n")
        return count
