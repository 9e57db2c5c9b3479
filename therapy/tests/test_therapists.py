"""Therapist profiles: application (page and API), verification, the directory (page and API)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from core.errors import ApplicationError
from therapy.models import Specialization, TherapistProfile
from therapy.services.profiles import therapist_profile_save, therapist_reject, therapist_verify
from therapy.tests.factories import TherapistProfileFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/therapy/therapists/"
ME = "/api/v1/therapy/therapist-profile/"


def test_application_is_pending_until_verified_and_credentials_change_needs_a_new_check():
    user = UserFactory()
    profile = therapist_profile_save(
        user=user, specialization=Specialization.GRIEF, credentials="LMFT", languages=[" English ", "english", "Hindi"]
    )
    assert profile.status == TherapistProfile.Status.PENDING
    assert profile.languages == ["English", "Hindi"]
    therapist_verify(profile=profile, by=AdminFactory())
    with pytest.raises(ApplicationError):
        therapist_verify(profile=profile, by=None)
    profile = therapist_profile_save(user=user, specialization=Specialization.GRIEF, credentials="LMFT", bio="New")
    assert profile.status == TherapistProfile.Status.VERIFIED
    profile = therapist_profile_save(user=user, specialization=Specialization.GRIEF, credentials="LMFT, PhD")
    assert profile.status == TherapistProfile.Status.PENDING
    therapist_reject(profile=profile, by=None, reason="Upload your licence.")
    profile.refresh_from_db()
    assert profile.status == TherapistProfile.Status.REJECTED


def test_bad_application_changes_nothing():
    with pytest.raises(ValidationError):
        therapist_profile_save(user=UserFactory(), specialization="astrology", credentials="x")
    with pytest.raises(ValidationError):
        therapist_profile_save(user=UserFactory(), specialization=Specialization.GRIEF, credentials="  ")
    assert TherapistProfile.objects.count() == 0


def test_apply_page_and_api(client, api_client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("therapy:apply"), {"specialization": "astrology", "credentials": "Keep me"})
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()
    response = client.post(
        reverse("therapy:apply"), {"specialization": "trauma", "credentials": "PsyD", "languages": "English, French"}
    )
    assert response.status_code == 302
    assert "Pending verification" in client.get(reverse("therapy:apply")).content.decode()
    api_client.force_authenticate(user)
    body = api_client.get(ME).json()
    assert body["status"] == "pending"
    assert body["languages"] == ["English", "French"]
    api_client.force_authenticate(UserFactory())
    assert api_client.get(ME).status_code == 404
    response = api_client.put(ME, {"specialization": "stress", "credentials": "LPC"}, format="json")
    assert response.status_code == 201
    assert api_client.put(ME, {"specialization": "stress", "credentials": "LPC"}, format="json").status_code == 200


def test_directory_shows_verified_therapists_filtered(client, api_client):
    anxiety = TherapistProfileFactory(specialization=Specialization.ANXIETY, bio="Calm voice for musicians")
    grief = TherapistProfileFactory(
        specialization=Specialization.GRIEF,
        languages=["Spanish"],
        user=UserFactory(first_name="Griselda", last_name="Zanetti-Oakes"),
    )
    pending = TherapistProfileFactory(
        status=TherapistProfile.Status.PENDING, user=UserFactory(first_name="Penrose", last_name="Vantongeren")
    )
    viewer = UserFactory()
    api_client.force_authenticate(viewer)
    ids = {row["id"] for row in api_client.get(API).json()["results"]}
    assert ids == {str(anxiety.pk), str(grief.pk)}
    assert [row["id"] for row in api_client.get(API, {"specialization": "grief"}).json()["results"]] == [str(grief.pk)]
    assert [row["id"] for row in api_client.get(API, {"search": "musicians calm"}).json()["results"]] == [
        str(anxiety.pk)
    ]
    assert [row["id"] for row in api_client.get(API, {"language": "Spanish"}).json()["results"]] == [str(grief.pk)]
    assert api_client.get(f"{API}{pending.pk}/").status_code == 404
    client.force_login(viewer)
    page = client.get(reverse("therapy:therapist-list"), {"specialization": "anxiety"}).content.decode()
    assert anxiety.user.display_name in page
    assert grief.user.display_name not in page
    assert pending.user.display_name not in page


def test_directory_keeps_a_constant_query_count(client, api_client, count_queries):
    viewer = UserFactory()
    TherapistProfileFactory()
    client.force_login(viewer)
    api_client.force_authenticate(viewer)
    page = reverse("therapy:therapist-list")
    few = [count_queries(lambda: client.get(page)), count_queries(lambda: api_client.get(API))]
    for _ in range(6):
        TherapyRelationshipFactory(client=viewer)
    TherapistProfileFactory.create_batch(4, specialization=Specialization.FAMILY)
    assert [count_queries(lambda: client.get(page)), count_queries(lambda: api_client.get(API))] == few
