"""Admin for accounts, and the site's branding."""

from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Profile, User
from .services import (
    PROFILE_EDITABLE_FIELDS,
    profile_create,
    profile_make_default,
    profile_update,
    user_set_active,
)

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
        self._set_active(request, queryset.exclude(pk=request.user.pk), active=False)

    @admin.action(description=_("Reactivate selected users"), permissions=["change"])
    def reactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=True)
