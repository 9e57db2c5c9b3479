"""The career assessment chat (issue 6): the staff-editable question bank is asked one
question at a time, every turn is stored as an assessment ``ChatMessage``, and the engine
(``settings.ASSESSMENT_ENGINE``) ends it with a recommended category and its top three
subcategories. Choosing subcategories saves the learner's career profile, ends onboarding
and creates a pathway for each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.assessment_bank import ASSESSMENT_QUESTIONS, CAREER_KEYWORDS, CATEGORY_TREE
from learning.assessment_engine import Recommendation, assessment_engine
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, CareerProfile, Category, ChatMessage
from learning.selectors.assessments import assessment_question_list_active, career_keyword_entries
from learning.services.pathways import pathway_create

if TYPE_CHECKING:
    from accounts.models import User

ANSWER_MAX_LENGTH = 2000
CHOICES_MAX = 3
# Shipped questions get ids derived from their text, so two concurrent installs insert the
# same rows and the second one's inserts are ignored.
_BANK_NAMESPACE = uuid.UUID("5d0c2b8e-4f31-4c55-9d0e-7f3a0e1c8a18")


@transaction.atomic
def category_taxonomy_install() -> dict[str, Category]:
    """Create the shipped categories and subcategories that are missing (matched by slug)
    and give a shipped category without an icon or a colour the shipped one; what staff
    changed is kept. Returns the top-level categories by name. Idempotent."""
    parents: dict[str, Category] = {}
    for order, (name, icon, colour, children) in enumerate(CATEGORY_TREE):
        parent, _created = Category.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "icon": icon, "colour": colour}
        )
        if not parent.icon or not parent.colour:
            parent.icon, parent.colour = parent.icon or icon, parent.colour or colour
            parent.save(update_fields=["icon", "colour", "updated_at"])
        parents[name] = parent
        for child_order, child in enumerate(children):
            Category.objects.get_or_create(
                slug=slugify(f"{name}-{child}"), defaults={"name": child, "parent": parent, "order": child_order}
            )
    return parents


@transaction.atomic
def career_keywords_install() -> int:
    """Add the shipped keywords each shipped subcategory lacks (staff's weights and their
    own keywords are kept); returns how many were added. Needs the taxonomy
    (:func:`category_taxonomy_install`)."""
    slugs = {slugify(f"{category}-{sub}"): (category, sub) for category, sub in CAREER_KEYWORDS}
    subcategories = {
        slugs[category.slug]: category for category in Category.objects.filter(slug__in=slugs, parent__isnull=False)
    }
    before = CareerKeyword.objects.count()
    CareerKeyword.objects.bulk_create(
        [
            CareerKeyword(subcategory=subcategories[key], keyword=keyword, weight=weight)
            for key, keywords in CAREER_KEYWORDS.items()
            if key in subcategories
            for keyword, weight in keywords
        ],
        ignore_conflicts=True,
    )
    return CareerKeyword.objects.count() - before


@transaction.atomic
def assessment_bank_install() -> bool:
    """Install the shipped question bank (``learning.assessment_bank``) when the bank has no
    question at all — active or not — so the assessment works on a fresh database without
    demo data: the taxonomy, the questions in order and the keywords. A bank staff have
    started is left alone. Returns whether the questions were installed. Safe when two
    requests install at once (the same ids, conflicts ignored)."""
    if AssessmentQuestion.objects.exists():
        return False
    category_taxonomy_install()
    AssessmentQuestion.objects.bulk_create(
        [
            AssessmentQuestion(id=uuid.uuid5(_BANK_NAMESPACE, text), text=text, help_text=help_text, order=order)
            for order, (text, help_text) in enumerate(ASSESSMENT_QUESTIONS, start=1)
        ],
        ignore_conflicts=True,
    )
    career_keywords_install()
    return True


def _say(*, assessment: Assessment, role: str, message: str, metadata: dict[str, Any]) -> ChatMessage:
    return ChatMessage.objects.create(
        user_id=assessment.user_id,
        session_id=assessment.session_id,
        session_type=ChatMessage.SessionType.ASSESSMENT,
        role=role,
        message=message,
        metadata=metadata,
    )


def _question_metadata(question: AssessmentQuestion, number: int) -> dict[str, Any]:
    return {"question_number": number, "question_id": str(question.pk)}


def _ask(*, assessment: Assessment, question: AssessmentQuestion, number: int) -> ChatMessage:
    text = question.text if not question.help_text else f"{question.text}\n\n{question.help_text}"
    return _say(
        assessment=assessment,
        role=ChatMessage.Role.ASSISTANT,
        message=text,
        metadata=_question_metadata(question, number),
    )


def _next_question(assessment: Assessment) -> AssessmentQuestion | None:
    """The first active question not answered yet (questions staff deactivate are skipped)."""
    answered = {answer["question_id"] for answer in assessment.answers}
    return next((q for q in assessment_question_list_active() if str(q.pk) not in answered), None)


@transaction.atomic
def assessment_start(*, user: User) -> Assessment:
    """Start a new assessment for ``user`` and ask the first question (an assistant turn).

    Earlier assessments stay in the history (retaking starts a new one). An empty bank (a
    fresh database) first gets the shipped one (:func:`assessment_bank_install`).
    ``ApplicationError`` when the question bank has no active question (staff turned them
    all off)."""
    questions = assessment_question_list_active()
    if not questions and assessment_bank_install():
        questions = assessment_question_list_active()
    if not questions:
        raise ApplicationError(_("The career assessment is not available yet. Please come back later."))
    assessment = Assessment.objects.create(user=user, engine=assessment_engine().name)
    _say(
        assessment=assessment,
        role=ChatMessage.Role.ASSISTANT,
        message=_(
            "Hi! Let's find the path that fits you. I'll ask %(count)d short questions — answer in your own words."
        )
        % {"count": len(questions)},
        metadata={"question_number": 0},
    )
    _ask(assessment=assessment, question=questions[0], number=1)
    return assessment


def _recommendation_message(recommendation: Recommendation | None) -> str:
    if recommendation is None:
        return _(
            "Thank you! Your answers did not point clearly to one field yet. You can take the assessment "
            "again with a few more details, or browse the courses."
        )
    lines = [
        _("Thank you! Your answers point to %(category)s. The best fits for you:")
        % {"category": recommendation.category_name}
    ]
    for rank, item in enumerate(recommendation.subcategories, start=1):
        lines.append(f"{rank}. {item.name} — {'; '.join(item.reasons)}")
    lines.append(_("Choose up to three to build your pathway."))
    return "\n".join(lines)


def _complete(*, assessment: Assessment) -> None:
    engine = assessment_engine()
    recommendation = engine.recommend([answer["answer"] for answer in assessment.answers], career_keyword_entries())
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_at = timezone.now()
    if recommendation is not None:
        assessment.recommended_category_id = recommendation.category_id
        assessment.recommendations = [item.as_dict() for item in recommendation.subcategories]
    assessment.save(
        update_fields=["status", "completed_at", "recommended_category", "recommendations", "answers", "updated_at"]
    )
    _say(
        assessment=assessment,
        role=ChatMessage.Role.ASSISTANT,
        message=_recommendation_message(recommendation),
        metadata={
            "recommendation": True,
            "category_id": str(recommendation.category_id) if recommendation else None,
            "subcategories": assessment.recommendations,
        },
    )


@transaction.atomic
def assessment_answer(*, assessment: Assessment, text: str) -> list[ChatMessage]:
    """Answer the current question of ``assessment``; returns the new turns.

    Stores the learner's turn (metadata: the question answered), then the assistant's: a
    "tell us a bit more" follow-up when the answer gives no signal (once per question — an
    empty answer always gets it and is not stored), the next question, or — after the last
    active question — the recommendation (the assessment is completed). ``ApplicationError``
    when the assessment is completed; ``ValidationError`` for an overlong answer."""
    text = text.strip()
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError({"text": _("Keep your answer under %(max)d characters.") % {"max": ANSWER_MAX_LENGTH}})
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise ApplicationError(_("This assessment is finished. Start a new one to take it again."))
    question = _next_question(assessment)
    if question is None:
        _complete(assessment=assessment)
        last = assessment_last_turn(assessment=assessment)
        return [last] if last is not None else []
    number = len(assessment.answers) + 1
    engine = assessment_engine()
    metadata = _question_metadata(question, number)
    if not text:
        follow_up = engine.follow_up(text, [])
        return [
            _say(
                assessment=assessment,
                role=ChatMessage.Role.ASSISTANT,
                message=follow_up or "",
                metadata={**metadata, "follow_up": True},
            )
        ]
    turns = [_say(assessment=assessment, role=ChatMessage.Role.USER, message=text, metadata=metadata)]
    last = assessment_last_turn(assessment=assessment, role=ChatMessage.Role.ASSISTANT)
    already_followed_up = bool(
        last and last.metadata.get("follow_up") and last.metadata.get("question_id") == str(question.pk)
    )
    follow_up = None if already_followed_up else engine.follow_up(text, career_keyword_entries())
    if follow_up:
        turns.append(
            _say(
                assessment=assessment,
                role=ChatMessage.Role.ASSISTANT,
                message=follow_up,
                metadata={**metadata, "follow_up": True},
            )
        )
        return turns
    assessment.answers = [
        *assessment.answers,
        {"question_id": str(question.pk), "question": question.text, "answer": text},
    ]
    following = _next_question(assessment)
    if following is None:
        _complete(assessment=assessment)
    else:
        assessment.save(update_fields=["answers", "updated_at"])
        _ask(assessment=assessment, question=following, number=number + 1)
    last = assessment_last_turn(assessment=assessment, role=ChatMessage.Role.ASSISTANT)
    if last is not None:
        turns.append(last)
    return turns


def assessment_last_turn(*, assessment: Assessment, role: str | None = None) -> ChatMessage | None:
    """The latest turn of ``assessment`` (of ``role`` when given)."""
    turns = ChatMessage.objects.filter(user_id=assessment.user_id, session_id=assessment.session_id)
    if role is not None:
        turns = turns.filter(role=role)
    return turns.order_by("-created_at", "-id").first()


@transaction.atomic
def assessment_choose(*, assessment: Assessment, subcategory_ids: Sequence[UUID | str]) -> CareerProfile:
    """Save the learner's choice of one to three subcategories of one category.

    Precondition: ``assessment`` is completed (else ``ApplicationError``). ``ValidationError``
    for no choice, more than three, unknown ids, categories instead of subcategories, or
    subcategories of different categories. Side effects: the assessment keeps the choice
    (``selected_subcategories``: a retake never erases an earlier one), the learner's
    ``CareerProfile`` is created or replaced (category, subcategories, assessment), onboarding ends
    (``is_new_user`` false) and a pathway is created for each chosen subcategory."""
    if assessment.status != Assessment.Status.COMPLETED:
        raise ApplicationError(_("Answer all the questions before choosing your path."))
    wanted = {str(pk) for pk in subcategory_ids}
    if not wanted:
        raise ValidationError({"subcategory_ids": _("Choose at least one field.")})
    if len(wanted) > CHOICES_MAX:
        raise ValidationError({"subcategory_ids": _("Choose at most %(max)d fields.") % {"max": CHOICES_MAX}})
    try:
        subcategories = list(
            Category.objects.filter(pk__in=wanted, parent__isnull=False).select_related("parent").order_by("name")
        )
    except ValidationError as exc:
        raise ValidationError({"subcategory_ids": _("Choose from the fields offered.")}) from exc
    if len(subcategories) != len(wanted):
        raise ValidationError({"subcategory_ids": _("Choose from the fields offered.")})
    parents = {sub.parent_id for sub in subcategories}
    if len(parents) != 1:
        raise ValidationError({"subcategory_ids": _("Choose fields of one category.")})
    user = assessment.user
    profile = CareerProfile.objects.filter(user=user).first() or CareerProfile(user=user)
    category = subcategories[0].parent
    if category is None:  # never: only subcategories were read
        raise ValidationError({"subcategory_ids": _("Choose from the fields offered.")})
    profile.category = category
    profile.assessment = assessment
    profile.save()
    profile.subcategories.set(subcategories)
    assessment.selected_subcategories.set(subcategories)
    if user.is_new_user:
        user.is_new_user = False
        user.save(update_fields=["is_new_user", "updated_at"])
    for subcategory in subcategories:
        pathway_create(user=user, subcategory=subcategory)
    return profile
