"""Admin of the instructor role (grant / revoke through the services), courses whose
instructor must hold the role, assignments and read-only submissions."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tests.records import audit_entries
from learning.models import Course, InstructorProfile
from learning.tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    InstructorProfileFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return AdminFactory()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_adding_a_profile_grants_the_role(admin_client, admin_user):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:learning_instructorprofile_add"), {"user": user.pk, "headline": "Producer", "bio": ""}
    )
    assert response.status_code == 302
    profile = InstructorProfile.objects.get(user=user)
    assert (profile.is_active, profile.granted_by, profile.headline) == (True, admin_user, "Producer")


def test_revoke_and_grant_actions_are_audited(admin_client, admin_user):
    profile = InstructorProfileFactory()
    url = reverse("admin:learning_instructorprofile_changelist")
    admin_client.post(url, {"action": "revoke", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert not profile.is_active
    admin_client.post(url, {"action": "grant", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert profile.is_active
    assert profile.granted_by == admin_user
    assert audit_entries().filter(action_name="instructorprofile.updated", object_pk=str(profile.pk)).count() == 2


def _course_data(instructor) -> dict:
    return {
        "title": "Beats",
        "slug": "beats",
        "description": "D",
        "category": CategoryFactory().pk,
        "level": "beginner",
        "estimated_hours": 1,
        "instructor": instructor.pk,
        "price_cents": 0,
        "currency": "USD",
        "modules-TOTAL_FORMS": 0,
        "modules-INITIAL_FORMS": 0,
    }


def test_a_course_instructor_must_hold_the_role(admin_client):
    url = reverse("admin:learning_course_add")
    response = admin_client.post(url, _course_data(UserFactory()))
    assert response.status_code == 200
    assert "is not an instructor" in response.content.decode()
    assert not Course.objects.exists()
    response = admin_client.post(url, _course_data(InstructorProfileFactory().user))
    assert response.status_code == 302
    assert Course.objects.filter(slug="beats").exists()


@pytest.mark.parametrize("model", ["instructorprofile", "assignment", "submission"])
def test_changelists_render_with_constant_queries(admin_client, count_queries, model):
    def fill() -> None:
        InstructorProfileFactory()
        SubmissionFactory(assignment=AssignmentFactory())

    fill()
    url = f"/admin/learning/{model}/"
    few = count_queries(lambda: admin_client.get(url))
    for _ in range(5):
        fill()
    assert count_queries(lambda: admin_client.get(url)) == few


def test_submission_change_page_links_to_grading(admin_client):
    submission = SubmissionFactory()
    response = admin_client.get(reverse("admin:learning_submission_change", args=[submission.pk]))
    assert response.status_code == 200
    assert reverse("learning:teaching-grade", kwargs={"pk": submission.pk}) in response.content.decode()
