"""What learning exports and erases for "download my data" and "delete my account".

Registered from ``LearningConfig.ready()``.
"""

from typing import Any

from django.db.models import F, Prefetch

from core.registry import PersonalDataHandler, personal_data
from learning.models import (
    Assessment,
    CareerPathway,
    CareerProfile,
    Certificate,
    ChatMessage,
    Course,
    CourseReview,
    Enrollment,
    InstructorProfile,
    LessonProgress,
    PathwayRevision,
    Payment,
    Receipt,
    Refund,
    Submission,
)
from learning.services.assignments import submission_erase
from learning.services.certificates import certificates_erase_for_user
from learning.services.pathways import pathways_erase_for_user


def _export_course_reviews(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "course_id": str(review.course_id),
            "course": review.course.title,
            "rating": review.rating,
            "comment": review.comment,
            "created_at": review.created_at.isoformat(),
            "updated_at": review.updated_at.isoformat(),
        }
        for review in CourseReview.objects.filter(user=user).select_related("course").order_by("created_at")
    ]


def _export_courses_taught(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "course_id": str(course.pk),
            "title": course.title,
            "slug": course.slug,
            "published": course.published,
            "created_at": course.created_at.isoformat(),
        }
        for course in Course.objects.filter(instructor=user).order_by("created_at")
    ]


def _export_certificates(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "number": certificate.number,
            "course_id": str(certificate.course_id),
            "course": certificate.course_title,
            "holder_name": certificate.holder_name,
            "state": str(certificate.state),
            "issued_at": certificate.issued_at.isoformat(),
            "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "revoked_reason": certificate.revoked_reason,
        }
        for certificate in Certificate.objects.filter(user=user).order_by("issued_at")
    ]


def _export_enrollments(user: Any) -> list[dict[str, Any]]:
    """Each enrollment with its progress, its total time spent and every lesson the learner
    opened or completed: when completed (``None`` when not yet) and the time spent in it
    (two queries)."""
    lessons: dict[Any, list[dict[str, Any]]] = {}
    progress_rows = (
        LessonProgress.objects.filter(user=user)
        .select_related("lesson__module")
        .order_by(F("completed_at").asc(nulls_last=True), "created_at")
    )
    for progress in progress_rows:
        lessons.setdefault(progress.enrollment_id, []).append(
            {
                "lesson_id": str(progress.lesson_id),
                "lesson": progress.lesson.title,
                "module": progress.lesson.module.title,
                "completed_at": progress.completed_at.isoformat() if progress.completed_at else None,
                "time_spent_seconds": progress.time_spent_seconds,
            }
        )
    return [
        {
            "enrollment_id": str(enrollment.pk),
            "course_id": str(enrollment.course_id),
            "course": enrollment.course.title,
            "status": enrollment.status,
            "source": enrollment.source,
            "progress_percent": enrollment.progress_percent,
            "started_at": enrollment.started_at.isoformat(),
            "last_accessed_at": enrollment.last_accessed_at.isoformat() if enrollment.last_accessed_at else None,
            "completed_at": enrollment.completed_at.isoformat() if enrollment.completed_at else None,
            "wellness_check_completed": enrollment.wellness_check_completed,
            "time_spent_seconds": sum(item["time_spent_seconds"] for item in lessons.get(enrollment.pk, [])),
            "lessons": lessons.get(enrollment.pk, []),
        }
        for enrollment in Enrollment.objects.filter(user=user).select_related("course").order_by("started_at")
    ]


def _erase_enrollments(user: Any) -> None:
    """Progress is the learner's own history: removed with the account (certificates keep
    their own copy of what they certify)."""
    LessonProgress.objects.filter(user=user).delete()
    Enrollment.objects.filter(user=user).delete()


def _export_chat_messages(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "session_id": str(message.session_id),
            "session_type": message.session_type,
            "role": message.role,
            "message": message.message,
            "metadata": message.metadata,
            # What wrote an assistant message (issue 19); empty on the person's own.
            "engine": message.engine,
            "model": message.model,
            "prompt_version": message.prompt_version,
            "prompt_tokens": message.prompt_tokens,
            "completion_tokens": message.completion_tokens,
            "created_at": message.created_at.isoformat(),
        }
        for message in ChatMessage.objects.filter(user=user).order_by("created_at")
    ]


def _erase_chat_messages(user: Any) -> None:
    ChatMessage.objects.filter(user=user).delete()


