"""Demo data of accounts (``manage.py seed_demo``: the demo users of every role, their
profiles, notifications and files) and the users of the benchmark data set (``manage.py
seed_scale``). The seeders are registered in :mod:`accounts.registry` from
``AccountsConfig.ready()``; production code never imports this package otherwise."""
