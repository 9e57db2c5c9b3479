"""The career assessment chat (issues 6, 19): the staff-editable question bank is asked one
question at a time, every turn is stored as an assessment ``ChatMessage``. The learner's
answer is stored at once (:func:`assessment_answer`, through ``learning.services.chat``)
and the assistant's turn is written by ``chat_reply_task`` (:func:`assessment_reply`, the
assessment's chat responder): the next question, a follow-up, and at the end the result —
a category and three ranked subcategories with a reason each — from the language model
(``learning.assessment_llm``, with the learner's consent) or the keyword engine
(``settings.ASSESSMENT_ENGINE``), which also answers whenever the language model cannot.
Choosing subcategories saves the learner's career profile, ends onboarding and creates a
pathway for each."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.selectors.assistant import assistant_consent_given
from core.errors import ApplicationError
from core.llm import llm_configured, llm_provider_name
from learning.assessment_engine import Recommendation, assessment_engine
from learning.assessment_llm import FOLLOW_UPS_MAX, LanguageModelEngine, LanguageModelTurnError, Usage
from learning.chat import ENGINE_KEYWORD, ENGINE_LANGUAGE_MODEL, ChatReply, ChatReplyStale
from learning.models import Assessment, AssessmentQuestion, CareerProfile, Category, ChatMessage
from learning.selectors.assessments import (
    assessment_catalog,
    assessment_messages,
    assessment_question_list_active,
    career_keyword_entries,
    career_subcategory_entries,
)
from learning.services.chat import chat_lock_or_refuse, chat_message_post
from learning.services.pathways import pathway_create

if TYPE_CHECKING:
    from accounts.models import User

ANSWER_MAX_LENGTH = 2000
CHOICES_MAX = 3


def _say(*, assessment: Assessment, message: str, metadata: dict[str, Any]) -> ChatMessage:
    """An assistant turn written directly (the greeting and the first question)."""
    return ChatMessage.objects.create(
        user_id=assessment.user_id,
        session_id=assessment.session_id,
        session_type=ChatMessage.SessionType.ASSESSMENT,
        role=ChatMessage.Role.ASSISTANT,
        message=message,
        engine=ENGINE_KEYWORD,
        metadata=metadata,
    )


def _question_text(question: AssessmentQuestion) -> str:
    return question.text if not question.help_text else f"{question.text}\n\n{question.help_text}"


def _question_metadata(question: AssessmentQuestion, number: int, total: int) -> dict[str, Any]:
    return {"question_number": number, "question_total": total, "question_id": str(question.pk)}


def _next_question(assessment: Assessment) -> AssessmentQuestion | None:
    """The first active question not answered yet (questions staff deactivate are skipped)."""
    answered = {answer["question_id"] for answer in assessment.answers}
    return next((q for q in assessment_question_list_active() if str(q.pk) not in answered), None)


def _question_total(assessment: Assessment) -> int:
    """How many bank questions this assessment asks: those answered and those still to come."""
    answered = {answer["question_id"] for answer in assessment.answers if answer.get("question_id")}
    return len(answered) + sum(1 for q in assessment_question_list_active() if str(q.pk) not in answered)


def assessment_engine_for(*, user: User, keyword_only: bool = False) -> str:
    """Which engine a new assessment of ``user`` uses: the language model when one is
    configured and ``user`` agreed to it (``accounts.selectors.assistant``), else — also
    when they chose ``keyword_only`` — the keyword engine."""
    if not keyword_only and llm_configured() and assistant_consent_given(user):
        return ENGINE_LANGUAGE_MODEL
    return ENGINE_KEYWORD


@transaction.atomic
def assessment_start(*, user: User, keyword_only: bool = False) -> Assessment:
    """Start a new assessment for ``user`` with the engine :func:`assessment_engine_for`
    picks, greet them (saying which kind of engine will read their answers) and ask the
    first question.

    Earlier assessments stay in the history (retaking starts a new one). ``migrate``
    installs the shipped question bank (learning/0013). ``ApplicationError`` when the bank
    has no active question (staff turned them all off)."""
    questions = assessment_question_list_active()
    if not questions:
        raise ApplicationError(_("The career assessment is not available yet. Please come back later."))
    engine = assessment_engine_for(user=user, keyword_only=keyword_only)
    assessment = Assessment.objects.create(user=user, engine=engine)
    greeting = _(
        "Hi! Let's find the path that fits you. I'll ask %(count)d short questions — answer in your own words."
    ) % {"count": len(questions)}
    if engine == ENGINE_LANGUAGE_MODEL:
        how = _(
            "A language model (%(provider)s) will read this conversation — only this one — to suggest the fields "
            "that fit you, and may ask you up to %(max)d questions of its own."
        ) % {"provider": llm_provider_name(), "max": FOLLOW_UPS_MAX}
    else:
        how = _("At the end your answers are matched with the keywords of each field.")
    _say(assessment=assessment, message=f"{greeting} {how}", metadata={"question_number": 0})
    _say(
        assessment=assessment,
        message=_question_text(questions[0]),
        metadata=_question_metadata(questions[0], 1, len(questions)),
    )
    return assessment


@transaction.atomic
def assessment_answer(*, assessment: Assessment, text: str) -> ChatMessage:
    """Send the learner's answer to the question the chat is on; returns their stored turn.
    The assistant's reply — a "tell us a bit more", the next question, a follow-up of the
    language model, or the result — is written by ``chat_reply_task``
    (:func:`assessment_reply`) after commit.

    ``ValidationError`` (on ``text``) for an empty or overlong answer; ``ApplicationError``
    when the assessment is finished or the previous answer still waits for its reply.
    Nothing is stored when refused."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Write your answer before sending it.")})
    if len(text.strip()) > ANSWER_MAX_LENGTH:
        raise ValidationError({"text": _("Keep your answer under %(max)d characters.") % {"max": ANSWER_MAX_LENGTH}})
    (assessment,) = chat_lock_or_refuse(Assessment.objects.filter(pk=assessment.pk))
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise ApplicationError(_("This assessment is finished. Start a new one to take it again."))
    last = assessment_last_turn(assessment=assessment, role=ChatMessage.Role.ASSISTANT)
    answering = {
        key: last.metadata[key]
        for key in ("question_id", "question_number", "question_total", "llm_follow_up")
        if last is not None and key in last.metadata
    }
    return chat_message_post(
        user=assessment.user,
        session_type=ChatMessage.SessionType.ASSESSMENT,
        session_id=assessment.session_id,
        text=text,
        metadata=answering,
    )


