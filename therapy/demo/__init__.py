"""Demo data of therapy (``manage.py seed_demo``), registered from ``TherapyConfig.ready()``."""
