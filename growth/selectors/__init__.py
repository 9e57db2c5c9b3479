"""Reads of growth, one module per area; import them from the area modules (`growth.selectors.<area>`)."""
