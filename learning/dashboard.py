"""What learning contributes to the dashboard and the navigation (registered from
``LearningConfig.ready()``)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.http import signed_in_user
from core.person_facts import person_fact
from core.registry import (
    DashboardPanel,
    NavItem,
    NavSection,
    PersonFact,
    dashboard_panels,
    nav_sections,
    navigation,
    person_facts,
    signed_in,
)
from learning.models import Enrollment, InstructorProfile
from learning.rules import is_staff_user
from learning.selectors.assessments import assessment_in_progress_for_user
from learning.selectors.pathways import pathway_count_for_user, pathway_list_with_progress
from learning.selectors.progress import enrollment_counts_for_user, enrollment_list_for_user

COURSES_PANEL_SIZE = 4
PATHWAYS_PANEL_SIZE = 3


INSTRUCTOR = "learning.instructor"


def _instructor_profile(person_id: Any) -> QuerySet[InstructorProfile]:
    """The person's active instructor profile (``learning.rules.is_instructor``)."""
    return InstructorProfile.objects.filter(user_id=person_id, is_active=True)


def _teaches(user: Any) -> bool:
    """Instructors and staff see "Teaching" (``is_staff_user or is_instructor``, the
    instructor role read from the person's facts: no query of its own)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(is_staff_user(user) or person_fact(user, INSTRUCTOR))


def _onboarding(user: Any) -> bool:
    """Learners still onboarding (no career profile chosen yet) are invited to the assessment."""
    return bool(user.is_authenticated and user.is_new_user)


def _find_path_panel_context(request: HttpRequest) -> dict[str, Any]:
    """Whether the learner has an assessment in progress (one query)."""
    return {"in_progress": assessment_in_progress_for_user(user=signed_in_user(request)) is not None}


def _career_chosen(user: Any) -> bool:
    """Learners past onboarding (they chose a career, or were never asked) see their pathways."""
    return bool(user.is_authenticated and not user.is_new_user)


def _pathways_panel_context(request: HttpRequest) -> dict[str, Any]:
    """The learner's newest pathways with their progress, and how many there are (two queries)."""
    user = signed_in_user(request)
    return {
        "pathways": pathway_list_with_progress(user=user, limit=PATHWAYS_PANEL_SIZE),
        "count": pathway_count_for_user(user=user),
    }


def _courses_panel_context(request: HttpRequest) -> dict[str, Any]:
    """The learner's unfinished courses, most recently opened first, and the counts by
    status (two queries)."""
    user = signed_in_user(request)
    unfinished = enrollment_list_for_user(user=user).exclude(status=Enrollment.Status.COMPLETED)
    return {
        "enrollments": list(unfinished[:COURSES_PANEL_SIZE]),
        "counts": enrollment_counts_for_user(user=user),
    }


def register() -> None:
    person_facts.register(PersonFact(INSTRUCTOR, _instructor_profile, order=20))
    nav_sections.register(
        NavSection(
            "learn",
            _("Learn"),
            "learning:course-list",
            order=20,
            namespaces=("learning",),
            url_names=("certificate-verify", "certificate-verify-detail"),
        )
    )
    section = "learn"
    navigation.register(NavItem("courses", _("Catalog"), "learning:course-list", section=section, order=20))
    navigation.register(
        NavItem("my-learning", _("My learning"), "learning:my-learning", section=section, order=30, visible=signed_in)
    )
    navigation.register(
        NavItem("career", _("Career"), "learning:assessment", section=section, order=32, visible=signed_in)
    )
    navigation.register(
        NavItem("assistant", _("Ask the assistant"), "learning:assistant", section=section, order=33, visible=signed_in)
    )
    navigation.register(
        NavItem(
            "certificates", _("Certificates"), "learning:certificate-list", section=section, order=35, visible=signed_in
        )
    )
    navigation.register(NavItem("stories", _("Stories"), "learning:story-list", section=section, order=37))
    navigation.register(
        NavItem("teaching", _("Teaching"), "learning:teaching-courses", section=section, order=40, visible=_teaches)
    )
    dashboard_panels.register(
        DashboardPanel(
            key="courses",
            title=_("Your courses"),
            template="learning/panels/courses.html",
            context=_courses_panel_context,
            order=20,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="pathways",
            title=_("Your career pathways"),
            template="learning/panels/pathways.html",
            context=_pathways_panel_context,
            order=22,
            visible=_career_chosen,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="find-your-path",
            title=_("Find your path"),
            template="learning/panels/find_path.html",
            context=_find_path_panel_context,
            order=5,
            visible=_onboarding,
        )
    )
