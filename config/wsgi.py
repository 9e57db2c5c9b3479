"""WSGI entry point (gunicorn config.wsgi): the production settings unless
DJANGO_SETTINGS_MODULE names others — `make run` serves it with config.settings.local."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
