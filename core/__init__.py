"""The kernel: plumbing every app builds on, with no domain of its own.

Errors, registries of the site's shell, storages, the task outbox and e-mail through it,
batch helpers, the health check, validators, middleware, form and admin helpers, SVG
charts, and in :mod:`core.api` the API plumbing (authentication, errors, pagination,
schema, throttling, caching, the fast list representation). core imports no app.
"""
