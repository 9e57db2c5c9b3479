"""Mentors as advisors of their mentees: of their career pathways (learning's advisor
registry) and as someone to turn to when the mentee is struggling (core's support
contacts, offered with the support lines). Registered from ``MentorshipConfig.ready()``."""

from typing import Any

from core.registry import SupportContactSource, support_contacts
from learning.registry import AdvisorCheck, advisor_checks
from mentorship.selectors.profiles import mentor_advises, mentor_support_contacts


def _mentor_of(advisor: Any, learner: Any) -> bool:
    return mentor_advises(mentor=advisor, learner=learner)


def register() -> None:
    advisor_checks.register(AdvisorCheck(key="mentor", allows=_mentor_of, order=10))
    support_contacts.register(SupportContactSource("mentorship", mentor_support_contacts, order=20))
