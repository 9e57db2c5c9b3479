"""Admin of the career assessment: the question bank and keywords are editable; assessments
and career profiles are read-only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.demo.seed import seed_career_assessment
from learning.models import Assessment, AssessmentQuestion, CareerKeyword
from learning.services.assessments import assessment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_edit_questions_and_keywords_and_only_look_at_assessments(staff_client):
    seed_career_assessment()
    assessment = assessment_start(user=UserFactory())
    keyword = CareerKeyword.objects.first()
    question = AssessmentQuestion.objects.first()

    assert staff_client.get(reverse("admin:learning_assessmentquestion_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:learning_assessmentquestion_change", args=[question.pk])).status_code == 200
    listing = staff_client.get(reverse("admin:learning_careerkeyword_changelist"), {"q": keyword.keyword})
    assert listing.status_code == 200
    assert keyword.keyword in listing.text
    assert staff_client.get(reverse("admin:learning_assessment_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:learning_assessment_add")).status_code == 403
    assert staff_client.get(reverse("admin:learning_careerprofile_changelist")).status_code == 200
    detail = staff_client.get(reverse("admin:learning_assessment_change", args=[assessment.pk]))
    assert detail.status_code == 200
    assert Assessment.objects.count() == 1
