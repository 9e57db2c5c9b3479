"""Pages of therapy, mounted at /therapy/."""

from django.urls import path

from therapy.views import access, journal, messages, relationships, sessions, therapists

app_name = "therapy"

urlpatterns = [
    path("", relationships.therapy_home, name="home"),
    path("therapists/", therapists.therapist_directory, name="therapist-list"),
    path("therapists/<uuid:pk>/request/", relationships.relationship_request_view, name="relationship-request"),
    path("apply/", therapists.therapist_apply, name="apply"),
    path("my-therapists/", relationships.my_therapists, name="my-therapists"),
    path("clients/", relationships.client_list, name="client-list"),
    path("relationships/<uuid:pk>/urgent/", relationships.urgent_session_request_view, name="urgent-session"),
    path("relationships/<uuid:pk>/<slug:action>/", relationships.relationship_action, name="relationship-action"),
    path("messages/", messages.conversation_list, name="conversation-list"),
    path("messages/<uuid:pk>/", messages.conversation, name="conversation"),
    path("messages/<uuid:pk>/thread/", messages.conversation_thread, name="conversation-thread"),
    path("journal/", journal.journal_list, name="journal-list"),
    path("journal/new/", journal.journal_create, name="journal-create"),
    path("journal/<uuid:pk>/", journal.journal_detail, name="journal-detail"),
    path("journal/<uuid:pk>/edit/", journal.journal_edit, name="journal-edit"),
    path("journal/<uuid:pk>/share/", journal.journal_share, name="journal-share"),
    path("journal/<uuid:pk>/delete/", journal.journal_delete, name="journal-delete"),
    path("clients/<uuid:client_id>/journal/", journal.client_journal, name="client-journal"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/clients/", sessions.session_therapist_list, name="session-therapist-list"),
    path("sessions/<uuid:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<uuid:pk>/reject/", sessions.session_reject, name="session-reject"),
    path("sessions/<uuid:pk>/notes/", sessions.session_notes, name="session-notes"),
    path("sessions/<uuid:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<uuid:pk>/reschedule/", sessions.session_reschedule, name="session-reschedule"),
    path("sessions/<uuid:pk>/where/", sessions.session_where, name="session-where"),
    path("sessions/<uuid:pk>/<slug:move>/", sessions.session_move, name="session-move"),
    path("access-log/", access.access_log, name="access-log"),
]
