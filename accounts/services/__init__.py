"""Writes of accounts, one module per entity; import them from the area modules (`accounts.services.<area>`)."""
