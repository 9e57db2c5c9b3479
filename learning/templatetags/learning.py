"""Template helpers of learning: ``{% load learning %}``.

- ``{{ lesson.content|lesson_markdown }}`` — the content as sanitised HTML;
- ``{% lesson_video lesson.video_url title=lesson.title %}`` — a YouTube/Vimeo embed or a
  plain link;
- ``{% player_content player_markup %}`` — the lesson player's content with the page's CSRF
  token (learning.views.player.PlayerMarkup);
- ``{{ course|course_price }}`` — "Free" or the formatted price;
- ``{{ seconds|time_spent }}`` — time spent in words ("12 min", "2 h 05 min").
"""

from functools import lru_cache
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from learning.rendering import lesson_video as lesson_video_for_url
from learning.rendering import markdown_to_safe_html, price_display, time_spent_display

register = template.Library()

# Lessons' HTML kept in each process: every learner of a course reads the same lessons.
LESSON_HTML_MEMO_SIZE = 256


@lru_cache(maxsize=LESSON_HTML_MEMO_SIZE)
def _lesson_html(text: str) -> str:
    """A lesson's markdown as sanitised HTML. A pure function of the text, so memoised by it:
    an edited lesson is a new text, never an old rendering."""
    return markdown_to_safe_html(text)


@register.filter
def lesson_markdown(text: str) -> SafeString:
    # Safe to mark: markdown_to_safe_html sanitises with an allowlist (learning.rendering).
    return mark_safe(_lesson_html(text or ""))


@register.inclusion_tag("learning/includes/lesson_video.html")
def lesson_video(url: str, title: str = "") -> dict[str, Any]:
    return {"video": lesson_video_for_url(url), "title": title}


@register.simple_tag(takes_context=True)
def player_content(context: Context, markup: Any) -> SafeString:
    """The lesson player's content: ``markup`` (learning.views.player.PlayerMarkup) with the
    page's CSRF token, the one its every form carries."""
    return markup.render(context.get("csrf_token"))


@register.filter
def course_price(course: Any) -> str:
    return price_display(price_cents=course.price_cents, currency=course.currency)


@register.filter
def time_spent(seconds: int | None) -> str:
    return time_spent_display(seconds)
