"""Routes of the learning API, mounted at /api/v1/learning/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .assessments import AssessmentViewSet, ChatMessageViewSet
from .assignments import AssignmentViewSet, SubmissionViewSet
from .assistant import AssistantConversationApi, AssistantMessageCreateApi
from .catalog import CategoryViewSet, CourseReviewViewSet, CourseViewSet
from .certificates import CertificateVerifyApi, CertificateViewSet
from .enrollments import EnrollmentViewSet
from .lessons import LessonViewSet
from .pathways import PathwayViewSet, SuccessStoryViewSet
from .payments import PaymentViewSet
from .receipts import PaymentReceiptListApi, ReceiptViewSet
from .wellness import WellnessAnswerListApi

app_name = "learning-api"

router = SimpleRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("courses", CourseViewSet, basename="course")
router.register(r"courses/(?P<course_pk>[0-9a-fA-F-]{36})/reviews", CourseReviewViewSet, basename="course-review")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("payments", PaymentViewSet, basename="payment")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("chats", ChatMessageViewSet, basename="chat")
router.register("pathways", PathwayViewSet, basename="pathway")
router.register("success-stories", SuccessStoryViewSet, basename="success-story")

urlpatterns = [
    path("certificates/verify/<str:number>/", CertificateVerifyApi.as_view(), name="certificate-verify"),
    path("payments/<uuid:payment_pk>/receipts/", PaymentReceiptListApi.as_view(), name="payment-receipts"),
    path("wellness/", WellnessAnswerListApi.as_view(), name="wellness-list"),
    path("assistant/", AssistantConversationApi.as_view(), name="assistant"),
    path("assistant/messages/", AssistantMessageCreateApi.as_view(), name="assistant-message"),
    *router.urls,
]
