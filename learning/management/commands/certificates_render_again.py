"""``manage.py certificates_render_again``: queue a new rendering of every certificate's PDF."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from learning.models import Certificate
from learning.services.certificates import certificate_render_pdf_again


class Command(BaseCommand):
    help = (
        "Queue a new rendering of every certificate's PDF (the worker renders them): after the site's "
        "address (SITE_URL) changed, so their verification link and QR code show the new one. Numbers and "
        "printed details stay the same; `make run` calls it when it serves at another address than before."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            certificates = list(Certificate.objects.only("pk"))
            for certificate in certificates:
                certificate_render_pdf_again(certificate=certificate)
        self.stdout.write(f"{len(certificates)} certificates queued for rendering.")
