"""Reads of learning, one module per area; import them from the area modules (`learning.selectors.<area>`)."""
