"""Writes of learning, one module per area; import them from the area modules (`learning.services.<area>`)."""
