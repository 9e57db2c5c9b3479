"""Factories of accounts (importable by every app's tests)."""

import uuid

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.timezone import now as timezone_now
from factory.django import DjangoModelFactory

from accounts.models import (
    AuditLogEntry,
    CalendarFeed,
    Notification,
    NotificationPreference,
    Profile,
    StoredFile,
    User,
)
from accounts.notifications import AccountNotification
from accounts.roles import ADMIN, MANAGER

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    """An active user with a verified primary e-mail address and a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    timezone = "UTC"
    is_new_user = False
    # Through the welcome already: signing in leads to the dashboard (see NewMemberFactory).
    onboarding_completed_at = factory.LazyFunction(timezone_now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted if extracted is not None else True
            )


class NewMemberFactory(UserFactory):
    """A member who signed up and has not been through the welcome (no name chosen yet)."""

    first_name = ""
    last_name = ""
    onboarding_completed_at = None


class ManagerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.groups.add(Group.objects.get_or_create(name=MANAGER)[0])


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.groups.add(Group.objects.get_or_create(name=ADMIN)[0])


class ProfileFactory(DjangoModelFactory):
    """A non-default profile; use ``accounts.services.profiles.profile_create`` for the first one."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Profile {n}")
    type = Profile.Type.PROFESSIONAL
    custom_fields = factory.LazyFunction(lambda: {"department": "Sound"})
    is_default = False


class NotificationFactory(DjangoModelFactory):
    """An unread in-app notification written directly (no e-mail task); tests of the
    sending rules call ``notification_send`` instead."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    type = AccountNotification.SYSTEM
    title = factory.Sequence(lambda n: f"Notification {n}")
    message = factory.Faker("sentence")
    action_url = "/dashboard/"


class NotificationPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    type = AccountNotification.SYSTEM
    email = False


class StoredFileFactory(DjangoModelFactory):
    """A stored file whose object really exists in its storage (``content``), laid out as
    an upload: ``users/{userId}/uploads/{yyyy}/{mm}/{id}.txt``."""

    class Meta:
        model = StoredFile

    id = factory.LazyFunction(uuid.uuid4)
    uploaded_by = factory.SubFactory(UserFactory)
    original_name = factory.Sequence(lambda n: f"notes-{n}.txt")
    mime_type = "text/plain"
    content = b"Some notes worth keeping.\n"
    size = factory.LazyAttribute(lambda o: len(o.content))
    key = factory.LazyAttribute(lambda o: f"users/{o.uploaded_by.pk}/uploads/{timezone.now():%Y/%m}/{o.id}.txt")
    tags = factory.LazyFunction(list)
    is_public = False
    expires_at = None

    @classmethod
    def _create(cls, model_class: type[StoredFile], *args, content: bytes = b"", **kwargs) -> StoredFile:
        stored = model_class(*args, **kwargs)
        stored.key = stored.storage.save(stored.key, ContentFile(content))
        stored.save(force_insert=True)
        return stored


class AuditLogEntryFactory(DjangoModelFactory):
    """An audit entry written directly (as django-auditlog would): ``actor`` changed the
    first name of ``target`` (a user) at ``timestamp``. Its action name is set on save."""

    class Meta:
        model = AuditLogEntry

    class Params:
        target = factory.SubFactory(UserFactory)

    actor = factory.SubFactory(UserFactory)
    actor_email = factory.LazyAttribute(lambda o: o.actor.email if o.actor else None)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(User))
    object_pk = factory.LazyAttribute(lambda o: str(o.target.pk))
    object_repr = factory.LazyAttribute(lambda o: str(o.target))
    action = AuditLogEntry.Action.UPDATE
    changes = factory.LazyFunction(lambda: {"first_name": ["Old", "New"]})
    remote_addr = "203.0.113.7"
    user_agent = "FactoryBrowser/1.0"
    timestamp = factory.LazyFunction(timezone.now)


class CalendarFeedFactory(DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
