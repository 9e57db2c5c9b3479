"""Pages of therapy, mounted at /therapy/."""

from django.urls import path

from therapy.views import messages, relationships, therapists

app_name = "therapy"

urlpatterns = [
    path("", relationships.therapy_home, name="home"),
    path("therapists/", therapists.therapist_directory, name="therapist-list"),
    path("therapists/<uuid:pk>/request/", relationships.relationship_request_view, name="relationship-request"),
    path("apply/", therapists.therapist_apply, name="apply"),
    path("my-therapists/", relationships.my_therapists, name="my-therapists"),
    path("clients/", relationships.client_list, name="client-list"),
    path("relationships/<uuid:pk>/<slug:action>/", relationships.relationship_action, name="relationship-action"),
    path("messages/", messages.conversation_list, name="conversation-list"),
    path("messages/<uuid:pk>/", messages.conversation, name="conversation"),
    path("messages/<uuid:pk>/thread/", messages.conversation_thread, name="conversation-thread"),
]
