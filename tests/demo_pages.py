"""The main pages of the product as the demo's people see them, for the browser tests that
walk them all (accessibility, phone layout). Call after ``seed_demo``."""

from accounts.demo.seed import DEMO_USERS
from accounts.models import User


def demo_email(role: str) -> str:
    """The e-mail of the demo person with ``role`` (learner, mentor, … manager)."""
    return next(demo.email for demo in DEMO_USERS if demo.role == role)


def demo_pages() -> dict[str | None, list[str]]:
    """Paths by the demo role that visits them (None: a visitor who is not signed in)."""
    from growth.models import Goal, Habit, Reflection
    from learning.models import Course, Lesson, SuccessStory
    from mentorship.models import Event, MentorProfile, MentorshipSession, Venue
    from therapy.models import JournalEntry, TherapyRelationship, TherapySession

    learner, mentor = User.objects.get(email=demo_email("learner")), User.objects.get(email=demo_email("mentor"))
    client, therapist = User.objects.get(email=demo_email("client")), User.objects.get(email=demo_email("therapist"))
    course = Course.objects.filter(published=True, enrollments__user=learner).first()
    lesson = Lesson.objects.filter(course=course).order_by("module__order", "order").first()
    story = SuccessStory.objects.filter(published=True).first()
    profile = MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED).first()
    event, venue = Event.objects.first(), Venue.objects.first()
    session = MentorshipSession.objects.filter(mentor=mentor, mentee=learner).first()
    upcoming = MentorshipSession.objects.filter(mentor=mentor, mentee=learner, status="CONFIRMED").last()
    habit, goal = Habit.objects.filter(user=learner).first(), Goal.objects.filter(user=learner).first()
    reflection = Reflection.objects.filter(user=learner).first()
    entry = JournalEntry.objects.filter(client=client).first()
    relationship = TherapyRelationship.objects.filter(client=client, therapist=therapist).first()
    therapy_session = TherapySession.objects.filter(client=client, therapist=therapist).first()
    return {
        None: [
            "/",
            "/learn/courses/",
            f"/learn/courses/{course.slug}/",
            "/learn/stories/",
            f"/learn/stories/{story.slug}/",
            "/mentors/",
            f"/mentors/{profile.user_id}/",
            "/venues/",
            f"/venues/{venue.pk}/",
            "/events/",
            f"/events/{event.pk}/",
            "/certificates/verify/",
            "/accounts/login/",
            "/accounts/signup/",
            "/privacy/",
        ],
        "learner": [
            "/dashboard/",
            "/learn/my/",
            f"/learn/courses/{course.slug}/lessons/{lesson.pk}/",
            "/learn/certificates/",
            "/learn/pathways/",
            "/learn/assessment/",
            "/learn/assistant/",
            "/learn/payments/",
            "/account/notifications/",
            "/account/settings/",
            "/account/settings/notifications/",
            "/account/profiles/",
            "/account/files/",
            "/account/data/",
            "/sessions/",
            f"/sessions/{session.pk}/",
            f"/sessions/{upcoming.pk}/",
            f"/sessions/{upcoming.pk}/reschedule/",
            f"/mentors/{profile.user_id}/book/",
            "/account/settings/calendar/",
            "/account/settings/assistant/",
            "/mentorship/interests/",
            "/mentoring/apply/",
            "/grow/habits/",
            "/grow/habits/new/",
            f"/grow/habits/{habit.pk}/",
            "/grow/goals/",
            f"/grow/goals/{goal.pk}/",
            "/grow/reflections/",
            "/grow/reflections/write/",
            f"/grow/reflections/{reflection.pk}/",
            "/grow/todos/",
            "/grow/badges/",
        ],
        "mentor": [
            "/mentoring/requests/",
            "/mentoring/upcoming/",
            "/mentoring/past/",
            "/mentoring/feedback/",
            f"/sessions/{session.pk}/",
            f"/sessions/{upcoming.pk}/reschedule/",
            "/grow/goals/approvals/",
            "/grow/reflections/shared/",
            "/events/new/",
        ],
        "instructor": ["/learn/teaching/", "/learn/teaching/submissions/"],
        "therapist": [
            "/therapy/clients/",
            "/therapy/sessions/clients/",
            "/therapy/messages/",
            f"/therapy/messages/{relationship.pk}/",
            f"/therapy/clients/{client.pk}/journal/",
            f"/therapy/sessions/{therapy_session.pk}/",
        ],
        "client": [
            "/therapy/my-therapists/",
            "/therapy/therapists/",
            "/therapy/journal/",
            "/therapy/journal/new/",
            f"/therapy/journal/{entry.pk}/",
            "/therapy/sessions/",
            f"/therapy/sessions/{therapy_session.pk}/",
            "/therapy/access-log/",
            f"/therapy/messages/{relationship.pk}/",
        ],
        "manager": ["/account/reports/", "/account/audit/"],
    }
