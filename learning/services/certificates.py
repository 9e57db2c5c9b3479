"""Writes of certificates (DESIGN.md §2, learning): issued exactly once per user and course
when an enrollment completes, rendered to a PDF in private storage, revoked and reinstated
by staff, anonymised when the holder deletes their account.

Numbers are ``{CERTIFICATE_NUMBER_PREFIX}-{YYYY}-{NNNNNN}``: the year of issue and that
year's counter (:class:`~learning.models.CertificateSequence`), zero-padded to six digits.
A number is taken inside the transaction that creates the certificate, from a locked
counter row, so numbers are unique, gapless and never reused; a certificate's number never
changes, whatever happens to it later (revoked, re-rendered, its holder erased). Being
consecutive, a number is public knowledge: the verification page names the holder only
with the certificate's random ``verification_token`` (:func:`certificate_verify_url`).
"""

from __future__ import annotations

import base64
import io
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from uuid import UUID

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.files import file_delete, file_store_generated, storage_object_delete
from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.storage import private_storage
from learning.models import Certificate, CertificateSequence, Enrollment
from learning.notifications import LearningNotification
from learning.signals import certificate_issued

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

CERTIFICATE_PDF_TEMPLATE = "learning/certificates/pdf.html"
CERTIFICATE_PDF_MIME_TYPE = "application/pdf"
CERTIFICATE_PDF_TAG = "certificate"
CERTIFICATE_NUMBER_DIGITS = 6
REASON_MAX_LENGTH = 1000


def certificate_number_format(*, year: int, sequence: int) -> str:
    """``PREFIX-YYYY-NNNNNN``: the counter zero-padded to six digits (a seventh appears only
    past a million certificates in one year; numbers stay unique)."""
    return f"{settings.CERTIFICATE_NUMBER_PREFIX}-{year:04d}-{sequence:0{CERTIFICATE_NUMBER_DIGITS}d}"


@transaction.atomic
def certificate_number_next(*, year: int | None = None) -> str:
    """Take the next certificate number of ``year`` (default: this year, UTC).

    The year's counter row is created when missing (two first issuers of a year cannot
    both create it: the loser of the insert reads the winner's row) and then locked until
    the caller's transaction ends, so concurrent issuers take turns and no number is given
    twice. Call it inside the transaction that saves the certificate: if that transaction
    rolls back, the increment does too and the number is not lost.
    """
    year = year or timezone.now().year
    CertificateSequence.objects.get_or_create(year=year)
    sequence = CertificateSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    # One UPDATE of the locked row, not an audited save: the counter is bookkeeping; the
    # certificate's own "created" entry in the audit log records the number it got.
    CertificateSequence.objects.filter(year=year).update(last_number=sequence.last_number)
    return certificate_number_format(year=year, sequence=sequence.last_number)


def certificate_valid_until(*, issued_at: datetime) -> datetime | None:
    """When a certificate issued at ``issued_at`` expires: ``CERTIFICATE_VALIDITY_DAYS``
    later, or never (``None``) when the setting is 0."""
    days = settings.CERTIFICATE_VALIDITY_DAYS
    return issued_at + timedelta(days=days) if days > 0 else None


def certificate_list_path() -> str:
    """The holder's "My certificates" page (action URL of the certificate notifications)."""
    return reverse("learning:certificate-list")


