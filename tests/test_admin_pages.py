"""Every admin page opens for a superuser: for each registered model its list (and its
search), its add page and the change page of a real row answer 200 — 403 for the add page of
an admin that forbids adding — never a server error. Each model has a builder here that
makes one row (with the children its admin shows inline); a newly registered model without
one fails ``test_every_registered_model_has_a_builder``."""

import uuid
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.services.announcements import announcement_draft_save
from accounts.tests.factories import (
    AdminFactory,
    AuditLogEntryFactory,
    CalendarFeedFactory,
    NotificationFactory,
    NotificationPreferenceFactory,
    ProfileFactory,
    StoredFileFactory,
    UserFactory,
)
from core.models import OutboxMessage
from core.outbox import outbox_payload_seal
from growth.tests.factories import (
    BadgeFactory,
    HabitCompletionFactory,
    HabitFactory,
    HabitPauseFactory,
    ReflectionFactory,
    ReminderSentFactory,
    TodoFactory,
)
from learning.models import (
    Assessment,
    AssessmentQuestion,
    CareerKeyword,
    CareerPathway,
    CareerProfile,
    ChatMessage,
    LessonProgress,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
    StripeEvent,
)
from learning.services.receipts import receipt_issue_for_payment, receipt_render_pdf
from learning.tests.factories import (
    AssignmentFactory,
    CertificateFactory,
    EnrollmentFactory,
    InstructorProfileFactory,
    LessonFactory,
    ModuleFactory,
    SubcategoryFactory,
    SubmissionFactory,
    SuccessStoryFactory,
)
from learning.tests.factories import ReviewFactory as CourseReviewFactory
from learning.tests.payments import PaymentFactory, RefundFactory, succeeded
from mentorship.models import TimeOff, UserCategory, WeeklyHours
from mentorship.tests.factories import (
    EventAttendanceFactory,
    MentorProfileFactory,
    MentorSessionNoteFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    SessionFeedbackFactory,
    VenueFactory,
)
from therapy.tests.factories import (
    JournalEntryFactory,
    MessageFactory,
    TherapistProfileFactory,
    TherapyRelationshipFactory,
    TherapySessionFactory,
)

pytestmark = pytest.mark.django_db


def _enrollment_with_progress() -> Model:
    lesson = LessonFactory()
    enrollment = EnrollmentFactory(course=lesson.course)
    LessonProgress.objects.create(user=enrollment.user, lesson=lesson, enrollment=enrollment)
    return enrollment


def _assessment() -> Model:
    subcategory = SubcategoryFactory()
    return Assessment.objects.create(
        user=UserFactory(),
        status=Assessment.Status.COMPLETED,
        answers=[{"question_id": str(uuid.uuid4()), "question": "What do you enjoy?", "answer": "Making beats"}],
        recommended_category=subcategory,
        recommendations=[{"subcategory_id": str(subcategory.pk), "name": subcategory.name, "score": 3, "reasons": []}],
        engine="keywords",
        completed_at=timezone.now(),
    )


def _career_profile() -> Model:
    subcategory = SubcategoryFactory()
    profile = CareerProfile.objects.create(user=UserFactory(), category=subcategory.parent)
    profile.subcategories.add(subcategory)
    return profile


def _pathway_template() -> PathwayTemplate:
    template = PathwayTemplate.objects.create(subcategory=SubcategoryFactory(), title="Become a producer")
    PathwayTemplateStep.objects.create(template=template, order=1, title="Learn a DAW", estimated_time="2 weeks")
    return template


def _career_pathway() -> Model:
    template = _pathway_template()
    pathway = CareerPathway.objects.create(
        user=UserFactory(), subcategory=template.subcategory, template=template, title=template.title
    )
    PathwayStep.objects.create(pathway=pathway, order=1, title="Learn a DAW", estimated_time="2 weeks")
    return pathway


def _scheduled_task(**schedule: Model) -> PeriodicTask:
    """A periodic task run on ``schedule`` (a clocked one runs once)."""
    return PeriodicTask.objects.create(
        name=f"Task {uuid.uuid4().hex[:8]}",
        task="accounts.tasks.sessions_clear_expired_task",
        one_off="clocked" in schedule,
        **schedule,
    )


