"""The welcome a new member goes through (first run): each step, skip, resume, dismiss, the
redirect after signing in (only for an unfinished welcome; never for the API), the greeting
(new or returning, by the chosen name), and the onboarding API."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors.onboarding import (
    OnboardingStatus,
    onboarding_first_steps,
    onboarding_status,
    user_greeting_name,
    user_is_new,
)
from accounts.services.onboarding import (
    onboarding_complete,
    onboarding_dismiss,
    onboarding_intents_set,
    onboarding_skip,
)
from accounts.tests.factories import DEFAULT_PASSWORD, NewMemberFactory, UserFactory
from core.registry import first_steps

pytestmark = pytest.mark.django_db

WELCOME = "/account/welcome/"
INTENTS = "/account/welcome/interests/"
START = "/account/welcome/start/"
SKIP = "/account/welcome/skip/"
DISMISS = "/account/welcome/dismiss/"
API = "/api/v1/accounts/me/onboarding/"


def _h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.DOTALL)
    assert match, "no <h1> on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def _sign_in(client, user: User, **extra):
    return client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD, **extra})


# --- Services and selectors -------------------------------------------------------------


def test_a_new_member_is_pending_until_they_finish_or_skip():
    user = NewMemberFactory()
    assert onboarding_status(user=user) == OnboardingStatus.PENDING
    assert onboarding_status(user=onboarding_skip(user=user)) == OnboardingStatus.SKIPPED
    assert onboarding_status(user=onboarding_dismiss(user=user)) == OnboardingStatus.DISMISSED
    assert onboarding_status(user=onboarding_complete(user=user)) == OnboardingStatus.COMPLETED


def test_dismissing_a_pending_welcome_also_stops_the_redirect():
    user = onboarding_dismiss(user=NewMemberFactory())
    assert user.onboarding_skipped_at is not None
    assert user.onboarding_dismissed_at is not None


def test_finishing_twice_keeps_the_first_finish_and_skipping_after_it_changes_nothing():
    first = timezone.now() - timedelta(days=3)
    user = onboarding_complete(user=NewMemberFactory(), now=first)
    user = onboarding_complete(user=user)
    user = onboarding_skip(user=user)
    assert user.onboarding_completed_at == first
    assert user.onboarding_skipped_at is None


def test_intents_are_kept_in_the_order_of_the_choices_without_repeats():
    user = onboarding_intents_set(user=NewMemberFactory(), intents=["care", "learn", "care"])
    user.refresh_from_db()
    assert user.intents == ["learn", "care"]


@pytest.mark.parametrize(("intents", "message"), [([], "at least one"), (["learn", "astrology"], "astrology")])
def test_bad_intents_are_refused_and_change_nothing(intents, message):
    from django.core.exceptions import ValidationError

    user = onboarding_intents_set(user=NewMemberFactory(), intents=["learn"])
    with pytest.raises(ValidationError) as caught:
        onboarding_intents_set(user=user, intents=intents)
    assert message in str(caught.value.message_dict["intents"])
    user.refresh_from_db()
    assert user.intents == ["learn"]


def test_every_intent_has_a_first_step_of_its_app():
    assert {step.key for step in first_steps.all()} == set(User.Intent.values)
    assert {step.url for step in first_steps.all()} == {
        reverse("learning:assessment"),
        reverse("mentorship:mentor-list"),
        reverse("growth:habit-start"),
        reverse("therapy:therapist-list"),
    }


def test_first_steps_follow_the_intents():
    user = NewMemberFactory(intents=["care", "habits"])
    assert [step.key for step in onboarding_first_steps(user=user)] == ["habits", "care"]
    assert len(onboarding_first_steps(user=NewMemberFactory())) == len(User.Intent.values)


def test_newness_no_sign_in_yet_or_welcome_ended_during_this_sign_in():
    now = timezone.now()
    assert user_is_new(user=NewMemberFactory(last_login=now))  # pending
    assert user_is_new(user=UserFactory(last_login=None))  # never signed in
    just_finished = UserFactory(last_login=now - timedelta(minutes=5), onboarding_completed_at=now)
    assert user_is_new(user=just_finished)
    returning = UserFactory(last_login=now, onboarding_completed_at=now - timedelta(days=30))
    assert not user_is_new(user=returning)
    skipped_last_time = NewMemberFactory(last_login=now, onboarding_skipped_at=now - timedelta(days=2))
    assert not user_is_new(user=skipped_last_time)


def test_the_greeting_name_is_never_cut_from_the_email():
    user = NewMemberFactory(email="sam.smith@example.com")
    assert user.display_name == "sam.smith"
    assert user_greeting_name(user=user) == ""
    user.first_name = " Sam "
    assert user_greeting_name(user=user) == "Sam"


# --- Redirect after signing in ----------------------------------------------------------


def test_signing_in_leads_a_new_member_to_the_welcome(client):
    response = _sign_in(client, NewMemberFactory())
    assert response.status_code == 302
    assert response["Location"] == WELCOME


def test_signing_in_leads_others_to_the_dashboard(client):
    assert _sign_in(client, UserFactory())["Location"] == reverse("dashboard")
    client.logout()
    skipped = NewMemberFactory(onboarding_skipped_at=timezone.now())
    assert _sign_in(client, skipped)["Location"] == reverse("dashboard")


def test_signing_in_shows_no_notice_with_the_e_mail_above_the_page(client):
    # The page greets by the chosen name; "Successfully signed in as <e-mail>" would sit
    # above the welcome's heading on a phone (and name the person by their e-mail).
    user = NewMemberFactory(email="sam.smith@example.com")
    page = client.get(_sign_in(client, user)["Location"])
    assert page.status_code == 200
    assert [str(message) for message in page.context["messages"]] == []
    assert "sam.smith@example.com" not in page.content.decode().split("</header>", 1)[1].split("<h1")[0]


def test_an_explicit_next_still_wins_over_the_welcome(client):
    response = _sign_in(client, NewMemberFactory(), next="/learn/courses/")
    assert response["Location"] == "/learn/courses/"


def test_confirming_the_email_by_code_leads_to_the_welcome(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "sam@example.com", "password1": "a-Long-passphrase-42", "password2": "a-Long-passphrase-42"},
        )
    assert response["Location"] == reverse("account_email_verification_sent")
    code = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{3,})*)\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == WELCOME


def test_the_api_sign_in_answers_json_and_no_redirect(api_client):
    user = NewMemberFactory()
    response = api_client.post(
        "/_allauth/app/v1/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    assert "Location" not in response


# --- The welcome's pages ----------------------------------------------------------------


def test_step_one_asks_for_a_name_left_empty_and_offers_the_browser_zone(client):
    client.force_login(NewMemberFactory(email="sam.smith@example.com"))
    response = client.get(WELCOME)
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(r'<input[^>]*name="first_name"(?![^>]*value=)[^>]*>', text)
    assert "sam.smith" not in text.split("<main", 1)[1]
    assert 'data-timezone-guess="true"' in text
    assert "js/timezone-guess.js" in text
    assert "<script>" not in text  # no inline script (CSP)
    assert "Skip for now" in text


def test_step_one_does_not_guess_over_a_chosen_zone(client):
    client.force_login(NewMemberFactory(timezone="Europe/Paris"))
    text = client.get(WELCOME).content.decode()
    assert "data-timezone-guess" not in text
    assert 'value="Europe/Paris"' in text


def test_step_one_saves_the_legacy_zone_a_browser_reports_as_its_current_name(client):
    user = NewMemberFactory()
    client.force_login(user)
    response = client.post(WELCOME, {"first_name": "Asha", "timezone": "Asia/Calcutta"})
    assert response["Location"] == INTENTS
    user.refresh_from_db()
    assert user.timezone == "Asia/Kolkata"


def test_step_one_saves_name_and_zone_then_goes_on(client):
    user = NewMemberFactory()
    client.force_login(user)
    response = client.post(WELCOME, {"first_name": "  Sam  ", "timezone": "Paris"})
    assert response.status_code == 302
    assert response["Location"] == INTENTS
    user.refresh_from_db()
    assert (user.first_name, user.timezone) == ("Sam", "Europe/Paris")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"first_name": "   ", "timezone": "UTC"}, "first_name", "This field is required"),
        ({"first_name": "Sam", "timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list"),
    ],
)
def test_step_one_refuses_bad_input_and_changes_nothing(client, data, field, message):
    user = NewMemberFactory()
    client.force_login(user)
    response = client.post(WELCOME, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.timezone) == ("", "UTC")


def test_step_two_records_what_brings_them_here(client):
    user = NewMemberFactory()
    client.force_login(user)
    text = client.get(INTENTS).content.decode()
    for label in ("Learn something new", "Get a mentor", "Build better habits", "Look after myself"):
        assert label in text
    response = client.post(INTENTS, {"intents": ["habits", "mentor"]})
    assert response["Location"] == START
    user.refresh_from_db()
    assert user.intents == ["mentor", "habits"]


def test_step_two_needs_one_choice(client):
    user = NewMemberFactory()
    client.force_login(user)
    response = client.post(INTENTS, {})
    assert response.status_code == 400
    assert "Choose at least one" in response.content.decode()
    assert client.post(INTENTS, {"intents": ["astrology"]}).status_code == 400
    user.refresh_from_db()
    assert user.intents == []


def test_step_three_shows_the_matching_first_steps(client):
    client.force_login(NewMemberFactory(first_name="Sam", intents=["learn", "care"]))
    response = client.get(START)
    text = response.content.decode()
    assert _h1(response) == "Where to start, Sam"
    assert "Take the career assessment" in text
    assert "Find a therapist" in text
    assert "Find a mentor" not in text
    assert "Start a two-minute habit" not in text


@pytest.mark.parametrize(
    ("step", "target"),
    [
        ("learn", "learning:assessment"),
        ("mentor", "mentorship:mentor-list"),
        ("habits", "growth:habit-start"),
        ("care", "therapy:therapist-list"),
    ],
)
def test_choosing_a_first_step_finishes_the_welcome_and_goes_there(client, step, target):
    user = NewMemberFactory(intents=[step])
    client.force_login(user)
    response = client.post(START, {"step": step})
    assert response["Location"] == reverse(target)
    user.refresh_from_db()
    assert user.onboarding_completed_at is not None


def test_the_dashboard_instead_also_finishes_and_an_unknown_step_does_not(client):
    user = NewMemberFactory()
    client.force_login(user)
    assert client.post(START, {"step": "astrology"})["Location"] == START
    user.refresh_from_db()
    assert user.onboarding_completed_at is None
    assert client.post(START, {})["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.onboarding_completed_at is not None


def test_skip_goes_to_the_dashboard_which_offers_to_resume(client):
    user = NewMemberFactory(first_name="Sam")
    client.force_login(user)
    response = client.post(SKIP)
    assert response["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert onboarding_status(user=user) == OnboardingStatus.SKIPPED
    dashboard = client.get(reverse("dashboard"))
    text = dashboard.content.decode()
    assert _h1(dashboard) == "Welcome to Ascend, Sam"
    assert f'href="{WELCOME}"' in text
    assert "Finish setting up" in text
    # Signing in again no longer leads to the welcome.
    client.logout()
    assert _sign_in(client, user)["Location"] == reverse("dashboard")


def test_skip_and_dismiss_only_by_post(client):
    client.force_login(NewMemberFactory())
    assert client.get(SKIP).status_code == 405
    assert client.get(DISMISS).status_code == 405


def test_dismissing_hides_the_offer_but_the_settings_keep_the_welcome(client):
    user = NewMemberFactory(onboarding_skipped_at=timezone.now())
    client.force_login(user)
    assert client.post(DISMISS)["Location"] == reverse("dashboard")
    assert "Finish setting up" not in client.get(reverse("dashboard")).content.decode()
    assert f'href="{WELCOME}"' in client.get(reverse("accounts:settings")).content.decode()


def test_resuming_after_skip_and_finishing(client):
    user = NewMemberFactory(onboarding_skipped_at=timezone.now())
    client.force_login(user)
    assert client.get(WELCOME).status_code == 200
    client.post(WELCOME, {"first_name": "Sam", "timezone": "Europe/Berlin"})
    client.post(INTENTS, {"intents": ["learn"]})
    client.post(START, {"step": "learn"})
    user.refresh_from_db()
    assert onboarding_status(user=user) == OnboardingStatus.COMPLETED
    assert "Finish setting up" not in client.get(reverse("dashboard")).content.decode()


def test_the_welcome_needs_a_sign_in(client):
    for url in (WELCOME, INTENTS, START):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Greeting ---------------------------------------------------------------------------


def test_a_member_who_just_finished_is_greeted_as_new_by_their_name(client):
    user = NewMemberFactory(email="sam.smith@example.com")
    client.force_login(user)
    client.post(WELCOME, {"first_name": "Sam", "timezone": "UTC"})
    client.post(INTENTS, {"intents": ["learn"]})
    client.post(START, {})
    response = client.get(reverse("dashboard"))
    assert _h1(response) == "Welcome to Ascend, Sam"


def test_a_returning_member_is_welcomed_back(client):
    client.force_login(UserFactory(first_name="Noor"))
    assert _h1(client.get(reverse("dashboard"))) == "Welcome back, Noor"


def test_a_member_without_a_name_is_not_greeted_by_their_email(client):
    client.force_login(NewMemberFactory(email="sam.smith@example.com"))
    response = client.get(reverse("dashboard"))
    assert _h1(response) == "Welcome to Ascend"
    client.force_login(UserFactory(email="noor.n@example.com", first_name=""))
    assert _h1(client.get(reverse("dashboard"))) == "Welcome back"


# --- API --------------------------------------------------------------------------------


def test_api_reads_the_state(api_client):
    user = NewMemberFactory(intents=["mentor"])
    api_client.force_authenticate(user=user)
    body = api_client.get(API).json()
    assert body["status"] == "pending"
    assert body["intents"] == ["mentor"]
    assert body["is_new"] is True
    assert body["completed_at"] is None
    assert body["first_steps"] == [
        {
            "key": "mentor",
            "title": "Find a mentor",
            "description": first_steps.get("mentor").description,
            "url": reverse("mentorship:mentor-list"),
        }
    ]


def test_api_patch_sets_intents_then_finishes(api_client):
    user = NewMemberFactory()
    api_client.force_authenticate(user=user)
    response = api_client.patch(API, {"intents": ["care", "learn"], "status": "completed"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert response.json()["intents"] == ["learn", "care"]
    user.refresh_from_db()
    assert user.onboarding_completed_at is not None


@pytest.mark.parametrize("status", ["skipped", "dismissed"])
def test_api_patch_skips_or_dismisses(api_client, status):
    user = NewMemberFactory()
    api_client.force_authenticate(user=user)
    assert api_client.patch(API, {"status": status}, format="json").json()["status"] == status


@pytest.mark.parametrize(
    "payload", [{"intents": []}, {"intents": ["astrology"]}, {"status": "pending"}, {"status": "done"}]
)
def test_api_patch_refuses_bad_input_and_changes_nothing(api_client, payload):
    user = NewMemberFactory(intents=["learn"])
    api_client.force_authenticate(user=user)
    response = api_client.patch(API, payload, format="json")
    assert response.status_code == 400
    user.refresh_from_db()
    assert (user.intents, user.onboarding_completed_at, user.onboarding_skipped_at) == (["learn"], None, None)


def test_api_needs_a_sign_in(api_client):
    assert api_client.get(API).status_code in (401, 403)


def test_api_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/accounts/me/onboarding/"]
    assert set(operations) >= {"get", "patch"}


# --- Privacy ----------------------------------------------------------------------------


def test_intents_are_exported_and_erased_with_the_account():
    from accounts.personal_data import USER_EXPORT_FIELDS
    from accounts.services.data import account_delete

    assert "intents" in USER_EXPORT_FIELDS
    user = account_delete(user=NewMemberFactory(intents=["care"]), password=DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.intents == []


def test_the_audit_log_never_records_the_intents_values():
    from accounts.models import AuditLogEntry

    user = onboarding_intents_set(user=NewMemberFactory(), intents=["care"])
    entry = AuditLogEntry.objects.filter(object_pk=str(user.pk)).order_by("-timestamp").first()
    assert entry is not None
    assert "intents" in entry.changes
    assert "care" not in str(entry.changes)


# --- The time-zone picker on the account's pages ------------------------------------------


@pytest.mark.parametrize("url", [WELCOME, "/account/settings/"])
def test_the_zone_picker_is_the_searchable_one_everywhere(client, url):
    client.force_login(NewMemberFactory(timezone="Asia/Calcutta"))
    text = client.get(url).content.decode()
    # A stored legacy alias is shown by its current name, which the list offers.
    assert re.search(r'<input type="text" name="timezone" value="Asia/Kolkata"[^>]*list="id_timezone-zones"', text)
    assert '<datalist id="id_timezone-zones">' in text
    assert '<option value="Asia/Calcutta"' not in text  # a legacy alias is not offered
    assert "<select" not in text.split('name="timezone"', 1)[1][:200]


def test_the_settings_keep_a_legacy_zone_and_take_an_alias_or_a_typed_city(client):
    user = UserFactory(timezone="Etc/GMT+5")
    client.force_login(user)
    data = {"first_name": user.first_name, "last_name": user.last_name, "timezone": "Etc/GMT+5"}
    data |= {"reminder_time": "08:00"}
    assert client.post("/account/settings/", data).status_code == 302
    user.refresh_from_db()
    assert user.timezone == "Etc/GMT+5"  # no current name: kept as it is
    client.post("/account/settings/", data | {"timezone": "Europe/Kiev"})
    user.refresh_from_db()
    assert user.timezone == "Europe/Kyiv"
    client.post("/account/settings/", data | {"timezone": "tokyo"})
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"


# --- Demo -----------------------------------------------------------------------------------


def test_demo_people_have_been_through_the_welcome_even_from_an_older_database():
    from django.core.management import call_command

    from accounts.demo.seed import DEMO_USERS
    from accounts.services.users import user_create_verified

    learner = next(spec for spec in DEMO_USERS if spec.role == "learner")
    user_create_verified(email=learner.email, password=DEFAULT_PASSWORD)  # made before the welcome
    call_command("seed_demo", stdout=io.StringIO())
    for spec in DEMO_USERS:
        user = User.objects.get(email=spec.email)
        assert onboarding_status(user=user) == OnboardingStatus.COMPLETED
        assert user.intents == [value for value in User.Intent.values if value in spec.intents]