def _keyword_turn(text: str, metadata: dict[str, Any]) -> ChatReply:
    return ChatReply(text=text, engine=ENGINE_KEYWORD, metadata=metadata)


# What answering a learner's turn may change on the assessment (``recommended_category``'s
# column is compared by its id).
REPLY_FIELDS = ("answers", "status", "completed_at", "engine", "recommended_category_id", "recommendations")


def _reply_state(assessment: Assessment) -> dict[str, Any]:
    return {name: copy.deepcopy(getattr(assessment, name)) for name in REPLY_FIELDS}


def assessment_reply(message: ChatMessage) -> ChatReply:
    """The assessment's chat responder (``learning.chat.chat_responders["assessment"]``):
    the assistant's answer to the learner's turn ``message``. Runs outside any transaction
    (``learning.chat``) and never raises for a provider's failure: it reads the assessment,
    works out the turn (asking the language model when it concludes) and returns what to
    write on the assessment as the reply's ``on_store``, which writes it only if the
    assessment is still as it was read (else ``ChatReplyStale``).

    While bank questions remain: the keyword engine's "tell us a bit more" when an answer
    gives it no signal (never twice in a row; keyword assessments only), else the answer is
    recorded (with the one it followed up, if any) and the next question is asked. Then the
    engine concludes: the language model (when the assessment uses it and the learner's
    consent still stands) asks a follow-up question of its own or gives the result; a
    provider that is down, not configured, withdrawn consent or a result outside the
    catalog twice falls back to the keyword engine, and the result says which kind
    answered."""
    assessment = (
        Assessment.objects.select_related("user").filter(user_id=message.user_id, session_id=message.session_id).first()
    )
    if assessment is None or assessment.status != Assessment.Status.IN_PROGRESS:
        return _keyword_turn(_("This assessment is finished. Start a new one to take it again."), {})
    read = _reply_state(assessment)
    reply = _assessment_turn(message, assessment)
    changed = [name for name in REPLY_FIELDS if getattr(assessment, name) != read[name]]
    if not changed:
        return reply

    def on_store() -> None:
        locked = Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if locked is None or _reply_state(locked) != read:
            raise ChatReplyStale(f"The assessment {assessment.pk} changed while its reply was written.")
        assessment.save(update_fields=[*(name.removesuffix("_id") for name in changed), "updated_at"])

    return dataclasses.replace(reply, on_store=on_store)


