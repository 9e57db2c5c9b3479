"""Pages of accounts, one module per area; routes in ``accounts/urls.py``."""
