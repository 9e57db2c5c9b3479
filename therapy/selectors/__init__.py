"""Reads of therapy, one module per area; import them from the area modules (`therapy.selectors.<area>`)."""
