"""Mentors as advisors of their mentees' career pathways: registered into learning's
advisor registry from ``MentorshipConfig.ready()``."""

from typing import Any

from learning.registry import AdvisorCheck, advisor_checks
from mentorship.selectors.profiles import mentor_advises


def _mentor_of(advisor: Any, learner: Any) -> bool:
    return mentor_advises(mentor=advisor, learner=learner)


def register() -> None:
    advisor_checks.register(AdvisorCheck(key="mentor", allows=_mentor_of, order=10))
