"""allauth's adapter: where a sign-in leads.

A member who has neither finished nor skipped the welcome is led to it after signing in or
confirming their e-mail address; a ``next`` address given with the sign-in still wins
(allauth prefers it), and the dashboard offers the welcome afterwards. Sign-ins through
the API (allauth headless) answer JSON and never redirect.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts.selectors.onboarding import onboarding_is_pending


class AccountAdapter(DefaultAccountAdapter):
    def _welcome_or(self, request: HttpRequest, default: str) -> str:
        user = request.user
        if user.is_authenticated and onboarding_is_pending(user=user):
            return reverse("accounts:welcome")
        return default

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._welcome_or(request, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._welcome_or(request, super().get_signup_redirect_url(request))
