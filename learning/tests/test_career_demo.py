"""The demo shows issue 18's journeys: the learner's retaken assessment with both results
and their pathways, categories with icons and colours, lesson descriptions, and an
announcement sent to everyone once (with a draft to send from admin)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.selectors.users import user_get_by_email, user_list_active
from accounts.tests.records import announcement_deliveries, announcements, notifications
from learning.models import Assessment, Category, Lesson

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_the_career_history_the_look_and_an_announcement_once(seeded_demo):
    learner = user_get_by_email(email="learner@ascend.example")
    first, retake = Assessment.objects.filter(user=learner).order_by("created_at")
    assert [c.name for c in first.selected_subcategories.all()] == ["Illustration"]
    assert sorted(c.name for c in retake.selected_subcategories.all()) == ["Audio Engineer", "Producer"]
    assert learner.career_pathways.count() == 3
    client = Client()
    client.force_login(learner)
    page = client.get(reverse("learning:assessment")).content.decode()
    assert "Earlier results" in page
    assert "you chose Illustration" in page
    assert "Your career pathways" in client.get(reverse("dashboard")).content.decode()

    assert not Category.objects.filter(parent=None, icon="").exists()
    assert not Category.objects.filter(parent=None, colour="").exists()
    assert Lesson.objects.exclude(description="").count() >= 10

    sent = announcements().get(status="sent")
    active = user_list_active().filter(erased_at__isnull=True).count()
    assert sent.sent_count == sent.total == active
    assert announcement_deliveries().filter(announcement=sent).count() == active
    assert notifications().filter(type="admin_update", user=learner).count() == 1
    assert announcements().filter(status="draft", audience="tier:premium").exists()
