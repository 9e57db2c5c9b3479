"""The accounts API (mounted at /api/v1/accounts/) and the API plumbing every app shares:
authentication, pagination, the error format and the schema generator."""