def _export_payments(user: Any) -> list[dict[str, Any]]:
    """The user's payments of every kind with their price breakdown and their refunds."""
    return [
        {
            "payment_id": str(payment.pk),
            "kind": payment.kind,
            "item_id": str(payment.item_id),
            "course_id": str(payment.course_id) if payment.course_id else None,
            "course": payment.course.title if payment.course else "",
            "description": payment.description,
            "lines": payment.lines,
            "amount_cents": payment.amount_cents,
            "amount_refunded_cents": payment.amount_refunded_cents,
            "currency": payment.currency,
            "status": payment.status,
            "failure_reason": payment.failure_reason,
            "created_at": payment.created_at.isoformat(),
            "succeeded_at": payment.succeeded_at.isoformat() if payment.succeeded_at else None,
            "refunded_at": payment.refunded_at.isoformat() if payment.refunded_at else None,
            "disputed_at": payment.disputed_at.isoformat() if payment.disputed_at else None,
            "refunds": [
                {
                    "refund_id": str(refund.pk),
                    "amount_cents": refund.amount_cents,
                    "source": refund.source,
                    "rule": refund.rule,
                    "reason": refund.reason,
                    "status": refund.status,
                    "created_at": refund.created_at.isoformat(),
                    "succeeded_at": refund.succeeded_at.isoformat() if refund.succeeded_at else None,
                }
                for refund in payment.refunds.all()
            ],
        }
        for payment in Payment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related(Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "id")))
        .order_by("created_at")
    ]


def _export_receipts(user: Any) -> list[dict[str, Any]]:
    """The numbers of the receipts of the user's payments and refunds (their PDFs are among
    the user's files)."""
    return [
        {
            "number": receipt.number,
            "kind": receipt.kind,
            "payment_id": str(receipt.payment_id),
            "refund_id": str(receipt.refund_id) if receipt.refund_id else None,
            "created_at": receipt.created_at.isoformat(),
            "emailed_at": receipt.emailed_at.isoformat() if receipt.emailed_at else None,
        }
        for receipt in Receipt.objects.filter(payment__user=user).order_by("created_at", "number")
    ]


def _export_submissions(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "assignment_id": str(submission.assignment_id),
            "assignment": submission.assignment.title,
            "course": submission.assignment.course.title,
            "text": submission.text,
            "file": submission.file.original_name if submission.file is not None else None,
            "submitted_at": submission.submitted_at.isoformat(),
            "is_late": submission.is_late,
            "score": submission.score,
            "max_score": submission.assignment.max_score,
            "feedback": submission.feedback,
            "graded_at": submission.graded_at.isoformat() if submission.graded_at else None,
        }
        for submission in Submission.objects.filter(user=user)
        .select_related("assignment__course", "file")
        .order_by("submitted_at")
    ]


def _erase_submissions(user: Any) -> None:
    """Submissions are the learner's own work: deleted with their files."""
    for submission in Submission.objects.filter(user=user).select_related("file"):
        submission_erase(submission=submission)


def _export_instructor_profile(user: Any) -> dict[str, Any] | None:
    profile = InstructorProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "headline": profile.headline,
        "bio": profile.bio,
        "is_active": profile.is_active,
        "created_at": profile.created_at.isoformat(),
    }


def _erase_instructor_profile(user: Any) -> None:
    InstructorProfile.objects.filter(user=user).delete()


def _export_career_pathways(user: Any) -> list[dict[str, Any]]:
    """The learner's pathways with their steps and the changes of their steps (three
    queries); the advisor's name is not the learner's data and is left out (a change says
    only whether the learner made it)."""
    pathways = (
        CareerPathway.objects.filter(user=user)
        .select_related("subcategory")
        .prefetch_related("steps", Prefetch("revisions", queryset=PathwayRevision.objects.order_by("created_at")))
    )
    return [
        {
            "pathway_id": str(pathway.pk),
            "title": pathway.title,
            "subcategory": pathway.subcategory.name,
            "overridden_by_advisor": pathway.overridden_by_advisor,
            "advisor_notes": pathway.advisor_notes,
            "created_at": pathway.created_at.isoformat(),
            "steps": [
                {
                    "order": step.order,
                    "title": step.title,
                    "description": step.description,
                    "resources": step.resources,
                    "estimated_time": step.estimated_time,
                    "completed_at": step.completed_at.isoformat() if step.completed_at else None,
                }
                for step in pathway.steps.all()
            ],
            "changes": [
                {
                    "kind": revision.kind,
                    "by_me": revision.author_id == user.pk,
                    "notes": revision.notes,
                    "steps_before": revision.steps_before,
                    "steps_after": revision.steps_after,
                    "created_at": revision.created_at.isoformat(),
                }
                for revision in pathway.revisions.all()
            ],
        }
        for pathway in pathways.order_by("created_at")
    ]


