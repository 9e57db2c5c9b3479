"""Relationships: request, accept, end, block — services, API and pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from therapy.models import TherapistProfile, TherapyRelationship
from therapy.notifications import TherapyNotification
from therapy.rules import relationship_active_between
from therapy.services.relationships import (
    relationship_accept,
    relationship_block,
    relationship_end,
    relationship_request,
)
from therapy.tests.factories import TherapistProfileFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

Status = TherapyRelationship.Status
API = "/api/v1/therapy/relationships/"


def test_request_accept_end_and_request_again():
    client = UserFactory()
    profile = TherapistProfileFactory()
    relationship = relationship_request(client=client, therapist_profile=profile)
    assert relationship.status == Status.PENDING
    assert notifications().filter(user=profile.user, type=TherapyNotification.THERAPY_REQUEST).count() == 1
    assert not relationship_active_between(client=client, therapist=profile.user)
    relationship = relationship_accept(relationship=relationship, by=profile.user)
    assert relationship.status == Status.ACTIVE
    assert relationship.accepted_at is not None
    assert relationship_active_between(client=client, therapist=profile.user)
    assert notifications().filter(user=client, type=TherapyNotification.THERAPY_RELATIONSHIP).count() == 1
    relationship = relationship_end(relationship=relationship, by=client)
    assert relationship.status == Status.ENDED
    assert relationship.ended_by == client
    again = relationship_request(client=client, therapist_profile=profile)
    assert again.pk == relationship.pk
    assert again.status == Status.PENDING
    assert again.ended_at is None
    assert TherapyRelationship.objects.count() == 1


def test_only_the_therapist_accepts_and_only_pending():
    relationship = TherapyRelationshipFactory(status=Status.PENDING)
    with pytest.raises(ApplicationError):
        relationship_accept(relationship=relationship, by=relationship.client)
    relationship_accept(relationship=relationship, by=relationship.therapist)
    with pytest.raises(ApplicationError, match="Only a pending request"):
        relationship_accept(relationship=relationship, by=relationship.therapist)


def test_unverified_therapist_cannot_be_asked():
    profile = TherapistProfileFactory(status=TherapistProfile.Status.PENDING)
    with pytest.raises(ValidationError):
        relationship_request(client=UserFactory(), therapist_profile=profile)


def test_not_accepting_and_duplicate_requests_are_refused():
    profile = TherapistProfileFactory(accepting_clients=False)
    with pytest.raises(ApplicationError, match="not accepting"):
        relationship_request(client=UserFactory(), therapist_profile=profile)
    assert TherapyRelationship.objects.count() == 0
    relationship = TherapyRelationshipFactory(status=Status.PENDING)
    profile = relationship.therapist.therapist_profile
    with pytest.raises(ApplicationError, match="already asked"):
        relationship_request(client=relationship.client, therapist_profile=profile)


def test_blocked_client_cannot_ask_again_nothing_stored(client, api_client):
    relationship = TherapyRelationshipFactory()
    relationship_block(relationship=relationship, by=relationship.therapist)
    profile = relationship.therapist.therapist_profile
    before = (TherapyRelationship.objects.count(), notifications().count())
    with pytest.raises(ApplicationError, match="not taking requests"):
        relationship_request(client=relationship.client, therapist_profile=profile)
    # The API: 409 with the reason, nothing stored.
    api_client.force_authenticate(relationship.client)
    response = api_client.post(API, {"therapist": str(profile.pk)}, format="json")
    assert response.status_code == 409
    assert "not taking requests" in response.json()["detail"]
    # The page: the reason shown, nothing stored.
    client.force_login(relationship.client)
    response = client.post(reverse("therapy:relationship-request", kwargs={"pk": profile.pk}), follow=True)
    assert "not taking requests" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == Status.BLOCKED
    assert (TherapyRelationship.objects.count(), notifications().count()) == before


def test_only_the_therapist_blocks():
    relationship = TherapyRelationshipFactory()
    with pytest.raises(ApplicationError):
        relationship_block(relationship=relationship, by=relationship.client)


def test_api_request_accept_end_block(api_client):
    client, profile = UserFactory(), TherapistProfileFactory()
    api_client.force_authenticate(client)
    response = api_client.post(API, {"therapist": str(profile.pk)}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["my_role"] == "client"
    url = f"{API}{body['id']}/"
    assert api_client.post(f"{url}accept/").status_code == 409
    api_client.force_authenticate(profile.user)
    response = api_client.post(f"{url}accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert api_client.get(API, {"role": "therapist"}).json()["count"] == 1
    assert api_client.get(API, {"role": "client"}).json()["count"] == 0
    response = api_client.post(f"{url}block/")
    assert response.status_code == 200
    assert response.json()["status"] == "blocked"
    assert api_client.post(f"{url}end/").status_code == 409


def test_non_party_gets_404(api_client, client):
    relationship = TherapyRelationshipFactory()
    stranger = UserFactory()
    api_client.force_authenticate(stranger)
    assert api_client.get(f"{API}{relationship.pk}/").status_code == 404
    for action in ("accept", "end", "block"):
        assert api_client.post(f"{API}{relationship.pk}/{action}/").status_code == 404
    client.force_login(stranger)
    url = reverse("therapy:relationship-action", kwargs={"pk": relationship.pk, "action": "end"})
    assert client.post(url).status_code == 404
    relationship.refresh_from_db()
    assert relationship.status == Status.ACTIVE


def test_list_endpoint_and_pages_keep_a_constant_query_count(api_client, client, count_queries):
    therapist = TherapistProfileFactory().user
    TherapyRelationshipFactory(therapist=therapist)
    api_client.force_authenticate(therapist)
    client.force_login(therapist)
    few = [
        count_queries(lambda: api_client.get(API)),
        count_queries(lambda: client.get(reverse("therapy:client-list"))),
    ]
    for status in (Status.ACTIVE, Status.PENDING, Status.ENDED, Status.BLOCKED, Status.ACTIVE):
        TherapyRelationshipFactory(therapist=therapist, status=status)
    many = [
        count_queries(lambda: api_client.get(API)),
        count_queries(lambda: client.get(reverse("therapy:client-list"))),
    ]
    assert few == many
    client_user = UserFactory()
    TherapyRelationshipFactory(client=client_user)
    client.force_login(client_user)
    few = count_queries(lambda: client.get(reverse("therapy:my-therapists")))
    for _ in range(4):
        TherapyRelationshipFactory(client=client_user)
    assert count_queries(lambda: client.get(reverse("therapy:my-therapists"))) == few


def test_pages_show_both_sides_and_actions_work(client):
    relationship = TherapyRelationshipFactory(status=Status.PENDING)
    client.force_login(relationship.therapist)
    page = client.get(reverse("therapy:client-list")).content.decode()
    assert relationship.client.display_name in page
    assert "Accept" in page
    url = reverse("therapy:relationship-action", kwargs={"pk": relationship.pk, "action": "accept"})
    assert client.post(url).status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == Status.ACTIVE
    client.force_login(relationship.client)
    page = client.get(reverse("therapy:my-therapists")).content.decode()
    assert relationship.therapist.display_name in page
    assert reverse("therapy:conversation", kwargs={"pk": relationship.pk}) in page
