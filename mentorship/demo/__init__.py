"""Demo data of mentorship (``manage.py seed_demo``) and its part of the benchmark data set
(``manage.py seed_scale``), registered from ``MentorshipConfig.ready()``."""
