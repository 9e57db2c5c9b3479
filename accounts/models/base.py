"""The abstract base model every model of the project builds on."""

import uuid

from django.db import models
from django.utils import timezone


class BaseModel(models.Model):
    """UUID4 primary key and creation/update times (UTC), for every model of the project."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
