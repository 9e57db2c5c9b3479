"""Ticking steps, progress, advisor rewrites (staff, registered checks, nobody else)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from learning.models import CareerPathway
from learning.notifications import LearningNotification
from learning.registry import AdvisorCheck, advisor_checks
from learning.selectors.pathways import pathway_get_for_advisor, pathway_list_for_user, pathway_progress_percent
from learning.services.pathways import (
    pathway_create,
    pathway_step_complete,
    pathway_step_uncomplete,
    pathway_steps_rewrite,
)
from learning.tests.factories import CourseFactory, SubcategoryFactory

pytestmark = pytest.mark.django_db

NEW_STEPS = [
    {"title": "Record a demo", "description": "Three songs.", "resources": [], "estimated_time": "2 weeks"},
    {"title": "Find a mentor", "resources": [{"title": "Directory", "url": "https://example.com/m"}]},
]


@pytest.fixture
def pathway() -> CareerPathway:
    return pathway_create(user=UserFactory(), subcategory=SubcategoryFactory())


def test_ticking_steps_moves_progress(pathway: CareerPathway) -> None:
    [step] = pathway.steps.all()
    pathway_step_complete(user=pathway.user, step=step)
    row = pathway_list_for_user(user=pathway.user).get()
    assert (row.done_count, row.step_count) == (1, 1)
    assert pathway_progress_percent(done=row.done_count, total=row.step_count) == 100

    pathway_step_uncomplete(user=pathway.user, step=step)
    row = pathway_list_for_user(user=pathway.user).get()
    assert row.done_count == 0
    assert pathway_progress_percent(done=0, total=3) == 0
    assert pathway_progress_percent(done=1, total=3) == 33
    assert pathway_progress_percent(done=0, total=0) == 0


def test_completing_twice_keeps_the_first_time(pathway: CareerPathway) -> None:
    [step] = pathway.steps.all()
    first = pathway_step_complete(user=pathway.user, step=step).completed_at
    step.refresh_from_db()
    assert pathway_step_complete(user=pathway.user, step=step).completed_at == first


def test_another_learner_cannot_tick(pathway: CareerPathway) -> None:
    [step] = pathway.steps.all()
    with pytest.raises(Http404):
        pathway_step_complete(user=UserFactory(), step=step)
    step.refresh_from_db()
    assert step.completed_at is None


def test_a_user_without_an_advisor_check_cannot_rewrite(pathway: CareerPathway) -> None:
    mentor = UserFactory()
    with pytest.raises(Http404):
        pathway_steps_rewrite(pathway=pathway, advisor=mentor, steps=NEW_STEPS, notes="x")
    with pytest.raises(Http404):  # nor the learner themselves
        pathway_steps_rewrite(pathway=pathway, advisor=pathway.user, steps=NEW_STEPS, notes="x")
    pathway.refresh_from_db()
    assert not pathway.overridden_by_advisor
    assert pathway.steps.count() == 1
    assert pathway_get_for_advisor(advisor=mentor, pathway_id=pathway.pk) is None


def test_staff_rewrite_sets_the_flag_notes_and_notifies(
    pathway: CareerPathway, django_capture_on_commit_callbacks
) -> None:
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        pathway_steps_rewrite(pathway=pathway, advisor=staff, steps=NEW_STEPS, notes="Focus on demos first.")
    pathway.refresh_from_db()
    assert pathway.overridden_by_advisor
    assert pathway.advisor == staff
    assert pathway.advisor_notes == "Focus on demos first."
    steps = list(pathway.steps.all())
    assert [(s.order, s.title) for s in steps] == [(1, "Record a demo"), (2, "Find a mentor")]
    assert steps[1].resources == [{"title": "Directory", "url": "https://example.com/m"}]
    notification = notifications().get(user=pathway.user)
    assert notification.type == LearningNotification.PATHWAY_UPDATED
    assert str(pathway.pk) in notification.action_url


def test_a_kept_step_keeps_its_completion(pathway: CareerPathway) -> None:
    [step] = pathway.steps.all()
    pathway_step_complete(user=pathway.user, step=step)
    steps = [{"title": step.title}, {"title": "New"}]
    pathway_steps_rewrite(pathway=pathway, advisor=UserFactory(is_staff=True), steps=steps)
    done = {s.title: s.completed_at is not None for s in pathway.steps.all()}
    assert done == {step.title: True, "New": False}


def test_a_registered_advisor_check_lets_that_advisor_rewrite(pathway: CareerPathway) -> None:
    mentor, stranger = UserFactory(), UserFactory()
    advisor_checks.register(
        AdvisorCheck(key="test-mentor", allows=lambda advisor, learner: advisor == mentor and learner == pathway.user)
    )
    try:
        pathway_steps_rewrite(pathway=pathway, advisor=mentor, steps=NEW_STEPS, notes="ok")
        with pytest.raises(Http404):
            pathway_steps_rewrite(pathway=pathway, advisor=stranger, steps=NEW_STEPS)
    finally:
        advisor_checks.unregister("test-mentor")
    pathway.refresh_from_db()
    assert pathway.advisor == mentor
    assert pathway.overridden_by_advisor


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "at least one step"),
        ([{"title": " "}], "needs a title"),
        ([{"title": "A", "resources": [{"title": "x", "url": "javascript:alert(1)"}]}], "not a web address"),
        ([{"title": "A", "resources": [{"title": "x", "course": "no-such-course"}]}], "no course"),
        ([{"title": "A", "resources": "nope"}], "must be a list"),
    ],
)
def test_bad_steps_change_nothing(pathway: CareerPathway, steps: list, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        pathway_steps_rewrite(pathway=pathway, advisor=UserFactory(is_staff=True), steps=steps, notes="n")
    pathway.refresh_from_db()
    assert not pathway.overridden_by_advisor
    assert pathway.steps.count() == 1


def test_a_course_resource_is_kept_by_slug(pathway: CareerPathway) -> None:
    course = CourseFactory()
    steps = [{"title": "Take it", "resources": [{"title": "", "course": course.slug}]}]
    pathway_steps_rewrite(pathway=pathway, advisor=UserFactory(is_staff=True), steps=steps)
    assert pathway.steps.get().resources == [{"title": course.slug, "course": course.slug}]
