"""Admin of mentorship, one module per area (each registers its models on import)."""

from . import availability, events, profiles, reviews, sessions, venues  # noqa: F401 — registration on import
