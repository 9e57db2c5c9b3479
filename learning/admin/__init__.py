"""Admin of learning, one module per area (each registers its models on import)."""

from . import assessment, catalog, certificates, enrollments, pathways, payments, stories, teaching  # noqa: F401 — registration on import
