"""Identity and the platform services every other app uses: users, roles, audit, files,
notifications, the dashboard and navigation registries, health, and the API plumbing."""
