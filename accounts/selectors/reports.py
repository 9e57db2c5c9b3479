"""Reports for managers: how the community grows and how well accounts are secured."""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User


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