def _assessment_turn(message: ChatMessage, assessment: Assessment) -> ChatReply:
    """The turn :func:`assessment_reply` answers, its changes made on ``assessment`` in memory."""
    turns = list(assessment_messages(assessment=assessment))
    question_id = message.metadata.get("question_id")
    if question_id and question_id not in {answer.get("question_id") for answer in assessment.answers}:
        number = int(message.metadata.get("question_number") or len(assessment.answers) + 1)
        total = int(message.metadata.get("question_total") or _question_total(assessment))
        mine = [
            turn
            for turn in turns
            if turn.role == ChatMessage.Role.USER and turn.metadata.get("question_id") == question_id
        ]
        previous = next((turn for turn in reversed(turns) if turn.role == ChatMessage.Role.ASSISTANT), None)
        followed_up = bool(previous and previous.metadata.get("follow_up"))
        if assessment.engine != ENGINE_LANGUAGE_MODEL and not followed_up:
            follow_up = assessment_engine().follow_up(message.message, career_keyword_entries())
            if follow_up:
                return _keyword_turn(
                    follow_up,
                    {"question_id": question_id, "question_number": number, "question_total": total, "follow_up": True},
                )
        asked = next(
            (
                turn
                for turn in turns
                if turn.metadata.get("question_id") == question_id and turn.role == ChatMessage.Role.ASSISTANT
            ),
            None,
        )
        assessment.answers = [
            *assessment.answers,
            {
                "question_id": question_id,
                "question": asked.message.split("\n\n")[0] if asked is not None else "",
                # One line per turn: a follow-up's answer is its own sentence, so a negation in
                # the first ("I hate music") does not run on into the next ("I like drawing").
                "answer": "\n".join(turn.message for turn in mine),
            },
        ]
        following = _next_question(assessment)
        if following is not None:
            return _keyword_turn(_question_text(following), _question_metadata(following, number + 1, total))
    elif message.metadata.get("llm_follow_up"):
        asked = next(
            (
                turn
                for turn in reversed(turns)
                if turn.role == ChatMessage.Role.ASSISTANT
                and turn.metadata.get("llm_follow_up") == message.metadata["llm_follow_up"]
            ),
            None,
        )
        assessment.answers = [
            *assessment.answers,
            {"question_id": None, "question": asked.message if asked is not None else "", "answer": message.message},
        ]
    following = _next_question(assessment)
    if following is not None:  # a question staff added or turned on meanwhile: the bank comes first
        number = len([answer for answer in assessment.answers if answer.get("question_id")]) + 1
        return _keyword_turn(
            _question_text(following), _question_metadata(following, number, _question_total(assessment))
        )
    return _conclude(assessment=assessment, turns=turns)


