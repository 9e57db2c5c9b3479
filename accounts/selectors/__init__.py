"""Reads of accounts, one module per entity; other apps import them from
``accounts.selectors``."""

from .profiles import profile_get_for_user, profile_list_for_user
from .users import user_account_summary, user_get_by_email, user_list_active

__all__ = [
    "profile_get_for_user",
    "profile_list_for_user",
    "user_account_summary",
    "user_get_by_email",
    "user_list_active",
]
