"""Reads of session feedback, and the one rule of what each side sees of it (DESIGN.md §2
"Session feedback", rules in ``mentorship.services.feedback``).

:func:`feedback_view` is the only place that decides what a viewer may see of one feedback:
the feedback-received page, the API (lists, detail, a session's feedback), the data export
and the session pages all go through it. The mentee who wrote it sees everything of their
own. The mentor sees named feedback with its session, mentee and the date it was written;
anonymous feedback only once released, then with its rating and words and the week of its
release — no session, no mentee, no day or time. Lists of received feedback are ordered by
that week and then by id (random), never by when a feedback was written within a batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import django_filters
from django.db.models import Case, DateField, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import SessionFeedback

if TYPE_CHECKING:
    from accounts.models import User

# Feedback the mentor may see: named feedback at once, anonymous feedback once released.
VISIBLE_TO_MENTOR = Q(is_anonymous=False) | Q(released_on__isnull=False)
# How many waiting anonymous feedbacks, from as many different mentees, a release needs.
ANONYMOUS_BATCH_MIN = 3

DELIVERED, WAITING, RELEASED = "delivered", "waiting", "released"
DELIVERIES = (DELIVERED, WAITING, RELEASED)


@dataclass(frozen=True)
class FeedbackView:
    """One feedback as its viewer may see it. ``role`` is ``given`` (the viewer wrote it) or
    ``received`` (the viewer is the mentor). ``session_id``, ``mentee`` and ``written_on``
    are ``None`` on the mentor's side of anonymous feedback; ``release_week`` (a Monday) is
    set for released anonymous feedback. ``delivery``: ``delivered`` (named), ``waiting``
    (anonymous, not yet released) or ``released``."""

    id: UUID
    role: str
    rating: int
    growth_area: str
    growth_idea: str
    what_went_well: str
    what_to_improve: str
    additional_comments: str
    is_anonymous: bool
    session_id: UUID | None
    mentee: User | None
    mentor: User
    written_on: date | None
    release_week: date | None
    delivery: str

    @property
    def delivery_note(self) -> str:
        """What the delivery means, in words for the mentee (and the API)."""
        if self.delivery == WAITING:
            return _(
                "Your anonymous feedback waits until your mentor has at least %(n)d anonymous feedbacks from "
                "at least %(n)d different mentees; then it reaches them together with the others, dated only "
                "by the week."
            ) % {"n": ANONYMOUS_BATCH_MIN}
        if self.delivery == RELEASED and self.release_week is not None:
            return _("Released to the mentor, anonymously, with a batch in the week of %(week)s.") % {
                "week": formats.date_format(self.release_week, "DATE_FORMAT")
            }
        return _("The mentor sees this feedback with your name.")


def _visible_to_mentor(feedback: SessionFeedback) -> bool:
    """:data:`VISIBLE_TO_MENTOR` for one loaded feedback."""
    return not feedback.is_anonymous or feedback.released_on is not None


def _delivery(feedback: SessionFeedback) -> str:
    if not feedback.is_anonymous:
        return DELIVERED
    return RELEASED if feedback.released_on is not None else WAITING


def feedback_view(*, feedback: SessionFeedback, user: Any) -> FeedbackView | None:
    """``feedback`` as ``user`` may see it, or ``None`` when they may not see it at all
    (someone else's; anonymous feedback not yet released, for the mentor). Needs the mentee
    and the mentor loaded for a query-free call."""
    own = feedback.mentee_id == user.pk
    if not own and (feedback.mentor_id != user.pk or not _visible_to_mentor(feedback)):
        return None
    hidden = feedback.is_anonymous and not own
    return FeedbackView(
        id=feedback.pk,
        role="given" if own else "received",
        rating=feedback.rating,
        growth_area=feedback.growth_area,
        growth_idea=feedback.growth_idea,
        what_went_well=feedback.what_went_well,
        what_to_improve=feedback.what_to_improve,
        additional_comments=feedback.additional_comments,
        is_anonymous=feedback.is_anonymous,
        session_id=None if hidden else feedback.session_id,
        mentee=None if hidden else feedback.mentee,
        mentor=feedback.mentor,
        written_on=None if hidden else feedback.created_at.date(),
        release_week=feedback.released_on,
        delivery=_delivery(feedback),
    )


def feedback_views(*, feedback: QuerySet[SessionFeedback] | list[SessionFeedback], user: Any) -> list[FeedbackView]:
    """:func:`feedback_view` of each item ``user`` may see, in order."""
    return [view for item in feedback if (view := feedback_view(feedback=item, user=user)) is not None]


def _ordered(feedback: QuerySet[SessionFeedback], *, user: Any) -> QuerySet[SessionFeedback]:
    # Anonymous feedback the user received is placed by its release week alone, then by id
    # (random): the order inside a batch says nothing about when each was written.
    anonymous_received = Q(is_anonymous=True, mentor_id=user.pk) & ~Q(mentee_id=user.pk)
    return feedback.annotate(
        listed_on=Case(
            When(anonymous_received, then=F("released_on")), default=TruncDate("created_at"), output_field=DateField()
        ),
        written_at=Case(
            When(anonymous_received, then=Value(None)), default=F("created_at"), output_field=DateTimeField()
        ),
    ).order_by(F("listed_on").desc(), F("written_at").desc(nulls_last=True), "id")


def feedback_list_received(*, user: Any) -> QuerySet[SessionFeedback]:
    """Feedback ``user`` may see as mentor (named, and released anonymous), latest week
    first; show each through :func:`feedback_view`."""
    if not user.is_authenticated:
        return SessionFeedback.objects.none()
    received = SessionFeedback.objects.filter(VISIBLE_TO_MENTOR, mentor_id=user.pk)
    return _ordered(received.select_related("mentee", "mentor"), user=user)


def feedback_list_for_user(*, user: Any) -> QuerySet[SessionFeedback]:
    """Feedback ``user`` gave (all of it) or may see as mentor, latest first (the API's
    ``feedback`` list); show each through :func:`feedback_view`."""
    if not user.is_authenticated:
        return SessionFeedback.objects.none()
    mine = SessionFeedback.objects.filter(Q(mentee_id=user.pk) | (Q(mentor_id=user.pk) & VISIBLE_TO_MENTOR))
    return _ordered(mine.select_related("mentee", "mentor"), user=user)


def feedback_waiting_mentor_ids(*, mentor_ids: Iterable[Any] | None = None) -> list[Any]:
    """Mentors with anonymous feedback waiting for release (among ``mentor_ids`` when given)."""
    waiting = SessionFeedback.objects.filter(is_anonymous=True, released_on__isnull=True)
    if mentor_ids is not None:
        waiting = waiting.filter(mentor_id__in=list(mentor_ids))
    return list(waiting.values_list("mentor_id", flat=True).distinct().order_by("mentor_id"))


class FeedbackFilter(django_filters.FilterSet):
    """Filters of the feedback list: what I gave or what I received, rating."""

    role = django_filters.ChoiceFilter(
        choices=[("given", gettext_lazy("Given")), ("received", gettext_lazy("Received"))],
        method="filter_role",
        label=gettext_lazy("Given or received"),
    )
    rating = django_filters.NumberFilter()

    class Meta:
        model = SessionFeedback
        fields = ["role", "rating"]

    def filter_role(self, queryset: QuerySet[SessionFeedback], name: str, value: str) -> QuerySet:
        user = self.request.user if self.request is not None else None
        if user is None or not value:
            return queryset
        return queryset.filter(**{"mentee_id" if value == "given" else "mentor_id": user.pk})
