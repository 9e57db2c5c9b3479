"""Who may do what in accounts (rules predicates), used by pages, API and admin."""

import rules

from .roles import ADMIN, MANAGER


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or _in_group(user, ADMIN)))


@rules.predicate
def is_manager(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and _in_group(user, MANAGER))


def _in_group(user, name: str) -> bool:
    # Cached on the user object: navigation asks for roles several times per request.
    cache = user.__dict__.setdefault("_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user.__dict__["_role_names"] = cache
    return name in cache


is_staff_member = is_admin | is_manager

rules.add_perm("accounts.view_admin_site", is_staff_member)
