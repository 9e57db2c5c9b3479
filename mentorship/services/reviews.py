"""Reviews (DESIGN.md §2): one per author and target, never of oneself, rating 1–5, only
after a completed session together; general or about one of those sessions. The target's
stored rating follows in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from learning.services.reviews import review_clean
from mentorship.models import MentorProfile, MentorshipSession, Review
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.reviews import review_sessions_completed
from mentorship.services.ratings import mentor_stats_refresh

if TYPE_CHECKING:
    from accounts.models import User

RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX = Review._meta.get_field("comment").max_length or 4000


def _target_url(target: User) -> str:
    if MentorProfile.objects.filter(user=target, status=MentorProfile.Status.VERIFIED).exists():
        return reverse("mentorship:mentor-detail", kwargs={"mentor_id": target.pk})
    return ""


def review_target_allowed(*, author: User, target: User) -> bool:
    """Whether ``author`` may review ``target``: only after a completed session together
    (as mentor or mentee), what a marketplace's reviews rest on. One query."""
    return review_sessions_completed(author=author, target_id=target.pk).exists()


@transaction.atomic
def review_create(
    *, author: User, target: User, rating: int, comment: str = "", session: MentorshipSession | None = None
) -> Review:
    """``author`` reviews ``target``, in general or (``session``) about one completed session
    they had together (type ``SESSION_FEEDBACK``: the comment becomes that session's
    ``review`` text). ``ValidationError`` for a bad rating or comment, for reviewing
    oneself, an inactive account, someone without a completed session together, or a
    session that is not one of those; ``ApplicationError`` when the author already
    reviewed the target (edit that review instead). The target is notified
    (REVIEW_RECEIVED) and their stored rating refreshed in this transaction."""
    rating, comment = review_clean(rating=rating, comment=comment, comment_max=COMMENT_MAX)
    if author.pk == target.pk:
        raise ValidationError({"target": _("You cannot review yourself.")})
    if not target.is_active:
        raise ValidationError({"target": _("This account no longer exists.")})
    if not review_target_allowed(author=author, target=target):
        raise ValidationError(
            {
                "target": _("You can review %(name)s once you have completed a session together.")
                % {"name": target.display_name}
            }
        )
    if (
        session is not None
        and not review_sessions_completed(author=author, target_id=target.pk).filter(pk=session.pk).exists()
    ):
        raise ValidationError({"session": _("Choose one of the sessions you completed together.")})
    review_type = Review.Type.GENERAL if session is None else Review.Type.SESSION_FEEDBACK
    try:
        with transaction.atomic():
            review = Review.objects.create(
                author=author, target=target, rating=rating, comment=comment, type=review_type, session=session
            )
    except IntegrityError as error:
        raise ApplicationError(_("You have already reviewed this person; edit your review instead.")) from error
    _session_review_keep(review)
    notification_send(
        user=target,
        type=MentorshipNotification.REVIEW_RECEIVED,
        title=_("%(author)s reviewed you: %(rating)d/5") % {"author": author.display_name, "rating": rating},
        message=comment,
        related=review,
        action_url=_target_url(target),
    )
    mentor_stats_refresh(mentor_id=target.pk)
    return review


def _session_review_keep(review: Review) -> None:
    """A session review's comment is its session's ``review`` text (seed 002)."""
    if review.session_id is not None:
        MentorshipSession.objects.filter(pk=review.session_id).update(review=review.comment, updated_at=timezone.now())


@transaction.atomic
def review_update(*, review: Review, author: User, rating: int, comment: str = "") -> Review:
    """The author edits their review; anyone else gets ``Review.DoesNotExist`` (a 404).
    ``ValidationError`` for a bad rating or comment. Refreshes the target's rating."""
    if review.author_id != author.pk:
        raise Review.DoesNotExist
    rating, comment = review_clean(rating=rating, comment=comment, comment_max=COMMENT_MAX)
    if (review.rating, review.comment) != (rating, comment):
        review.rating, review.comment = rating, comment
        review.save(update_fields=["rating", "comment", "updated_at"])
        _session_review_keep(review)
        mentor_stats_refresh(mentor_id=review.target_id)
    return review


@transaction.atomic
def review_delete(*, review: Review, user: User) -> None:
    """The author, or staff moderating, deletes a review; anyone else gets
    ``Review.DoesNotExist`` (a 404). Refreshes the target's rating."""
    if review.author_id != user.pk and not (user.is_active and user.is_staff):
        raise Review.DoesNotExist
    target_id = review.target_id
    review.delete()
    mentor_stats_refresh(mentor_id=target_id)
