"""Reads of certificates: the holder's own ("My certificates" page and API), the public
verification (:func:`certificate_verification`: the number alone gives the state, the number
with the certificate's verification code also the holder, course and dates), and the state
rule as a query (for filters).

A certificate's state (``Certificate.state``): revoked when ``revoked_at`` is set; otherwise
expired once ``valid_until`` has passed; otherwise valid. :func:`certificate_state_q` is the
same rule for the database.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework.generics import get_object_or_404

from accounts.selectors.files import file_download_url
from learning.models import Certificate

if TYPE_CHECKING:
    from accounts.models import User

# What a typed number may look like before it is looked up (letters, digits, dashes).
_NUMBER_SHAPE = re.compile(r"^[A-Za-z0-9-]+$")
NUMBER_MAX_LENGTH = Certificate._meta.get_field("number").max_length or 40


def certificate_state_q(state: str) -> Q:
    """The rule of ``Certificate.state`` as a filter: certificates in ``state`` now."""
    now = timezone.now()
    not_expired = Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    if state == Certificate.State.REVOKED:
        return Q(revoked_at__isnull=False)
    if state == Certificate.State.EXPIRED:
        return Q(revoked_at__isnull=True, valid_until__lte=now)
    if state == Certificate.State.VALID:
        return Q(revoked_at__isnull=True) & not_expired
    raise ValueError(f"Unknown certificate state: {state}")


class CertificateFilter(filters.FilterSet):
    """Filters of the holder's certificates (page and API)."""

    state = filters.ChoiceFilter(
        choices=Certificate.State.choices, method="filter_state", help_text="Only certificates in this state now."
    )
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the certificate of this course.")

    class Meta:
        model = Certificate
        fields = ["state", "course"]

    def filter_state(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        return queryset.filter(certificate_state_q(value))


def certificate_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Certificate]:
    """The user's certificates with their course and PDF file loaded, newest first. One
    query. Valid ``filters`` (``state``, ``course``) narrow it; invalid ones are ignored
    here (the API validates them through :class:`CertificateFilter`)."""
    queryset = Certificate.objects.filter(user=user).select_related("course", "pdf").order_by("-issued_at", "-id")
    if filters:
        filterset = CertificateFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def certificate_get_for_user(*, user: User, pk: UUID | str) -> Certificate:
    """One of the user's own certificates; another user's, or a malformed id, raises
    ``Http404`` (pages and API alike)."""
    return get_object_or_404(certificate_list_for_user(user=user), pk=pk)


def certificate_number_clean(number: str) -> str:
    """A number as people type it, without spaces (``asc-2026- 000042``)."""
    return re.sub(r"\s+", "", number)


def certificate_number_is_well_formed(number: str) -> bool:
    """Whether ``number`` (cleaned) could be a certificate number: letters, digits and
    dashes, at most as long as the field."""
    return bool(number) and len(number) <= NUMBER_MAX_LENGTH and bool(_NUMBER_SHAPE.match(number))


def certificate_get_by_number(*, number: str) -> Certificate | None:
    """The certificate with this number, typed as printed or in lower case, spaces ignored;
    ``None`` when there is none. Public: callers show only what verification shows. One
    query, none when the text cannot be a number."""
    cleaned = certificate_number_clean(number)
    if not certificate_number_is_well_formed(cleaned):
        return None
    return Certificate.objects.filter(number__in={cleaned, cleaned.upper()}).first()


@dataclass(frozen=True)
class CertificateVerification:
    """What the public verification shows: always the certificate's number and state;
    ``with_details`` (the right verification code was given) adds the holder, the course
    and the dates. Pages and API show nothing else."""

    certificate: Certificate
    with_details: bool

    @property
    def state(self) -> str:
        return self.certificate.state


def certificate_verification(*, number: str, code: str | None = None) -> CertificateVerification | None:
    """The public verification of ``number`` (as :func:`certificate_get_by_number` finds
    it). Without ``code``: the state only — numbers are consecutive, so the number alone
    must not name anyone. With ``code``: the details too when it is the certificate's
    verification code (compared in constant time); any other code, like an unknown
    number, is ``None`` (a 404). One query."""
    certificate = certificate_get_by_number(number=number)
    if certificate is None:
        return None
    if code is None:
        return CertificateVerification(certificate=certificate, with_details=False)
    if not secrets.compare_digest(code.strip().encode(), certificate.verification_token.encode()):
        return None
    return CertificateVerification(certificate=certificate, with_details=True)


def certificate_pdf_url(*, certificate: Certificate) -> str | None:
    """A fresh short-lived signed URL of the certificate's PDF, or ``None`` while it is
    being prepared. Needs ``pdf`` loaded (no query)."""
    return file_download_url(file=certificate.pdf) if certificate.pdf is not None else None
