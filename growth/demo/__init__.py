"""Demo data of growth (``manage.py seed_demo``) and its part of the benchmark data set
(``manage.py seed_scale``), registered from ``GrowthConfig.ready()``."""
