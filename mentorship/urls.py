"""Pages of mentorship, mounted at /."""

from django.urls import path

from .views import availability, calendar, earnings, events, mentees, mentors, sessions, venues

app_name = "mentorship"

urlpatterns: list = [
    path("mentors/", mentors.mentor_list, name="mentor-list"),
    path("mentors/subcategories/", mentors.mentor_subcategory_options, name="mentor-subcategories"),
    path("mentors/<uuid:mentor_id>/", mentors.mentor_detail, name="mentor-detail"),
    path("mentors/<uuid:mentor_id>/review/", mentors.mentor_review_view, name="mentor-review"),
    path("mentors/<uuid:mentor_id>/review/delete/", mentors.mentor_review_delete_view, name="mentor-review-delete"),
    path("mentoring/apply/", mentors.mentor_apply_page, name="mentor-apply"),
    path("mentorship/interests/", mentors.mentorship_interests_page, name="interests"),
    path("venues/", venues.venue_list, name="venue-list"),
    path("venues/<uuid:pk>/", venues.venue_detail, name="venue-detail"),
    path("events/", events.event_list_page, name="event-list"),
    path("events/new/", events.event_create_page, name="event-create"),
    path("events/<uuid:pk>/", events.event_detail, name="event-detail"),
    path("events/<uuid:pk>/edit/", events.event_edit_page, name="event-edit"),
    path("events/<uuid:pk>/register/", events.event_register_view, name="event-register"),
    path("events/<uuid:pk>/pay/", events.event_pay_view, name="event-pay"),
    path("events/<uuid:pk>/unregister/", events.event_unregister_view, name="event-unregister"),
    path("events/<uuid:pk>/cancel/", events.event_cancel_view, name="event-cancel"),
    path("events/<uuid:pk>/attendees/", events.event_attendees_page, name="event-attendees"),
    path(
        "events/<uuid:pk>/attendees/<uuid:attendance_pk>/mark/",
        events.event_attendance_mark_view,
        name="event-attendance-mark",
    ),
    path("events/<uuid:pk>/calendar.ics", events.event_ics_download, name="event-ics"),
    path("sessions/<uuid:pk>/calendar.ics", calendar.session_ics_download, name="session-ics"),
    path("mentors/<uuid:mentor_id>/book/", sessions.session_book_view, name="session-book"),
    path("sessions/", sessions.my_sessions, name="my-sessions"),
    path("sessions/<uuid:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<uuid:pk>/feedback/", sessions.session_feedback_view, name="session-feedback"),
    path("sessions/<uuid:pk>/notes/", sessions.session_note_view, name="session-notes"),
    path("sessions/<uuid:pk>/reschedule/", sessions.session_reschedule_view, name="session-reschedule"),
    path(
        "sessions/<uuid:pk>/<str:action>/",
        sessions.session_action,
        name="session-action",
    ),
    path("mentoring/feedback/", sessions.feedback_received, name="feedback-received"),
    path("mentoring/earnings/", earnings.earnings_page, name="earnings"),
    path("mentoring/earnings.csv", earnings.earnings_csv, name="earnings-csv"),
    path("mentoring/availability/", availability.availability_page, name="availability"),
    path("mentoring/mentees/", mentees.mentee_list_page, name="mentees"),
    path("mentoring/mentees/<uuid:mentee_id>/", mentees.mentee_detail_page, name="mentee-detail"),
    path("mentoring/<str:view>/", sessions.mentor_sessions, name="mentor-sessions"),
]