def _export_assessments(user: Any) -> list[dict[str, Any]]:
    """Each career assessment with its answers and recommendation (its turns are in
    "chat_messages")."""
    return [
        {
            "assessment_id": str(assessment.pk),
            "session_id": str(assessment.session_id),
            "status": assessment.status,
            "answers": assessment.answers,
            "recommended_category": assessment.recommended_category.name if assessment.recommended_category else None,
            "recommendations": assessment.recommendations,
            "created_at": assessment.created_at.isoformat(),
            "completed_at": assessment.completed_at.isoformat() if assessment.completed_at else None,
        }
        for assessment in Assessment.objects.filter(user=user)
        .select_related("recommended_category")
        .order_by("created_at")
    ]


def _erase_assessments(user: Any) -> None:
    Assessment.objects.filter(user=user).delete()


def _export_career_profile(user: Any) -> dict[str, Any] | None:
    profile = CareerProfile.objects.filter(user=user).select_related("category").first()
    if profile is None:
        return None
    return {
        "category": profile.category.name,
        "subcategories": sorted(profile.subcategories.values_list("name", flat=True)),
        "assessment_id": str(profile.assessment_id) if profile.assessment_id else None,
        "updated_at": profile.updated_at.isoformat(),
    }


def _erase_career_profile(user: Any) -> None:
    CareerProfile.objects.filter(user=user).delete()


def register() -> None:
    # Reviews are shared records: kept after the account is deleted, shown as "Deleted user".
    personal_data.register(
        PersonalDataHandler("course_reviews", ("learning.CourseReview",), export=_export_course_reviews)
    )
    # Courses belong to the catalog: they stay, their instructor shows as "Deleted user".
    personal_data.register(PersonalDataHandler("courses_taught", ("learning.Course",), export=_export_courses_taught))
    # Certificates stay verifiable by number, anonymised and revoked: see
    # learning.services.certificates.certificates_erase_for_user. Before "files" (900), which
    # would otherwise delete the PDFs behind the certificates' back.
    personal_data.register(
        PersonalDataHandler(
            "certificates",
            ("learning.Certificate",),
            export=_export_certificates,
            erase=lambda user: certificates_erase_for_user(user=user),
            order=500,
        )
    )
    # Enrollments and lesson progress are private learning history: exported, then deleted
    # (after the certificates, 500, whose link to the enrollment becomes empty).
    personal_data.register(
        PersonalDataHandler(
            "enrollments",
            ("learning.Enrollment", "learning.LessonProgress"),
            export=_export_enrollments,
            erase=_erase_enrollments,
            order=600,
        )
    )
    # Payments and their refunds are financial records the law requires to keep: exported,
    # and kept on erasure (no erase) — they then belong to the anonymised account (a refund
    # staff asked for keeps its requester). StripeEvent has no user.
    personal_data.register(
        PersonalDataHandler("payments", ("learning.Payment", "learning.Refund"), export=_export_payments)
    )
    # Receipts are financial records too: their numbers are exported and the rows kept; the
    # PDFs (which name the buyer) go with the user's files ("files", 900).
    personal_data.register(PersonalDataHandler("receipts", ("learning.Receipt",), export=_export_receipts))
    # Chats (career assessment, wellness checks) are private: exported, then deleted.
    personal_data.register(
        PersonalDataHandler(
            "chat_messages", ("learning.ChatMessage",), export=_export_chat_messages, erase=_erase_chat_messages
        )
    )
    # Submissions are private work: exported, then deleted with their files (before "files", 900).
    personal_data.register(
        PersonalDataHandler(
            "submissions", ("learning.Submission",), export=_export_submissions, erase=_erase_submissions, order=550
        )
    )
    # The instructor role ends with the account; the courses stay, shown as "Deleted user".
    personal_data.register(
        PersonalDataHandler(
            "instructor_profile",
            ("learning.InstructorProfile",),
            export=_export_instructor_profile,
            erase=_erase_instructor_profile,
        )
    )
    # Pathways are the learner's own plan: deleted with the account (steps and their change
    # history cascade; changes are exported without the advisor's name). As an advisor, the
    # user's name is dropped from the pathways they advised (SET_NULL on delete; accounts
    # anonymises the identity itself).
    personal_data.register(
        PersonalDataHandler(
            "career_pathways",
            ("learning.CareerPathway", "learning.PathwayStep", "learning.PathwayRevision"),
            export=_export_career_pathways,
            erase=lambda user: pathways_erase_for_user(user=user),
        )
    )
    # The career assessments and the chosen career are private: exported, then deleted.
    personal_data.register(
        PersonalDataHandler(
            "career_profile", ("learning.CareerProfile",), export=_export_career_profile, erase=_erase_career_profile
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "assessments", ("learning.Assessment",), export=_export_assessments, erase=_erase_assessments
        )
    )
