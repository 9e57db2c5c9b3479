"""Admin for accounts, and the site's branding."""

from typing import Any, cast

from allauth.account.models import EmailAddress
from auditlog.admin import LogEntryAdmin
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import signed_in_user

from .audit import audit_action_names
from .models import (
    Announcement,
    AuditLogEntry,
    CalendarFeed,
    Notification,
    NotificationPreference,
    Profile,
    StoredFile,
    User,
)
from .selectors.audit import audit_log_visible_to
from .services.announcements import (
    announcement_audience_choices,
    announcement_audience_label,
    announcement_draft_save,
    announcement_queue,
    announcement_validate,
)
from .services.calendar import calendar_feed_rotate
from .services.files import file_delete, file_update, file_validate_expiry
from .services.notifications import (
    notification_action_url_clean,
    notification_mark_read,
    notification_preferences_set,
    notification_send,
)
from .services.profiles import PROFILE_EDITABLE_FIELDS, profile_create, profile_make_default, profile_update
from .services.users import user_set_active

admin.site.site_header = _("Ascend administration")
admin.site.site_title = _("Ascend admin")
admin.site.index_title = _("Run the platform")
admin.site.site_url = "/"


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0
    fields = ("email", "verified", "primary")


class ProfileInline(admin.TabularInline):
    model = Profile
    extra = 0
    fields = ("name", "type", "is_default", "created_at")
    readonly_fields = ("name", "type", "is_default", "created_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # profiles are added on their own page, through the service


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "type", "is_default", "created_at")
    list_filter = ("type", "is_default")
    search_fields = ("name", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("is_default", "created_at", "updated_at")
    actions = ["make_default"]

    def save_model(self, request: HttpRequest, obj: Profile, form, change: bool) -> None:
        if change:
            profile_update(profile=obj, data={name: getattr(obj, name) for name in PROFILE_EDITABLE_FIELDS})
        else:
            created = profile_create(user=obj.user, name=obj.name, type=obj.type, custom_fields=obj.custom_fields)
            obj.pk, obj.is_default = created.pk, created.is_default
            obj._state.adding = False

    @admin.action(description=_("Make the selected profile its user's default"), permissions=["change"])
    def make_default(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        for profile in queryset:
            profile_make_default(profile=profile)
        self.message_user(request, _("Default profiles updated."), messages.SUCCESS)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    inlines = [EmailAddressInline, ProfileInline]
    ordering = ("email",)
    list_display = ("email", "display_name", "membership_tier", "is_staff", "is_active", "is_new_user", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "membership_tier", "is_new_user", "groups", "date_joined")
    search_fields = ("email", "username", "first_name", "last_name", "location")
    readonly_fields = ("id", "date_joined", "last_login", "created_at", "updated_at")
    date_hierarchy = "date_joined"
    actions = ["deactivate_users", "reactivate_users"]
    fieldsets = (
        (None, {"fields": ("id", "email", "username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "title", "bio", "avatar", "location")}),
        (_("Preferences"), {"fields": ("timezone", "reminder_time", "skills", "interests")}),
        (_("Self-described (private)"), {"classes": ("collapse",), "fields": ("race", "ethnicity")}),
        (_("Membership"), {"fields": ("membership_tier", "is_new_user")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("date_joined", "last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    @admin.display(description=_("name"))
    def display_name(self, user: User) -> str:
        return user.get_full_name()

    def _set_active(self, request: HttpRequest, queryset: QuerySet[User], active: bool) -> None:
        changed = 0
        for user in queryset:
            if user.is_active != active:
                user_set_active(user=user, active=active)
                changed += 1
        message = ngettext("%(count)d user changed.", "%(count)d users changed.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Deactivate selected users (soft delete)"), permissions=["change"])
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset.exclude(pk=signed_in_user(request).pk), active=False)

    @admin.action(description=_("Reactivate selected users"), permissions=["change"])
    def reactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=True)


def _become_stored(obj: Any, stored: Any) -> None:
    """Make the admin's unsaved ``obj`` the row a service stored: the admin goes on with
    ``obj`` (history entry, redirect)."""
    for field in type(stored)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(stored, field.attname))
    obj._state.adding = False
    obj._state.db = stored._state.db


class NotificationAddForm(forms.ModelForm):
    """Staff send one user a notification; it is created by ``notification_send``."""

    send_email = forms.BooleanField(
        label=_("Also e-mail it"),
        required=False,
        initial=True,
        help_text=_("Sends an e-mail copy when the user has not turned this type off."),
    )

    class Meta:
        model = Notification
        fields = ("user", "type", "title", "message", "action_url")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        try:
            cleaned["action_url"] = notification_action_url_clean(cleaned.get("action_url", ""))
        except ValidationError as exc:
            form_errors_from(self, exc)
        return cleaned


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "type", "is_read", "created_at", "emailed_at")
    list_filter = ("type", "is_read", "created_at")
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ["mark_read"]
    readonly_fields = (
        "id",
        "user",
        "type",
        "title",
        "message",
        "is_read",
        "read_at",
        "related_type",
        "related_id",
        "action_url",
        "emailed_at",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Notification | None = None) -> tuple[str, ...]:
        # What a user was told is a record: staff add notifications but do not rewrite them.
        return () if obj is None else self.readonly_fields

    def get_form(self, request: HttpRequest, obj: Notification | None = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = NotificationAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Notification | None = None) -> tuple[str, ...]:
        if obj is None:
            return (*NotificationAddForm.Meta.fields, "send_email")
        return tuple(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Notification, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        created = notification_send(
            user=data["user"],
            type=data["type"],
            title=data["title"],
            message=data["message"],
            action_url=data["action_url"],
            email=None if data["send_email"] else False,
        )
        _become_stored(obj, created)

    @admin.action(description=_("Mark selected notifications read"), permissions=["change"])
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        changed = 0
        for notification in queryset.filter(is_read=False).select_related("user"):
            notification_mark_read(user=notification.user, notification=notification)
            changed += 1
        message = ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", changed) % {
            "count": changed
        }
        self.message_user(request, message, messages.SUCCESS)


class NotificationPreferenceAddForm(forms.ModelForm):
    """A stored preference turns e-mail copies of a type off (or back on): without one they
    are on, so adding one that says "on" changes nothing and is refused."""

    class Meta:
        model = NotificationPreference
        fields = ("user", "type", "email")

    def clean_email(self) -> bool:
        if self.cleaned_data.get("email"):
            raise ValidationError(_("E-mail copies are on by default: add a preference only to turn one off."))
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "email", "updated_at")
    list_filter = ("type", "email")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    ordering = ("user__email", "type")

    def get_readonly_fields(self, request: HttpRequest, obj: NotificationPreference | None = None) -> tuple[str, ...]:
        return () if obj is None else ("user", "type")

    def get_form(
        self, request: HttpRequest, obj: NotificationPreference | None = None, change: bool = False, **kwargs: Any
    ):
        if obj is None:
            kwargs["form"] = NotificationPreferenceAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: NotificationPreference, form: forms.ModelForm, change: bool
    ) -> None:
        notification_preferences_set(user=obj.user, preferences={obj.type: obj.email})
        _become_stored(obj, NotificationPreference.objects.get(user=obj.user, type=obj.type))


# --- Audit log: read-only for everyone (append-only), visible to managers and admins ------
# django-auditlog registers its own admin for the entry model (importing LogEntryAdmin above
# makes sure that happened first); ours replaces it.
if admin.site.is_registered(AuditLogEntry):
    admin.site.unregister(AuditLogEntry)


class AuditActionFilter(admin.SimpleListFilter):
    """Filter by action name; the choices come from the audited models (no table scan)."""

    title = _("action")
    parameter_name = "action_name"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(name, name) for name in audit_action_names()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditLogEntry]) -> QuerySet[AuditLogEntry]:
        return queryset.filter(action_name=self.value()) if self.value() else queryset


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, LogEntryAdmin):
    """The audit log in admin: nobody adds, changes or deletes an entry (not even a
    superuser, and no delete action); managers and admins view it."""

    list_display = ["created", "action_name", "resource_url", "msg_short", "user_url", "remote_addr"]
    list_filter = ["action", AuditActionFilter]
    search_fields = ["object_repr", "action_name", "actor__email", "actor_email", "=remote_addr", "=object_pk"]
    readonly_fields = [
        "created",
        "user_url",
        "resource_url",
        "action_name",
        "action",
        "msg",
        "remote_addr",
        "user_agent",
        "cid",
    ]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "resource_url", "action_name", "cid"]}),
        (_("Changes"), {"fields": ["action", "msg"]}),
        (_("Client"), {"fields": ["remote_addr", "user_agent"]}),
    ]
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditLogEntry]:
        """Entries about therapy are for admins only (as on the page and in the API)."""
        return audit_log_visible_to(signed_in_user(request)).select_related("actor", "content_type")

    @admin.display(description=_("Time"), ordering="timestamp")
    def created(self, obj: AuditLogEntry) -> str:
        """In the reader's zone, saying which (``2026-01-15 18:00:00 CET (Europe/Berlin)``)."""
        local = timezone.localtime(obj.timestamp)
        return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()} ({timezone.get_current_timezone_name()})"


class StoredFileExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("expired", _("Expired")), ("later", _("Expires later")), ("never", _("Never expires"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[StoredFile]) -> QuerySet[StoredFile]:
        now = timezone.now()
        match self.value():
            case "expired":
                return queryset.filter(expires_at__lte=now)
            case "later":
                return queryset.filter(expires_at__gt=now)
            case "never":
                return queryset.filter(expires_at__isnull=True)
        return queryset


class StoredFileAdminForm(forms.ModelForm):
    class Meta:
        model = StoredFile
        fields = ("tags", "is_public", "expires_at")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        if "expires_at" in self.changed_data:
            file_validate_expiry(cleaned_data.get("expires_at"))
        return cleaned_data


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Files are added through the pages and the API, which check them; staff change
    tags, visibility (the object moves storage) and expiry, and delete files with their
    objects — always through the file services."""

    form = StoredFileAdminForm
    list_display = (
        "original_name",
        "uploaded_by",
        "mime_type",
        "size_display",
        "is_public",
        "expires_at",
        "created_at",
    )
    list_filter = ("mime_type", "is_public", StoredFileExpiryFilter, "created_at")
    search_fields = ("original_name", "uploaded_by__email", "key")
    list_select_related = ("uploaded_by",)
    date_hierarchy = "created_at"
    fields = (
        "id",
        "original_name",
        "uploaded_by",
        "mime_type",
        "size_display",
        "key",
        "tags",
        "is_public",
        "expires_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "id",
        "original_name",
        "uploaded_by",
        "mime_type",
        "size_display",
        "key",
        "created_at",
        "updated_at",
    )
    actions = ["delete_files"]

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, file: StoredFile) -> str:
        return filesizeformat(file.size)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: StoredFile, form: forms.ModelForm, change: bool) -> None:
        file_update(file=obj, data={name: form.cleaned_data[name] for name in form.changed_data})

    def delete_model(self, request: HttpRequest, obj: StoredFile) -> None:
        file_delete(file=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StoredFile]) -> None:
        for file in queryset:
            file_delete(file=file)

    @admin.action(description=_("Delete selected files and their stored objects"), permissions=["delete"])
    def delete_files(self, request: HttpRequest, queryset: QuerySet[StoredFile]) -> None:
        count = 0
        for file in queryset:
            file_delete(file=file)
            count += 1
        message = ngettext("%(count)d file deleted.", "%(count)d files deleted.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


class AnnouncementForm(forms.ModelForm):
    """A draft announcement: the audience is everyone or one registered segment."""

    audience = forms.ChoiceField(label=_("Audience"), choices=())

    class Meta:
        model = Announcement
        fields = ("title", "message", "action_url", "audience")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = cast(forms.ChoiceField, self.fields["audience"])
        audience.choices = announcement_audience_choices()
        audience.help_text = _("Everyone active, or one group: a role, a membership tier or a category of interest.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        try:
            cleaned.update(
                announcement_validate(
                    title=cleaned.get("title", ""),
                    message=cleaned.get("message", ""),
                    action_url=cleaned.get("action_url", ""),
                    audience=cleaned.get("audience", ""),
                )
            )
        except ValidationError as exc:
            form_errors_from(self, exc)
        return cleaned


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Staff write a draft, then send it with the action; the list shows each one's
    progress (people notified of people to notify) while the task sends it in batches."""

    form = AnnouncementForm
    list_display = ("title", "audience_label", "status", "progress", "queued_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("title",)
    ordering = ("-created_at",)
    actions = ["send"]
    readonly_fields = ("status", "progress", "created_by", "queued_at", "finished_at")

    @admin.display(description=_("audience"))
    def audience_label(self, obj: Announcement) -> str:
        return announcement_audience_label(obj.audience)

    @admin.display(description=_("progress"))
    def progress(self, obj: Announcement) -> str:
        if obj.status == Announcement.Status.DRAFT:
            return str(_("not sent yet"))
        return _("%(sent)d of %(total)d notified") % {"sent": obj.sent_count, "total": obj.total}

    def get_readonly_fields(self, request: HttpRequest, obj: Announcement | None = None) -> tuple[str, ...]:
        if obj is not None and obj.status != Announcement.Status.DRAFT:
            return ("title", "message", "action_url", "audience_label", *self.readonly_fields)
        return self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: Announcement | None = None) -> tuple[str, ...]:
        if obj is not None and obj.status != Announcement.Status.DRAFT:
            return ("title", "message", "action_url", "audience_label", *self.readonly_fields)
        return (*AnnouncementForm.Meta.fields, *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Announcement, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        saved = announcement_draft_save(
            announcement=obj if change else None,
            title=data["title"],
            message=data["message"],
            action_url=data["action_url"],
            audience=data["audience"],
            created_by=signed_in_user(request),
        )
        _become_stored(obj, saved)

    @admin.action(description=_("Send the selected announcements"), permissions=["change"])
    def send(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        queued = 0
        for announcement in queryset:
            try:
                announcement_queue(announcement=announcement)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                queued += 1
        if queued:
            message = ngettext(
                "%(count)d announcement is being sent: the list shows its progress.",
                "%(count)d announcements are being sent: the list shows their progress.",
                queued,
            ) % {"count": queued}
            self.message_user(request, message, messages.SUCCESS)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """The token is a secret: staff see that a feed exists and when it was last rotated.
    Staff revoke an address by giving the feed a new one (the person's calendar page shows
    it; the old one answers 404) or by deleting the feed (the next visit makes a new one)."""

    list_display = ("user", "rotated_at", "created_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "rotated_at", "created_at")
    readonly_fields = fields
    actions = ("rotate_selected",)

    @admin.action(
        description=_("Give the selected feeds a new address (the old ones stop working)"), permissions=["delete"]
    )
    def rotate_selected(self, request: HttpRequest, queryset: QuerySet[CalendarFeed]) -> None:
        count = 0
        for feed in queryset.select_related("user"):
            calendar_feed_rotate(user=feed.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d feed has a new address; its old one no longer works.",
                "%(count)d feeds have a new address; their old ones no longer work.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False
