"""General reviews (DESIGN.md §2): one per author and target, never of oneself, rating 1–5.
The target's stored rating follows in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from learning.services.reviews import review_clean
from mentorship.models import MentorProfile, MentorshipSession, Review
from mentorship.notifications import MentorshipNotification
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
    """Whom ``author`` may review: a verified mentor, or someone they completed a session
    with (as mentor or mentee). One or two queries."""
    if MentorProfile.objects.filter(user=target, status=MentorProfile.Status.VERIFIED).exists():
        return True
    return MentorshipSession.objects.filter(
        Q(mentor=author, mentee=target) | Q(mentor=target, mentee=author), status=MentorshipSession.Status.COMPLETED
    ).exists()


@transaction.atomic
def review_create(*, author: User, target: User, rating: int, comment: str = "") -> Review:
    """``author`` reviews ``target``. ``ValidationError`` for a bad rating or comment,
    for reviewing oneself, an inactive account or someone :func:`review_target_allowed`
    refuses; ``ApplicationError`` when the author already
    reviewed the target (edit that review instead). The target is notified
    (REVIEW_RECEIVED) and their stored rating refreshed in this transaction."""
    rating, comment = review_clean(rating=rating, comment=comment, comment_max=COMMENT_MAX)
    if author.pk == target.pk:
        raise ValidationError({"target": _("You cannot review yourself.")})
    if not target.is_active:
        raise ValidationError({"target": _("This account no longer exists.")})
    if not review_target_allowed(author=author, target=target):
        raise ValidationError({"target": _("You can review verified mentors and people you had a session with.")})
    try:
        with transaction.atomic():
            review = Review.objects.create(author=author, target=target, rating=rating, comment=comment)
    except IntegrityError as error:
        raise ApplicationError(_("You have already reviewed this person; edit your review instead.")) from error
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
