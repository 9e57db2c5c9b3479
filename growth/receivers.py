"""Thin handlers of other apps' signals: each only enqueues a badge evaluation (connected on
import from ``GrowthConfig.ready()``). The signals are sent after their transaction commits."""

from typing import Any

from django.dispatch import receiver

from learning.signals import course_completed
from mentorship.signals import mentor_verified, session_completed


@receiver(course_completed, dispatch_uid="growth.receivers.badges_on_course_completed")
def badges_on_course_completed(sender: Any, *, user_id: object, **kwargs: Any) -> None:
    """A course was completed: the learner may earn the milestone badge."""
    from growth.tasks import badges_evaluate_task

    badges_evaluate_task.delay_on_commit(str(user_id))


@receiver(session_completed, dispatch_uid="growth.receivers.badges_on_session_completed")
def badges_on_session_completed(sender: Any, *, mentor_id: object, mentee_id: object, **kwargs: Any) -> None:
    """A mentorship session was completed: both parties count it (session-completion badges)."""
    from growth.tasks import badges_evaluate_task

    badges_evaluate_task.delay_on_commit(str(mentee_id))
    badges_evaluate_task.delay_on_commit(str(mentor_id))


@receiver(mentor_verified, dispatch_uid="growth.receivers.badges_on_mentor_verified")
def badges_on_mentor_verified(sender: Any, *, user_id: object, **kwargs: Any) -> None:
    """Staff verified a mentor: the mentor-verified badge."""
    from growth.tasks import badges_evaluate_task

    badges_evaluate_task.delay_on_commit(str(user_id))
