"""Reads of mentorship, one module per area; import them from the area modules (`mentorship.selectors.<area>`)."""