def certificate_verify_url(*, certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page with its
    verification code (printed on the PDF, encoded in its QR code, sent to the holder):
    the page that names the holder and the course. The number alone shows only the state."""
    path = reverse("certificate-verify-detail", kwargs={"number": certificate.number})
    return f"{settings.SITE_URL}{path}?{urlencode({'code': certificate.verification_token})}"


def certificate_pdf_key(*, certificate: Certificate) -> str:
    """``certificates/{userId}/{number}.pdf`` in the private storage (DESIGN.md §2)."""
    return f"certificates/{certificate.user_id}/{certificate.number}.pdf"


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """Issue the certificate of a completed enrollment, exactly once per user and course.

    Requires ``enrollment`` to be completed (``ApplicationError`` otherwise). The enrollment
    row is locked first, so concurrent calls (a redelivered task, a double signal) queue up
    and all but the first find the certificate already there and return it unchanged.

    A new certificate gets the next number (:func:`certificate_number_next`), the holder's
    display name and the course title as they are now, and ``valid_until`` from
    ``CERTIFICATE_VALIDITY_DAYS``. Its holder is notified (``certificate_issued``, linking
    to "My certificates") and always e-mailed (the learner earned it; the copy is not
    subject to the e-mail preference). After commit: the PDF is rendered by
    :func:`learning.tasks.certificate_render_pdf_task` and ``certificate_issued`` is sent.
    """
    from learning.tasks import certificate_render_pdf_task

    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("user", "course")
        .filter(pk=enrollment.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError(_("This enrolment no longer exists."))
    if locked.status != Enrollment.Status.COMPLETED:
        raise ApplicationError(_("This course is not completed yet: a certificate comes with the last lesson."))
    issued_at = timezone.now()
    certificate, created = Certificate.objects.get_or_create(
        user_id=locked.user_id,
        course_id=locked.course_id,
        defaults={
            "enrollment": locked,
            # A callable: a number is taken only when the certificate is really created
            # (Django calls callable defaults; the stubs expect the value itself).
            "number": lambda: certificate_number_next(year=issued_at.year),  # type: ignore[misc]
            "holder_name": locked.user.display_name,
            "course_title": locked.course.title,
            "issued_at": issued_at,
            "valid_until": certificate_valid_until(issued_at=issued_at),
        },
    )
    if not created:
        return certificate
    notification_send(
        user=locked.user,
        type=LearningNotification.CERTIFICATE_ISSUED,
        title=_("Your certificate for “%(course)s” is ready") % {"course": certificate.course_title},
        message=_(
            "Congratulations on completing the course! Certificate %(number)s is in My certificates, "
            "where you can download it as a PDF. Anyone can check it at %(url)s."
        )
        % {"number": certificate.number, "url": certificate_verify_url(certificate=certificate)},
        related=certificate,
        action_url=certificate_list_path(),
        email=True,
    )
    certificate_render_pdf_task.delay_on_commit(str(certificate.pk))
    transaction.on_commit(
        lambda: certificate_issued.send_robust(
            sender=Certificate,
            certificate_id=certificate.pk,
            user_id=certificate.user_id,
            course_id=certificate.course_id,
        )
    )
    return certificate


def certificate_qr_data_uri(*, url: str) -> str:
    """A QR code of ``url`` as an SVG ``data:`` URI (crisp at any print size)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=0)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF: holder, course, date of issue (in the
    holder's time zone), expiry if any, number, verification URL and its QR code. The same
    certificate always renders the same content. Pure: reads and stores nothing."""
    verify_url = certificate_verify_url(certificate=certificate)
    with timezone.override(certificate.user.timezone or "UTC"):
        html = render_to_string(
            CERTIFICATE_PDF_TEMPLATE,
            {
                "certificate": certificate,
                "issued_on": timezone.localdate(certificate.issued_at),
                "valid_until": timezone.localdate(certificate.valid_until) if certificate.valid_until else None,
                "verify_url": verify_url,
                "qr_code": certificate_qr_data_uri(url=verify_url),
                "site_name": settings.SITE_NAME,
            },
        )
    # Imported here: WeasyPrint takes half a second to load, which only PDF makers should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Embedded data: URIs only. The page holds names people typed; nothing in it may make
    # the renderer reach the network or read local files.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _certificate_lock(*, certificate_id: UUID | str) -> Certificate | None:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("user", "pdf")
        .filter(pk=certificate_id)
        .first()
    )


def certificate_render_pdf(*, certificate_id: UUID | str) -> Certificate | None:
    """Render the certificate's PDF and store it privately at exactly
    ``certificates/{userId}/{number}.pdf``; set ``pdf`` and ``pdf_rendered_at``.

    Idempotent: running it again renders the same content again and replaces the stored
    file at the same key (the number never changes). Returns ``None`` and does nothing
    when the certificate is gone or its holder's account was deleted.

    Must run outside any transaction (it is the body of a task; ``RuntimeError`` otherwise).
    The file storage cannot overwrite a key, so a re-render works in two short
    transactions, each holding the certificate's row lock: the first detaches and deletes
    the previous file (row now, object when it commits), the second clears the key of any
    leftover object and stores the new file. Between them the holder briefly sees "being
    prepared" — never a link to a missing file. Storage errors raise ``OSError`` (the task
    retries); a run that fails half-way leaves a state the next run completes.
    """
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or certificate.user.erased_at is not None:
        return None
    content = certificate_pdf_bytes(certificate=certificate)
    key = certificate_pdf_key(certificate=certificate)
    with transaction.atomic(durable=True):
        locked = _certificate_lock(certificate_id=certificate_id)
        if locked is None:
            return None
        previous = locked.pdf
        if previous is not None:
            locked.pdf = None
            locked.pdf_rendered_at = None
            locked.save(update_fields=["pdf", "pdf_rendered_at", "updated_at"])
            file_delete(file=previous)
    with transaction.atomic(durable=True):
        locked = _certificate_lock(certificate_id=certificate_id)
        if locked is None or locked.user.erased_at is not None:
            return None
        if locked.pdf_id is not None:
            return locked  # a concurrent run stored the same content meanwhile
        storage_object_delete(storage=private_storage(), key=key)
        locked.pdf = file_store_generated(
            user=locked.user,
            name=f"{locked.number}.pdf",
            content=content,
            mime_type=CERTIFICATE_PDF_MIME_TYPE,
            key=key,
            tags=[CERTIFICATE_PDF_TAG],
        )
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at", "updated_at"])
    return locked


def certificate_render_pdf_again(*, certificate: Certificate) -> None:
    """Queue a new rendering of the certificate's PDF (after commit); the number and every
    printed detail stay the same."""
    from learning.tasks import certificate_render_pdf_task

    certificate_render_pdf_task.delay_on_commit(str(certificate.pk))


RECONCILE_GRACE = timedelta(minutes=10)
RECONCILE_BATCH = 200


def certificates_reconcile(*, now: datetime | None = None) -> tuple[int, int]:
    """Catch up on work a lost task left undone; returns (certificates issued, PDF
    renderings queued). Scheduled hourly; safe to run any time.

    Completions and certificates younger than :data:`RECONCILE_GRACE` are left to their own
    tasks. Older completed enrollments without a certificate (the issue task was never
    delivered) get theirs now through :func:`certificate_issue` — exactly once as always; and
    older certificates still without a PDF (rendering failed for good) are queued for
    rendering again, except those of deleted accounts. At most :data:`RECONCILE_BATCH` of
    each per run.
    """
    from learning.tasks import certificate_render_pdf_task

    cutoff = (now or timezone.now()) - RECONCILE_GRACE
    issued = 0
    missing = (
        Enrollment.objects.filter(status=Enrollment.Status.COMPLETED, completed_at__lte=cutoff)
        .exclude(Exists(Certificate.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))))
        .order_by("completed_at")[:RECONCILE_BATCH]
    )
    for enrollment in missing:
        try:
            certificate_issue(enrollment=enrollment)
        except ApplicationError:
            continue  # changed meanwhile (no longer completed, or gone)
        issued += 1
    unrendered = Certificate.objects.filter(
        pdf__isnull=True, issued_at__lte=cutoff, user__erased_at__isnull=True
    ).order_by("issued_at")[:RECONCILE_BATCH]
    queued = 0
    for certificate_id in unrendered.values_list("pk", flat=True):
        certificate_render_pdf_task.delay(str(certificate_id))
        queued += 1
    if issued or queued:
        logger.warning("Certificates caught up: %d issued, %d PDFs queued for rendering.", issued, queued)
    return issued, queued


def _reason_clean(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the holder is told it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    return reason


def _check_staff(actor: User) -> None:
    if not actor.has_perm("learning.change_certificate"):
        raise PermissionDenied(_("Only staff who may change certificates can revoke or reinstate them."))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor: User) -> Certificate:
    """Revoke a certificate: the verification page and API say "revoked" from now on.

    Requires ``actor`` to hold ``learning.change_certificate`` (``PermissionDenied``), a
    non-blank ``reason`` (``ValidationError`` keyed ``reason``) and a certificate that is
    not revoked (``ApplicationError``). Saves the instance (the audit log records the
    change) and notifies the holder with the reason.
    """
    _check_staff(actor)
    reason = _reason_clean(reason)
    locked = _certificate_lock(certificate_id=certificate.pk)
    if locked is None:
        raise ApplicationError(_("This certificate no longer exists."))
    if locked.revoked_at is not None:
        raise ApplicationError(_("Certificate %(number)s is already revoked.") % {"number": locked.number})
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    notification_send(
        user=locked.user,
        type=LearningNotification.CERTIFICATE_REVOKED,
        title=_("Your certificate for “%(course)s” was revoked") % {"course": locked.course_title},
        message=_("Certificate %(number)s is no longer valid. Reason: %(reason)s")
        % {"number": locked.number, "reason": reason},
        related=locked,
        action_url=certificate_list_path(),
    )
    return locked


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, reason: str, actor: User) -> Certificate:
    """Undo a revocation: ``revoked_at`` and ``revoked_reason`` are cleared (valid again,
    or expired if its time has passed).

    Same requirements as :func:`certificate_revoke`, but the certificate must be revoked
    (``ApplicationError`` otherwise). Saves the instance (audited: the entry keeps the
    former revocation) and notifies the holder with the reason.
    """
    _check_staff(actor)
    reason = _reason_clean(reason)
    locked = _certificate_lock(certificate_id=certificate.pk)
    if locked is None:
        raise ApplicationError(_("This certificate no longer exists."))
    if locked.revoked_at is None:
        raise ApplicationError(_("Certificate %(number)s is not revoked.") % {"number": locked.number})
    locked.revoked_at = None
    locked.revoked_reason = ""
    locked.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    notification_send(
        user=locked.user,
        type=LearningNotification.CERTIFICATE_REVOKED,
        title=_("Your certificate for “%(course)s” is valid again") % {"course": locked.course_title},
        message=_("Certificate %(number)s has been reinstated. Reason: %(reason)s")
        % {"number": locked.number, "reason": reason},
        related=locked,
        action_url=certificate_list_path(),
    )
    return locked


ERASED_HOLDER_NAME = "Deleted user"
ERASED_REVOKED_REASON = "The holder deleted their account."


def certificates_erase_for_user(*, user: User) -> int:
    """Erase a deleting user's certificates (their "delete my account"); returns how many.

    The choice: a certificate is a public claim by its number, so the row stays — its number
    is never given again and anyone who verifies it learns the truth, "revoked" on the day
    of the deletion — but nothing about the person does: the holder name becomes "Deleted
    user" and the PDF (file row and stored object) is deleted. The course title and dates
    stay (they describe the course, not the person). No notification: the account is
    going. Runs inside the erasure's transaction; saved instance by instance, so the audit
    log records it (with values hidden by the erasure).
    """
    now = timezone.now()
    count = 0
    for certificate in Certificate.objects.select_for_update(of=("self",)).select_related("pdf").filter(user=user):
        previous = certificate.pdf
        certificate.holder_name = ERASED_HOLDER_NAME
        certificate.pdf = None
        certificate.pdf_rendered_at = None
        if certificate.revoked_at is None:
            certificate.revoked_at = now
            certificate.revoked_reason = ERASED_REVOKED_REASON
        certificate.save()
        if previous is not None:
            file_delete(file=previous)
        count += 1
    return count
