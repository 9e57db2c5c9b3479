"""Anonymous session feedback (DESIGN.md §2 "Session feedback", issue 14 §1): writing it
changes nothing the mentor can fetch; it reaches the mentor in weekly batches of at least 3
from at least 3 mentees, dated by the release week only; the page, the API and the export
show the mentor the same view of each feedback; the mentee is told it waits."""

import itertools
import json
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services.calendar import calendar_feed_get_or_create
from accounts.services.data import data_export_collect
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from mentorship.models import MentorProfile, MentorshipSession, SessionFeedback
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.feedback import ANONYMOUS_BATCH_MIN
from mentorship.services.feedback import feedback_anonymous_release, session_feedback_submit
from mentorship.tasks import feedback_anonymous_release_task
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/mentorship/sessions/"
FEEDBACK = "/api/v1/mentorship/feedback/"
NOTIFICATIONS = "/api/v1/accounts/notifications/"
Status = MentorshipSession.Status
# A Wednesday: its release week is the week of Monday 7 December 2026.
WEDNESDAY = datetime(2026, 12, 9, 10, 30, tzinfo=UTC)
TEXTS = {
    "growth_area": "Mixing",
    "growth_idea": "Reference tracks",
    "what_went_well": "Concrete tips",
    "what_to_improve": "Longer session",
}
_slots = itertools.count(1)


