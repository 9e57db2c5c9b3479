"""Who may do what in learning (rules predicates), used by pages, API, admin and selectors."""

import rules


@rules.predicate
def sees_unpublished_courses(user) -> bool:
    """Staff (active staff accounts) see draft courses in the catalog and on course pages;
    everyone else only published ones."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)
