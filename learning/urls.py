"""Pages of learning, mounted at /learn/."""

from django.urls import path

from .views import (
    assignments,
    catalog,
    certificates,
    my_learning,
    pathways,
    payments,
    player,
    stories,
    teaching,
    wellness,
)

app_name = "learning"

urlpatterns = [
    path("certificates/", certificates.certificate_list, name="certificate-list"),
    path("certificates/<uuid:pk>/pdf/", certificates.certificate_download, name="certificate-download"),
    path("courses/", catalog.course_list, name="course-list"),
    path("courses/<slug:slug>/", catalog.course_detail, name="course-detail"),
    path("courses/<slug:slug>/reviews/", catalog.course_reviews, name="course-reviews"),
    path("courses/<slug:slug>/enroll/", catalog.course_enroll, name="course-enroll"),
    path("courses/<slug:slug>/review/", catalog.course_review_save, name="course-review"),
    path("courses/<slug:slug>/review/delete/", catalog.course_review_delete, name="course-review-delete"),
    path("courses/<slug:slug>/buy/", payments.course_buy, name="course-buy"),
    path("payments/", payments.payment_list, name="payment-list"),
    path("payments/success/", payments.payment_success, name="payment-success"),
    path("payments/cancel/", payments.payment_cancel, name="payment-cancel"),
    path("payments/webhook/", payments.stripe_webhook, name="stripe-webhook"),
    path("my/", my_learning.my_learning, name="my-learning"),
    path("courses/<slug:slug>/resume/", player.course_resume, name="course-resume"),
    path("courses/<slug:slug>/lessons/<uuid:pk>/", player.lesson_detail, name="lesson"),
    path("courses/<slug:slug>/lessons/<uuid:pk>/complete/", player.lesson_complete_view, name="lesson-complete"),
    path("enrollments/<uuid:pk>/pause/", my_learning.enrollment_pause_view, name="enrollment-pause"),
    path("enrollments/<uuid:pk>/resume/", my_learning.enrollment_resume_view, name="enrollment-resume"),
    path("enrollments/<uuid:pk>/wellness-check/", wellness.wellness_check_answer_view, name="wellness-check"),
    path(
        "enrollments/<uuid:pk>/wellness-check/dismiss/",
        wellness.wellness_check_dismiss_view,
        name="wellness-check-dismiss",
    ),
    path("courses/<slug:slug>/assignments/", assignments.assignment_list, name="assignment-list"),
    path("courses/<slug:slug>/assignments/<uuid:pk>/", assignments.assignment_detail, name="assignment-detail"),
    path("teaching/", teaching.teaching_courses, name="teaching-courses"),
    path("teaching/submissions/", teaching.teaching_queue, name="teaching-queue"),
    path("teaching/submissions/<uuid:pk>/", teaching.teaching_grade, name="teaching-grade"),
    path("teaching/courses/<slug:slug>/assignments/", teaching.teaching_assignments, name="teaching-assignments"),
    path("teaching/assignments/<uuid:pk>/edit/", teaching.teaching_assignment_edit, name="teaching-assignment-edit"),
    path("pathways/", pathways.pathway_list, name="pathway-list"),
    path("pathways/<uuid:pk>/", pathways.pathway_detail, name="pathway-detail"),
    path("pathways/<uuid:pk>/steps/<uuid:step_pk>/", pathways.pathway_step_toggle, name="pathway-step-toggle"),
    path("pathways/<uuid:pk>/advise/", pathways.pathway_advisor_edit, name="pathway-advisor-edit"),
    path("stories/", stories.story_list, name="story-list"),
    path("stories/<str:slug>/", stories.story_detail, name="story-detail"),
]
