"""Career pathways: created when a learner chooses a subcategory (from its staff-authored
template), ticked off step by step by the learner, rewritten by an advisor (staff or a
registered advisor check, ``learning.registry.advisor_checks``)."""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from learning.models import CareerPathway, Category, PathwayStep, PathwayTemplate


def _default_step(subcategory: Category) -> dict[str, Any]:
    url = f"{reverse('learning:course-list')}?{urlencode({'subcategory': subcategory.slug})}"
    return {
        "order": 1,
        "title": _("Explore courses in %(subcategory)s") % {"subcategory": subcategory.name},
        "description": _("Browse the catalog for %(subcategory)s and enrol in a course that fits you.")
        % {"subcategory": subcategory.name},
        "resources": [{"title": _("Courses in %(subcategory)s") % {"subcategory": subcategory.name}, "url": url}],
        "estimated_time": "",
    }


def pathway_create(*, user: User, subcategory: Category) -> CareerPathway:
    """Return ``user``'s pathway for ``subcategory``, creating it on first call (idempotent,
    also when two requests race: one pathway per user and subcategory).

    Precondition: ``subcategory`` is a subcategory (it has a parent), else ``ValidationError``.
    A new pathway copies the steps of the subcategory's ``PathwayTemplate`` in order; without
    a template it gets one step "Explore courses in <subcategory>" linking to the catalog
    filtered by the subcategory. No notification is sent.
    """
    if subcategory.parent_id is None:
        raise ValidationError(_("Choose a subcategory, not a whole category."))
    existing = CareerPathway.objects.filter(user=user, subcategory=subcategory).first()
    if existing is not None:
        return existing
    template = PathwayTemplate.objects.filter(subcategory=subcategory).prefetch_related("steps").first()
    if template is not None and template.steps.all():
        title = template.title
        steps = [
            {
                "order": index,
                "title": step.title,
                "description": step.description,
                "resources": list(step.resources or []),
                "estimated_time": step.estimated_time,
            }
            for index, step in enumerate(template.steps.all(), start=1)
        ]
    else:
        title = template.title if template is not None else subcategory.name
        steps = [_default_step(subcategory)]
    try:
        with transaction.atomic():
            pathway = CareerPathway.objects.create(user=user, subcategory=subcategory, template=template, title=title)
            for step in steps:
                PathwayStep.objects.create(pathway=pathway, **step)
    except IntegrityError:
        existing = CareerPathway.objects.filter(user=user, subcategory=subcategory).first()
        if existing is None:
            raise
        return existing
    return pathway