# One builder per registered model: it saves one row of that model, with a row of each
# inline its admin shows, and returns it.
BUILDERS: dict[str, Callable[[], Model]] = {
    # accounts, and the third-party models it leans on
    "accounts.User": lambda: ProfileFactory().user,
    "accounts.Profile": ProfileFactory,
    "accounts.Notification": NotificationFactory,
    "accounts.NotificationPreference": NotificationPreferenceFactory,
    "accounts.StoredFile": StoredFileFactory,
    "accounts.AuditLogEntry": AuditLogEntryFactory,
    "accounts.CalendarFeed": CalendarFeedFactory,
    "accounts.Announcement": lambda: announcement_draft_save(announcement=None, title="Studio hours"),
    "core.OutboxMessage": lambda: OutboxMessage.objects.create(
        task_name="accounts.tasks.sessions_clear_expired_task",
        payload=outbox_payload_seal(args=["a"], kwargs={}),
        last_error="refused",
    ),
    "account.EmailAddress": lambda: EmailAddress.objects.get(user=UserFactory()),
    "auth.Group": lambda: Group.objects.create(name="Editors"),
    "mfa.Authenticator": lambda: Authenticator.objects.create(
        user=UserFactory(), type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    ),
    "usersessions.UserSession": lambda: UserSession.objects.create(
        user=UserFactory(), ip="203.0.113.7", session_key=uuid.uuid4().hex, user_agent="AdminBrowser/1.0"
    ),
    "django_celery_beat.PeriodicTask": lambda: _scheduled_task(
        interval=IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    ),
    "django_celery_beat.IntervalSchedule": lambda: (
        _scheduled_task(interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)).interval
    ),
    "django_celery_beat.CrontabSchedule": lambda: (
        _scheduled_task(crontab=CrontabSchedule.objects.create(minute="0", hour="3")).crontab
    ),
    "django_celery_beat.SolarSchedule": lambda: (
        _scheduled_task(solar=SolarSchedule.objects.create(event="sunrise", latitude=33.75, longitude=-84.39)).solar
    ),
    "django_celery_beat.ClockedSchedule": lambda: (
        _scheduled_task(clocked=ClockedSchedule.objects.create(clocked_time=timezone.now() + timedelta(days=1))).clocked
    ),
    # learning
    "learning.Category": lambda: SubcategoryFactory().parent,
    "learning.Course": lambda: ModuleFactory().course,
    "learning.Module": lambda: LessonFactory().module,
    "learning.Lesson": LessonFactory,
    "learning.Enrollment": _enrollment_with_progress,
    "learning.CourseReview": CourseReviewFactory,
    "learning.Certificate": CertificateFactory,
    "learning.InstructorProfile": InstructorProfileFactory,
    "learning.Assignment": AssignmentFactory,
    "learning.Submission": SubmissionFactory,
    "learning.SuccessStory": SuccessStoryFactory,
    "learning.Payment": PaymentFactory,
    "learning.Refund": RefundFactory,
    "learning.Receipt": lambda: receipt_render_pdf(
        receipt_id=receipt_issue_for_payment(payment_id=succeeded(PaymentFactory()).pk).pk
    ),
    "learning.StripeEvent": lambda: StripeEvent.objects.create(
        id="evt_test_admin", type="checkout.session.completed", payload={"id": "evt_test_admin"}
    ),
    "learning.ChatMessage": lambda: ChatMessage.objects.create(
        user=UserFactory(),
        session_type=ChatMessage.SessionType.ASSESSMENT,
        role=ChatMessage.Role.USER,
        message="I love making beats.",
    ),
    "learning.AssessmentQuestion": lambda: AssessmentQuestion.objects.create(text="What do you enjoy doing?", order=1),
    "learning.CareerKeyword": lambda: CareerKeyword.objects.create(
        subcategory=SubcategoryFactory(), keyword="beats", weight=3
    ),
    "learning.Assessment": _assessment,
    "learning.CareerProfile": _career_profile,
    "learning.PathwayTemplate": _pathway_template,
    "learning.CareerPathway": _career_pathway,
    # mentorship
    "mentorship.MentorProfile": MentorProfileFactory,
    "mentorship.UserCategory": lambda: UserCategory.objects.create(
        user=UserFactory(), category=SubcategoryFactory().parent
    ),
    "mentorship.Venue": VenueFactory,
    "mentorship.MentorshipSession": MentorshipSessionFactory,
    "mentorship.SessionFeedback": SessionFeedbackFactory,
    "mentorship.MentorSessionNote": MentorSessionNoteFactory,
    "mentorship.Review": ReviewFactory,
    "mentorship.Event": lambda: EventAttendanceFactory().event,
    "mentorship.EventAttendance": EventAttendanceFactory,
    "mentorship.WeeklyHours": lambda: WeeklyHours.objects.create(
        profile=MentorProfileFactory(), weekday=WeeklyHours.Weekday.MONDAY, start_time=time(9), end_time=time(12)
    ),
    "mentorship.TimeOff": lambda: TimeOff.objects.create(
        profile=MentorProfileFactory(), start_date=date(2030, 1, 2), end_date=date(2030, 1, 3), note="Holiday"
    ),
    # growth
    "growth.Goal": lambda: HabitFactory().goal,
    "growth.Habit": lambda: HabitPauseFactory().habit,
    "growth.HabitCompletion": HabitCompletionFactory,
    "growth.Reflection": ReflectionFactory,
    "growth.Todo": TodoFactory,
    "growth.Badge": BadgeFactory,
    "growth.ReminderSent": ReminderSentFactory,
    # therapy
    "therapy.TherapistProfile": TherapistProfileFactory,
    "therapy.TherapyRelationship": TherapyRelationshipFactory,
    "therapy.JournalEntry": lambda: JournalEntryFactory(is_shared=True),
    "therapy.TherapySession": lambda: TherapySessionFactory(private_notes="Private.", shared_notes="Shared."),
    "therapy.Message": MessageFactory,
}

MODEL_ADMINS = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}


@pytest.fixture
def superuser():
    return AdminFactory()


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_every_registered_model_has_a_builder():
    assert sorted(MODEL_ADMINS) == sorted(BUILDERS)


@pytest.mark.parametrize("label", sorted(MODEL_ADMINS))
def test_admin_pages_open(admin_client, superuser, label):
    """The list with the row (and a search of it), the add page and the row's page."""
    model_admin = MODEL_ADMINS[label]
    opts = model_admin.model._meta
    url_name = f"admin:{opts.app_label}_{opts.model_name}"
    row = BUILDERS[label]()
    assert isinstance(row, model_admin.model)
    changelist = reverse(f"{url_name}_changelist")
    request = RequestFactory().get(changelist)
    request.user = superuser

    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    if model_admin.search_fields:
        assert admin_client.get(changelist, {"q": "a"}).status_code == 200
    add_status = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(reverse(f"{url_name}_add")).status_code == add_status
    assert admin_client.get(reverse(f"{url_name}_change", args=[row.pk])).status_code == 200
