"""Identity and the platform services every other app uses: users, roles, audit, files,
notifications, the private calendar feed (every app adds its entries), the dashboard and
navigation registries, health, and the API plumbing."""
