"""Success stories: staff author them in the admin and publish or unpublish them here."""

from django.utils import timezone

from learning.models import SuccessStory


def story_publish(*, story: SuccessStory) -> bool:
    """Publish ``story`` (it appears on the public page and API) with ``published_at`` now.
    Returns whether it changed; an already published story keeps its date."""
    if story.published:
        return False
    story.published = True
    story.published_at = timezone.now()
    story.save(update_fields=["published", "published_at", "updated_at"])
    return True


def story_unpublish(*, story: SuccessStory) -> bool:
    """Take ``story`` off the public page and API (a 404 there). Returns whether it changed."""
    if not story.published:
        return False
    story.published = False
    story.published_at = None
    story.save(update_fields=["published", "published_at", "updated_at"])
    return True
