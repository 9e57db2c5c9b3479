"""Admin of learning, one module per area (each registers its models on import)."""

from . import assessment, catalog, certificates, enrollments, pathways, payments, receipts, stories, teaching  # noqa: F401 — registration on import
