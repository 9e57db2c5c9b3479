"""Reports for managers: how the community grows and how well accounts are secured, and
every app's numbers over a period (the sections registered in
:data:`core.registry.report_sections`)."""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.registry import report_sections
from core.reports import ReportMetric, ReportPeriod, SectionReport, bucket_series_one


def report_users_summary() -> dict[str, Any]:
    """Counts of members (deleted accounts excluded) — five queries whatever the numbers."""
    now = timezone.now()
    members = User.objects.filter(erased_at__isnull=True)
    totals = members.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        staff=Count("pk", filter=Q(is_staff=True)),
        onboarding=Count("pk", filter=Q(is_new_user=True, is_active=True)),
        joined_7=Count("pk", filter=Q(date_joined__gte=now - timedelta(days=7))),
        joined_30=Count("pk", filter=Q(date_joined__gte=now - timedelta(days=30))),
        seen_30=Count("pk", filter=Q(last_login__gte=now - timedelta(days=30))),
    )
    tiers = dict(members.filter(is_active=True).values_list("membership_tier").annotate(n=Count("pk")))
    verified = EmailAddress.objects.filter(verified=True, primary=True, user__is_active=True).count()
    with_mfa = (
        Authenticator.objects.filter(type=Authenticator.Type.TOTP, user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )
    active = totals["active"] or 1
    return {
        **totals,
        "deleted": User.objects.filter(erased_at__isnull=False).count(),
        "tiers": [(label, tiers.get(value, 0)) for value, label in User.MembershipTier.choices],
        "verified_percent": round(100 * verified / active),
        "mfa_percent": round(100 * with_mfa / active),
    }


def report_members(period: ReportPeriod) -> list[ReportMetric]:
    """Members who joined in ``period`` and accounts deleted in it, per bucket. Two queries."""
    joined = bucket_series_one(User.objects.all(), field_name="date_joined", period=period, n=Count("pk"))["n"]
    deleted = bucket_series_one(User.objects.all(), field_name="erased_at", period=period, n=Count("pk"))["n"]
    return [
        ReportMetric("joined", _("Members who joined"), sum(joined), series=joined),
        ReportMetric("deleted", _("Accounts deleted"), sum(deleted), series=deleted),
    ]


def report_sections_compute(period: ReportPeriod) -> list[SectionReport]:
    """Every registered section's numbers for ``period``, in the registry's order: what the
    reports page, its CSV and the API show. A constant number of queries per section."""
    return [
        SectionReport(section.key, section.title, section.compute(period), section.note)
        for section in report_sections.all()
    ]
