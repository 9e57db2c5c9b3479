"""A mentor's mentees in the mentoring workspace: the list, one mentee's page with their
pathways to advise on (page and API), and the advising from there to the learner's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.services.pathways import pathway_create
from learning.tests.factories import SubcategoryFactory
from mentorship.models import MentorshipSession
from mentorship.selectors.mentees import mentee_list_for_mentor
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

Status = MentorshipSession.Status


@pytest.fixture
def mentor():
    return MentorProfileFactory().user


def test_mentees_are_people_with_a_confirmed_or_completed_session(mentor):
    confirmed, completed, pending, cancelled = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    MentorshipSessionFactory(mentor=mentor, mentee=confirmed, status=Status.CONFIRMED)
    MentorshipSessionFactory.create_batch(2, mentor=mentor, mentee=completed, completed=True)
    later = timezone.now() + timedelta(days=3)
    MentorshipSessionFactory(mentor=mentor, mentee=pending, status=Status.PENDING, start_at=later)
    MentorshipSessionFactory(mentor=mentor, mentee=cancelled, status=Status.CANCELLED, cancelled_at=timezone.now())
    mentees = mentee_list_for_mentor(mentor=mentor)
    assert [(mentee.user, mentee.sessions) for mentee in mentees] == [(confirmed, 1), (completed, 2)]
    # Someone else's mentee is not theirs.
    assert mentee_list_for_mentor(mentor=MentorProfileFactory().user) == []


def test_the_mentee_page_lists_their_pathways_to_advise(client, mentor, django_assert_max_num_queries):
    mentee = UserFactory(first_name="Lena", last_name="Learner")
    MentorshipSessionFactory(mentor=mentor, mentee=mentee, status=Status.CONFIRMED)
    pathway = pathway_create(user=mentee, subcategory=SubcategoryFactory(name="Producer"))
    client.force_login(mentor)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("mentorship:mentees")).content.decode()
    detail_url = reverse("mentorship:mentee-detail", kwargs={"mentee_id": mentee.pk})
    assert detail_url in html
    assert "Lena Learner" in html
    for _ in range(4):
        pathway_create(user=mentee, subcategory=SubcategoryFactory())
    with django_assert_max_num_queries(20):
        html = client.get(detail_url).content.decode()
    assert reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk}) in html
    assert "Producer" in html


def test_a_stranger_is_no_mentee(client, mentor):
    stranger = UserFactory()
    MentorshipSessionFactory(mentor=mentor, mentee=stranger, status=Status.PENDING)
    pathway_create(user=stranger, subcategory=SubcategoryFactory())
    client.force_login(mentor)
    assert client.get(reverse("mentorship:mentee-detail", kwargs={"mentee_id": stranger.pk})).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("mentorship:mentee-detail", kwargs={"mentee_id": mentor.pk})).status_code == 404


def test_advising_from_the_workspace_reaches_the_learner(client, mentor):
    mentee = UserFactory()
    MentorshipSessionFactory(mentor=mentor, mentee=mentee, completed=True)
    pathway = pathway_create(user=mentee, subcategory=SubcategoryFactory())
    original = list(pathway.steps.values_list("title", flat=True))
    client.force_login(mentor)
    advise_url = reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk})
    form = client.get(advise_url)
    assert form.status_code == 200
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
        "form-0-title": "Finish one beat a week",
        "form-0-description": "",
        "form-0-resources": "",
        "form-0-estimated_time": "",
        "notes": "Finishing beats teaches more than starting them.",
    }
    prefix = form.context["formset"].prefix
    data = {key.replace("form-", f"{prefix}-"): value for key, value in data.items()}
    response = client.post(advise_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(mentee)
    html = client.get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})).content.decode()
    assert f"{mentor.display_name} advised new steps" in html
    assert "Finishing beats teaches more than starting them." in html
    assert "Finish one beat a week" in html
    assert original[0] in html  # in the change's "before"


def test_the_api_lists_mentees_and_leads_to_their_pathways(api_client, mentor):
    mentee = UserFactory()
    MentorshipSessionFactory(mentor=mentor, mentee=mentee, status=Status.CONFIRMED)
    pathway = pathway_create(user=mentee, subcategory=SubcategoryFactory())
    api_client.force_authenticate(mentor)
    [found] = api_client.get("/api/v1/mentorship/mentees/").json()
    assert (found["id"], found["sessions"]) == (str(mentee.pk), 1)
    pathways = api_client.get(found["pathways_url"]).json()
    assert [item["id"] for item in pathways] == [str(pathway.pk)]
    body = {"steps": [{"title": "Finish one beat a week"}], "notes": "Small and steady."}
    assert api_client.put(f"/api/v1/learning/pathways/{pathway.pk}/steps/", body, format="json").status_code == 200
    api_client.force_authenticate(mentee)
    [change] = api_client.get(f"/api/v1/learning/pathways/{pathway.pk}/changes/").json()
    assert (change["author"], change["notes"]) == (str(mentor.pk), "Small and steady.")
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/mentorship/mentees/").json() == []
    assert api_client.get(found["pathways_url"]).status_code == 404
