"""Writes of learning, one module per area. Pages, API views, admin actions and tasks call
these; other apps import them from ``learning.services``."""

from .assessments import assessment_answer, assessment_choose, assessment_last_turn, assessment_start
from .assignments import (
    assignment_create,
    assignment_update,
    submission_erase,
    submission_grade,
    submission_save,
)
from .catalog import course_publish, course_unpublish
from .certificates import (
    certificate_issue,
    certificate_list_path,
    certificate_number_format,
    certificate_number_next,
    certificate_pdf_bytes,
    certificate_pdf_key,
    certificate_reinstate,
    certificate_render_pdf,
    certificate_render_pdf_again,
    certificate_revoke,
    certificate_valid_until,
    certificate_verify_url,
    certificates_erase_for_user,
    certificates_reconcile,
)
from .enrollments import enrollment_create
from .instructors import instructor_grant, instructor_revoke
from .pathways import (
    pathway_create,
    pathway_step_complete,
    pathway_step_uncomplete,
    pathway_steps_rewrite,
    pathways_erase_for_user,
)
from .payments import (
    CheckoutStarted,
    checkout_start,
    enrollment_grant,
    payments_configured,
    webhook_event_apply,
)
from .progress import (
    enrollment_pause,
    enrollment_progress_refresh,
    enrollment_resume,
    enrollment_touch,
    lesson_complete,
)
from .reviews import review_delete, review_save
from .stories import story_publish, story_unpublish
from .wellness import wellness_check_answer, wellness_check_question

__all__ = [
    "CheckoutStarted",
    "assessment_answer",
    "assessment_choose",
    "assessment_last_turn",
    "assessment_start",
    "assignment_create",
    "assignment_update",
    "certificate_issue",
    "certificate_list_path",
    "certificate_number_format",
    "certificate_number_next",
    "certificate_pdf_bytes",
    "certificate_pdf_key",
    "certificate_reinstate",
    "certificate_render_pdf",
    "certificate_render_pdf_again",
    "certificate_revoke",
    "certificate_valid_until",
    "certificate_verify_url",
    "certificates_erase_for_user",
    "certificates_reconcile",
    "checkout_start",
    "course_publish",
    "course_unpublish",
    "enrollment_create",
    "enrollment_grant",
    "enrollment_pause",
    "enrollment_progress_refresh",
    "enrollment_resume",
    "enrollment_touch",
    "instructor_grant",
    "instructor_revoke",
    "lesson_complete",
    "pathway_create",
    "pathway_step_complete",
    "pathway_step_uncomplete",
    "pathway_steps_rewrite",
    "pathways_erase_for_user",
    "payments_configured",
    "review_delete",
    "review_save",
    "story_publish",
    "story_unpublish",
    "submission_erase",
    "submission_grade",
    "submission_save",
    "webhook_event_apply",
    "wellness_check_answer",
    "wellness_check_question",
]
