"""Reads of accounts, one module per entity; other apps import them from
``accounts.selectors``."""

from .users import user_account_summary, user_get_by_email, user_list_active

__all__ = ["user_account_summary", "user_get_by_email", "user_list_active"]
