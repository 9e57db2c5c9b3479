"""Identity: the user."""

import uuid
from datetime import time
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from core.storage import public_storage
from core.validators import validate_tag_list, validate_timezone


class UserManager(BaseUserManager["User"]):
    """Users are identified by e-mail; look-ups by e-mail ignore case."""

    use_in_migrations = True

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(email__iexact=email)

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


def validate_intents(value: object) -> None:
    """A list of distinct answers of :class:`User.Intent`."""
    allowed = set(User.Intent.values)
    if not isinstance(value, list) or any(item not in allowed for item in value) or len(set(value)) != len(value):
        raise ValidationError(
            _("Choose from: %(choices)s.") % {"choices": ", ".join(User.Intent.values)}, code="invalid_intents"
        )


def avatar_upload_to(instance: "User", filename: str) -> str:
    """Avatars live under the user's key prefix (DESIGN.md §2, stored files)."""
    return f"users/{instance.pk}/avatar/{uuid.uuid4().hex}.jpg"


class User(AbstractBaseUser, PermissionsMixin):
    """A person on Ascend: learner, mentee, client and, with a role, mentor, instructor,
    therapist or staff. Signs in with e-mail; ``is_active`` false is a soft delete."""

    class Intent(models.TextChoices):
        """Answers to the welcome's "what brings you here" (one or more)."""

        LEARN = "learn", _("Learn something new")
        MENTOR = "mentor", _("Get a mentor")
        HABITS = "habits", _("Build better habits")
        CARE = "care", _("Look after myself")

    class MembershipTier(models.TextChoices):
        STANDARD = "standard", _("Standard")
        PREMIUM = "premium", _("Premium")
        EXCLUSIVE = "exclusive", _("Exclusive")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    username = models.CharField(
        _("username"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Optional. Letters, digits and @/./+/-/_ only."),
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    title = models.CharField(_("professional title"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, storage=public_storage, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True, help_text=_("City, region or country."))
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    reminder_time = models.TimeField(
        _("preferred reminder time"), default=time(8, 0), help_text=_("Local time for daily reminders.")
    )
    race = models.CharField(
        _("race (self-described)"),
        max_length=80,
        blank=True,
        help_text=_("Optional. Used only for “mentors and stories like me” filters; never shown publicly."),
    )
    ethnicity = models.CharField(
        _("ethnicity (self-described)"),
        max_length=80,
        blank=True,
        help_text=_("Optional. Used only for “mentors and stories like me” filters; never shown publicly."),
    )
    skills = models.JSONField(_("skills"), default=list, blank=True, validators=[validate_tag_list])
    interests = models.JSONField(_("interests"), default=list, blank=True, validators=[validate_tag_list])
    membership_tier = models.CharField(
        _("membership tier"), max_length=16, choices=MembershipTier.choices, default=MembershipTier.STANDARD
    )
    is_new_user = models.BooleanField(
        _("onboarding pending"), default=True, help_text=_("True until the learner has chosen a career path.")
    )
    intents = models.JSONField(
        _("what brings you here"),
        default=list,
        blank=True,
        validators=[validate_intents],
        help_text=_("Chosen in the welcome: learn, mentor, habits, care. Private to the person."),
    )
    onboarding_completed_at = models.DateTimeField(
        _("welcome finished at"), null=True, blank=True, help_text=_("When the person finished the welcome.")
    )
    onboarding_skipped_at = models.DateTimeField(
        _("welcome skipped at"),
        null=True,
        blank=True,
        help_text=_("When the person chose “Skip for now”: no more redirects, the dashboard offers to resume."),
    )
    onboarding_dismissed_at = models.DateTimeField(
        _("welcome dismissed at"),
        null=True,
        blank=True,
        help_text=_("When the person hid the dashboard's offer to resume the welcome."),
    )
    assistant_consent_at = models.DateTimeField(
        _("assistant consent given at"),
        null=True,
        blank=True,
        help_text=_(
            "When the person agreed that their chat answers and reflections may be sent to the language-model "
            "provider; empty: never agreed, or withdrawn."
        ),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Designates whether the user can sign in to the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Unset instead of deleting: a soft delete."))
    date_joined = models.DateTimeField(_("date joined"), default=django_timezone.now)
    welcomed_at = models.DateTimeField(
        _("welcome e-mail sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set once the welcome e-mail has gone out, so it is never sent twice."),
    )
    erased_at = models.DateTimeField(
        _("account deleted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the person deleted their account: identity anonymised, shared records kept."),
    )
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "date_joined"], name="accounts_user_active_joined"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip()
        if self.username == "":
            self.username = None

    @property
    def display_name(self) -> str:
        """Full name when known, otherwise the part of the e-mail before the @; "Deleted
        user" once the account was deleted."""
        if self.erased_at is not None:
            return str(_("Deleted user"))
        return self.get_full_name() or self.email.split("@", 1)[0]

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.display_name