@contextmanager
def _clock(moment: datetime):
    """Every ``timezone.now()`` of the code under test (services, auto_now, selectors) answers
    ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _completed(mentor, mentee=None, hours_ago: float = 30) -> MentorshipSession:
    """A completed session of ``mentor`` whose feedback window is open; each one at its own
    hour so one mentee can have several."""
    slot = next(_slots)
    completed_at = timezone.now() - timedelta(hours=hours_ago + slot)
    return MentorshipSessionFactory(
        mentor=mentor,
        mentee=mentee or UserFactory(),
        status=Status.COMPLETED,
        start_at=completed_at - timedelta(hours=1),
        completed_at=completed_at,
    )


def _anonymous(mentor, mentee=None, rating: int = 4, words: str = "Concrete tips") -> SessionFeedback:
    session = _completed(mentor, mentee)
    return session_feedback_submit(
        session=session,
        user=session.mentee,
        rating=rating,
        **{**TEXTS, "what_went_well": words},
        is_anonymous=True,
    )


def _normalised(body: bytes) -> bytes:
    # The CSRF token is masked afresh on every render: it is not something feedback changes.
    return re.sub(rb"(csrfmiddlewaretoken\" value=\"|X-CSRFToken\": \")[A-Za-z0-9]+", rb"\1-", body)


def _everything_the_mentor_can_fetch(client, api_client, mentor, sessions) -> dict[str, object]:
    feed = calendar_feed_get_or_create(user=mentor)
    pages = [
        reverse("mentorship:my-sessions"),
        *(reverse("mentorship:mentor-sessions", kwargs={"view": view}) for view in ("requests", "upcoming", "past")),
        reverse("mentorship:feedback-received"),
        reverse("calendar-feed", kwargs={"token": feed.token}),
        reverse("dashboard"),
    ]
    api = [SESSIONS, f"{SESSIONS}?ordering=-created_at", FEEDBACK, NOTIFICATIONS]
    for session in sessions:
        pages += [
            reverse("mentorship:session-detail", kwargs={"pk": session.pk}),
            reverse("mentorship:session-ics", kwargs={"pk": session.pk}),
        ]
        api += [f"{SESSIONS}{session.pk}/", f"{SESSIONS}{session.pk}/feedback/"]
    seen: dict[str, object] = {}
    for url in pages:
        response = client.get(url)
        seen[url] = (response.status_code, _normalised(response.content))
    for url in api:
        response = api_client.get(url)
        seen[f"api {url}"] = (response.status_code, response.content)
    seen["export"] = json.dumps(data_export_collect(user=mentor), cls=DjangoJSONEncoder, sort_keys=True)
    seen["mail"] = [(m.subject, m.body) for m in mail.outbox if mentor.email in m.to]
    seen["profile"] = MentorProfile.objects.filter(user=mentor).values().get()
    return seen


def test_writing_anonymous_feedback_changes_nothing_the_mentor_can_fetch(
    client, api_client, django_capture_on_commit_callbacks
):
    mentor = MentorProfileFactory().user
    mentee = UserFactory()
    session = _completed(mentor, mentee)
    # Another session of the same mentor with named feedback already given, so the lists
    # have something in them.
    other = _completed(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        session_feedback_submit(session=other, user=other.mentee, rating=5, **TEXTS)
    # Aged, so the dashboard's "… ago" (humanize reads the real clock) reads the same twice.
    notifications().filter(user=mentor).update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(mentor)
    api_client.force_authenticate(mentor)
    frozen = timezone.now()
    with _clock(frozen):
        before = _everything_the_mentor_can_fetch(client, api_client, mentor, [session, other])
    mentee_client = APIClient()
    mentee_client.force_authenticate(mentee)
    # Written a day and a half later, so a leak by the day (or the minute) would show.
    with _clock(frozen + timedelta(hours=36)), django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(
            f"{SESSIONS}{session.pk}/feedback/", {**TEXTS, "rating": 2, "is_anonymous": True}, format="json"
        )
    assert response.status_code == 201
    assert SessionFeedback.objects.filter(session=session, is_anonymous=True).exists()
    with _clock(frozen):
        after = _everything_the_mentor_can_fetch(client, api_client, mentor, [session, other])
    assert set(before) == set(after)
    for key in before:
        assert after[key] == before[key], key
    session.refresh_from_db()
    assert (session.rating, session.feedback_submitted, session.feedback_submitted_at) == (None, False, None)


def test_named_feedback_still_shows_at_once():
    mentor = MentorProfileFactory().user
    session = _completed(mentor)
    feedback = session_feedback_submit(session=session, user=session.mentee, rating=3, **TEXTS)
    session.refresh_from_db()
    assert (session.rating, session.feedback_submitted) == (3, True)
    assert feedback.released_on is None
    assert str(MentorProfile.objects.get(user=mentor).rating) == "3.0"


def test_two_waiting_release_nothing(django_capture_on_commit_callbacks):
    mentor = MentorProfileFactory().user
    _anonymous(mentor), _anonymous(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=WEDNESDAY) == 0
    assert not SessionFeedback.objects.filter(released_on__isnull=False).exists()
    assert not notifications().filter(user=mentor).exists()
    assert str(MentorProfile.objects.get(user=mentor).rating) == "0.0"


def test_three_from_only_two_mentees_release_nothing(django_capture_on_commit_callbacks):
    mentor = MentorProfileFactory().user
    twice = UserFactory()
    _anonymous(mentor, twice), _anonymous(mentor, twice), _anonymous(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=WEDNESDAY) == 0
    assert not SessionFeedback.objects.filter(released_on__isnull=False).exists()
    assert not notifications().filter(user=mentor).exists()


def test_three_from_three_mentees_are_released_once_dated_by_the_week(
    client, api_client, django_capture_on_commit_callbacks
):
    mentor = MentorProfileFactory().user
    waiting = [_anonymous(mentor, rating=rating, words=f"batch-words-{rating}") for rating in (5, 4, 2)]
    other_mentor = MentorProfileFactory().user
    _anonymous(other_mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=WEDNESDAY) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=WEDNESDAY + timedelta(minutes=5)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        feedback_anonymous_release_task.delay()
    assert {f.released_on for f in SessionFeedback.objects.filter(mentor=mentor)} == {date(2026, 12, 7)}
    assert not SessionFeedback.objects.filter(mentor=other_mentor, released_on__isnull=False).exists()
    [notification] = notifications().filter(user=mentor)
    assert notification.title == "3 new anonymous feedbacks"
    assert notification.type == MentorshipNotification.FEEDBACK_RECEIVED
    assert (notification.related_type, notification.related_id) in (("", None), ("", ""), (None, None))
    assert notification.action_url == reverse("mentorship:feedback-received")
    assert str(MentorProfile.objects.get(user=mentor).rating) == "3.7"
    # Ratings of anonymous feedback never land on the session.
    for feedback in waiting:
        session = MentorshipSession.objects.get(pk=feedback.session_id)
        assert (session.rating, session.feedback_submitted) == (None, False)
    api_client.force_authenticate(mentor)
    rows = api_client.get(FEEDBACK).json()["results"]
    assert [row["release_week"] for row in rows] == ["2026-12-07"] * 3
    assert {row["created_on"] for row in rows} == {None}
    assert {(row["session"], row["mentee"]) for row in rows} == {(None, None)}
    # Inside a batch the order is not the order of writing (nor can a parameter ask for it).
    assert [row["id"] for row in rows] == sorted(str(f.pk) for f in waiting)
    assert api_client.get(FEEDBACK, {"ordering": "created_at"}).json()["results"] == rows
    client.force_login(mentor)
    page = client.get(reverse("mentorship:feedback-received")).content.decode()
    assert page.count("Anonymous, week of 7 Dec 2026") == 3
    assert "batch-words-5" in page
    for feedback in waiting:
        assert f"{feedback.created_at:%-d %b %Y}" not in page or feedback.created_at.date() == date(2026, 12, 7)


def test_a_mentors_release_makes_the_same_queries_whether_or_not_the_figures_move(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """What one mentor's release costs does not depend on the data (the benchmark counts it):
    a mentor whose stored figures the batch moves and one whose figures already read what
    the batch makes them (stored by hand, as a second pass over old data would find them)."""
    warm, moving, still = (MentorProfileFactory() for _ in range(3))
    for profile in (warm, moving, still):
        for _ in range(ANONYMOUS_BATCH_MIN):
            _anonymous(profile.user, rating=4)
    MentorProfile.objects.filter(pk=still.pk).update(
        rating="4.0", review_count=3, rated_sessions=3, total_sessions=3, in_person_sessions=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=WEDNESDAY, mentor_ids=[warm.user_id]) == 3  # caches warm
    counts = []
    for profile in (moving, still):
        # The release and, after its commit, the notification, its outbox row and (tasks run
        # eagerly in tests) its e-mail.
        with django_assert_max_num_queries(26) as captured, django_capture_on_commit_callbacks(execute=True):
            assert feedback_anonymous_release(now=WEDNESDAY, mentor_ids=[profile.user_id]) == 3
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    moving.refresh_from_db()
    still.refresh_from_db()
    assert (moving.rating, moving.review_count, moving.rated_sessions) == (Decimal("4.0"), 3, 3)
    assert (still.rating, still.review_count, still.rated_sessions) == (Decimal("4.0"), 3, 3)


def test_the_release_week_is_the_mentors_own_week(django_capture_on_commit_callbacks):
    """Sunday 13 December 2026, 12:00 UTC is already Monday 14 December in Auckland: a mentor
    there sees the week of the 14th, one in UTC the week of the 7th."""
    sunday_noon_utc = datetime(2026, 12, 13, 12, tzinfo=UTC)
    auckland = MentorProfileFactory(user__timezone="Pacific/Auckland").user
    london = MentorProfileFactory(user__timezone="Europe/London").user
    for mentor in (auckland, london):
        for _ in range(3):
            _anonymous(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release(now=sunday_noon_utc) == 6
    assert {f.released_on for f in SessionFeedback.objects.filter(mentor=auckland)} == {date(2026, 12, 14)}
    assert {f.released_on for f in SessionFeedback.objects.filter(mentor=london)} == {date(2026, 12, 7)}


def test_waiting_anonymous_feedback_is_hidden_from_the_mentor_until_released(api_client):
    mentor = MentorProfileFactory().user
    feedback = _anonymous(mentor, words="waiting-marker")
    api_client.force_authenticate(mentor)
    assert api_client.get(FEEDBACK).json()["count"] == 0
    assert api_client.get(f"{FEEDBACK}{feedback.pk}/").status_code == 404
    assert "waiting-marker" not in str(data_export_collect(user=mentor))
    # The mentee still sees their own, with the session and its state.
    api_client.force_authenticate(feedback.mentee)
    mine = api_client.get(f"{FEEDBACK}{feedback.pk}/").json()
    assert (mine["session"], mine["delivery"]) == (str(feedback.session_id), "waiting")


def test_the_mentee_is_told_anonymous_feedback_waits(client, api_client):
    mentor = MentorProfileFactory().user
    by_api = _completed(mentor)
    api_client.force_authenticate(by_api.mentee)
    response = api_client.post(
        f"{SESSIONS}{by_api.pk}/feedback/", {**TEXTS, "rating": 4, "is_anonymous": True}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["delivery"] == "waiting"
    assert "at least 3" in body["delivery_note"]
    by_page = _completed(mentor)
    client.force_login(by_page.mentee)
    url = reverse("mentorship:session-feedback", kwargs={"pk": by_page.pk})
    response = client.post(url, {**TEXTS, "rating": "4", "is_anonymous": "on"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "at least 3" in text
    assert "week" in text
    named = _completed(mentor)
    api_client.force_authenticate(named.mentee)
    response = api_client.post(f"{SESSIONS}{named.pk}/feedback/", {**TEXTS, "rating": 4}, format="json")
    assert response.json()["delivery"] == "delivered"


def test_page_api_and_export_show_the_mentor_the_same_feedback(client, api_client):
    mentor = MentorProfileFactory().user
    named_session = _completed(mentor, UserFactory(first_name="Ottoline", last_name="Brackenbury"))
    named = session_feedback_submit(
        session=named_session, user=named_session.mentee, rating=5, **{**TEXTS, "what_went_well": "named-words"}
    )
    batch = [_anonymous(mentor, words=f"anon-words-{n}") for n in range(3)]
    feedback_anonymous_release(now=WEDNESDAY)
    api_client.force_authenticate(mentor)
    api_rows = {row["id"]: row for row in api_client.get(FEEDBACK).json()["results"]}
    exported = {row["id"]: row for row in data_export_collect(user=mentor)["session_feedback"]["received"]}
    client.force_login(mentor)
    page = client.get(reverse("mentorship:feedback-received")).content.decode()
    assert set(api_rows) == set(exported) == {str(f.pk) for f in [named, *batch]}
    for key, api_row in api_rows.items():
        export_row = exported[key]
        assert export_row["session_id"] == api_row["session"]
        assert export_row["mentee"] == (api_row["mentee"]["name"] if api_row["mentee"] else None)
        assert export_row["written_on"] == api_row["created_on"]
        assert export_row["release_week"] == api_row["release_week"]
        for field in ("rating", "is_anonymous", *TEXTS, "additional_comments"):
            assert export_row[field] == api_row[field], field
    named_row = api_rows[str(named.pk)]
    assert (named_row["session"], named_row["mentee"]["name"]) == (str(named_session.pk), "Ottoline Brackenbury")
    assert named_row["created_on"] == named.created_at.date().isoformat()
    assert "Ottoline Brackenbury" in page
    assert reverse("mentorship:session-detail", kwargs={"pk": named_session.pk}) in page
    assert f"{named.created_at:%-d %b %Y}" in page
    for feedback in batch:
        row = api_rows[str(feedback.pk)]
        assert (row["session"], row["mentee"], row["created_on"], row["release_week"]) == (
            None,
            None,
            None,
            "2026-12-07",
        )
        assert feedback.what_went_well in page
        assert str(feedback.session_id) not in page
        assert feedback.mentee.display_name not in page
    assert page.count("Anonymous, week of 7 Dec 2026") == 3


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_release_and_notify_once():
    import threading

    from django.db import connection

    from conftest import require_service

    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    mentor = MentorProfileFactory().user
    for _ in range(3):
        _anonymous(mentor)
    runs = 6
    barrier = threading.Barrier(runs)
    results: list[int] = []
    lock = threading.Lock()

    def release() -> None:
        try:
            barrier.wait(timeout=30)
            released = feedback_anonymous_release(now=WEDNESDAY)
            with lock:
                results.append(released)
        finally:
            connection.close()

    threads = [threading.Thread(target=release) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0] * (runs - 1) + [3]
    assert notifications().filter(user=mentor).count() == 1