def _conclude(*, assessment: Assessment, turns: list[ChatMessage]) -> ChatReply:
    """Every bank question is answered: the language model's next turn, else the keyword result."""
    fallback_reason = ""
    usage = Usage()
    prompt_version = ""
    if assessment.engine == ENGINE_LANGUAGE_MODEL:
        if not llm_configured():
            fallback_reason = "not-configured"
        elif not assistant_consent_given(assessment.user):
            fallback_reason = "no-consent"
        else:
            asked = sum(
                1 for turn in turns if turn.role == ChatMessage.Role.ASSISTANT and turn.metadata.get("llm_follow_up")
            )
            conversation = [
                {"role": turn.role, "content": turn.message}
                for turn in turns
                if turn.role in (ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT)
            ]
            try:
                turn = LanguageModelEngine().converse(
                    conversation=conversation, catalog=assessment_catalog(), follow_ups_left=FOLLOW_UPS_MAX - asked
                )
            except LanguageModelTurnError as exc:
                fallback_reason = exc.reason
                usage, prompt_version = exc.usage, exc.prompt_version
            else:
                if turn.question is not None:
                    return ChatReply(
                        text=turn.question,
                        engine=ENGINE_LANGUAGE_MODEL,
                        model=turn.usage.model,
                        prompt_version=turn.prompt_version,
                        prompt_tokens=turn.usage.prompt_tokens,
                        completion_tokens=turn.usage.completion_tokens,
                        metadata={"llm_follow_up": asked + 1, "follow_up_max": FOLLOW_UPS_MAX},
                    )
                return _complete(
                    assessment=assessment,
                    recommendation=turn.recommendation,
                    engine=ENGINE_LANGUAGE_MODEL,
                    usage=turn.usage,
                    prompt_version=turn.prompt_version,
                )
    recommendation = assessment_engine().recommend(
        [answer["answer"] for answer in assessment.answers], career_keyword_entries(), career_subcategory_entries()
    )
    return _complete(
        assessment=assessment,
        recommendation=recommendation,
        engine=ENGINE_KEYWORD,
        usage=usage,
        prompt_version=prompt_version,
        fallback_reason=fallback_reason,
    )


FALLBACK_REASONS = {
    "not-configured": _lazy("no language model is set up"),
    "no-consent": _lazy("you have not agreed to the language model"),
    "unavailable": _lazy("the language model could not be reached"),
    "invalid": _lazy("the language model's answer did not fit the catalog"),
}


def assessment_engine_note(*, engine: str, fallback_reason: str = "", model: str = "") -> str:
    """One sentence telling the learner which kind of engine produced their result."""
    if engine == ENGINE_LANGUAGE_MODEL:
        return _("This suggestion comes from a language model (%(model)s) that read our conversation.") % {
            "model": model or llm_provider_name()
        }
    if fallback_reason in FALLBACK_REASONS:
        return _(
            "This suggestion comes from matching your answers with the keywords of each field, because %(reason)s."
        ) % {"reason": FALLBACK_REASONS[fallback_reason]}
    return _("This suggestion comes from matching your answers with the keywords of each field.")


def _complete(
    *,
    assessment: Assessment,
    recommendation: Recommendation | None,
    engine: str,
    usage: Usage,
    prompt_version: str,
    fallback_reason: str = "",
) -> ChatReply:
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.engine = engine
    assessment.recommended_category_id = recommendation.category_id if recommendation is not None else None
    assessment.recommendations = (
        [item.as_dict() for item in recommendation.subcategories] if recommendation is not None else []
    )
    note = assessment_engine_note(engine=engine, fallback_reason=fallback_reason, model=usage.model)
    if recommendation is None:
        text = _(
            "Thank you! Your answers did not point clearly to one field yet. You can take the assessment "
            "again with a few more details, or browse the courses."
        )
    else:
        text = _("Thank you, that's everything I need — your result is ready.")
    metadata: dict[str, Any] = {
        "recommendation": True,
        "category_id": str(recommendation.category_id) if recommendation is not None else None,
        "subcategories": assessment.recommendations,
    }
    if fallback_reason:
        metadata["fallback_reason"] = fallback_reason
        if usage.model:
            metadata["model_tried"] = usage.model
    return ChatReply(
        text=f"{text} {note}",
        engine=engine,
        model=usage.model if engine == ENGINE_LANGUAGE_MODEL else "",
        prompt_version=prompt_version,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        metadata=metadata,
    )


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
