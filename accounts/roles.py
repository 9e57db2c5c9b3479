"""Staff roles as Django groups.

*Admin* members are superusers. *Manager* members are staff who see users, audit logs and
reports but change no permissions and never read therapy content: the group carries only
the view permissions listed in :data:`MANAGER_PERMISSIONS`, kept in sync after every
``migrate`` (permissions exist only once their models are migrated).
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

ADMIN = "Admin"
MANAGER = "Manager"
STAFF_ROLES = (ADMIN, MANAGER)

# app_label.codename; apps add their reports and logs here as they arrive.
MANAGER_PERMISSIONS: list[str] = [
    "accounts.view_user",
    "accounts.view_auditlogentry",
]


def role_permissions_sync(*, using: str = "default") -> None:
    """Give the Manager group exactly :data:`MANAGER_PERMISSIONS` that exist."""
    group, _ = Group.objects.using(using).get_or_create(name=MANAGER)
    Group.objects.using(using).get_or_create(name=ADMIN)
    wanted: list[Permission] = []
    for dotted in MANAGER_PERMISSIONS:
        app_label, codename = dotted.split(".", 1)
        wanted.extend(Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)


def on_post_migrate(sender, using: str = "default", apps=global_apps, **kwargs) -> None:
    """post_migrate receiver: keep the staff groups' permissions current."""
    role_permissions_sync(using=using)
