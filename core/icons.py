"""The icon sprite: one SVG file, ``static/img/icons.svg``, with a ``<symbol id>`` per icon.

Every icon that carries meaning (a streak's flame, a badge, a kind of session, a status, a
rating, a finished lesson) is drawn from the sprite — never an emoji, which a device without
an emoji font shows as an empty box. Pages draw an icon with the ``{% icon %}`` template tag
(``core/templatetags/icons.py``); a badge stores the key of its icon (``Badge.icon``).

:data:`ICON_NAMES` lists the sprite's symbols (a test holds the two equal) and
:data:`STATUS_ICONS` gives the icon of each workflow status word used across the apps
(lower case: ``"CONFIRMED"`` and ``"confirmed"`` look the same).
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

SPRITE_PATH = "img/icons.svg"

ICON_NAMES: frozenset[str] = frozenset(
    {
        # Streaks and badges
        "flame",
        "trending-up",
        "pencil",
        "compass",
        "graduation-cap",
        "users",
        "shield-check",
        # Kinds of session
        "video",
        "map-pin",
        # Statuses
        "clock",
        "check-circle",
        "check",
        "circle",
        "x-circle",
        "ban",
        "user-x",
        "hourglass",
        "calendar",
        "message",
        "lock",
        "archive",
        "play-circle",
        "pause-circle",
        "undo",
        # Ratings, charts, direction
        "star",
        "star-outline",
        "dot",
        "arrow-left",
        "arrow-right",
        # Navigation
        "menu",
        "x",
        "chevron-down",
        "bell",
        "user",
        # Categories (learning.Category.icon)
        "music",
        "palette",
        "gamepad",
    }
)

#: The icon of a status, whichever model it belongs to (mentorship and therapy sessions,
#: event places, goals, habits, enrollments, payments, profiles, relationships, exports).
STATUS_ICONS: dict[str, str] = {
    "draft": "pencil",
    "pending": "clock",
    "awaiting_payment": "hourglass",
    "pending_approval": "clock",
    "scheduled": "calendar",
    "waitlisted": "hourglass",
    "registered": "check-circle",
    "confirmed": "check-circle",
    "approved": "check-circle",
    "succeeded": "check-circle",
    "ready": "check-circle",
    "verified": "shield-check",
    "active": "play-circle",
    "in_progress": "play-circle",
    "open": "message",
    "paused": "pause-circle",
    "completed": "check",
    "attended": "check",
    "closed": "lock",
    "archived": "archive",
    "cancelled": "x-circle",
    "rejected": "x-circle",
    "failed": "x-circle",
    "ended": "x-circle",
    "blocked": "ban",
    "no_show": "user-x",
    "mentor_no_show": "user-x",
    "refunded": "undo",
}

#: How large an icon is drawn when the page says nothing: it scales with the text around it
#: (a flame in a larger font is a larger flame) and looks right before any stylesheet loads.
DEFAULT_SIZE = "1.25em"


def icon_svg(name: str, *, label: str = "", size: str = DEFAULT_SIZE, css_class: str = "") -> SafeString:
    """The markup of one icon of the sprite. With a ``label`` it is an image with that
    accessible name (``role="img"``); without one it is decoration that assistive technology
    skips (``aria-hidden``) — the words beside it carry the meaning. An unknown ``name`` is a
    programming error: ``ValueError`` names it.

    Remembered (pages draw the same few icons many times over); a change of settings (the
    static files' address, in tests) forgets them."""
    return _icon_svg(name, str(label), str(size), css_class)


@receiver(setting_changed)
def _forget_icons(**kwargs: object) -> None:
    _icon_svg.cache_clear()


@lru_cache(maxsize=1024)
def _icon_svg(name: str, label: str, size: str, css_class: str) -> SafeString:
    if name not in ICON_NAMES:
        raise ValueError(f"No icon {name!r} in {SPRITE_PATH}; known: {', '.join(sorted(ICON_NAMES))}.")
    classes = f"icon icon-{name} {css_class}".strip()
    href = f"{static(SPRITE_PATH)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" width="{}" height="{}" role="img" aria-label="{}"><use href="{}"></use></svg>',
            classes,
            size,
            size,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" width="{}" height="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        classes,
        size,
        size,
        href,
    )


def validate_icon_name(value: str) -> None:
    """A stored icon key (``Badge.icon``) must name an icon of the sprite."""
    if value not in ICON_NAMES:
        raise ValidationError(
            _("“%(value)s” is not an icon of the sprite."), code="unknown_icon", params={"value": value}
        )


def status_icon_name(status: str | None) -> str:
    """The icon key of a status word (any case), or ``""`` when the status has none."""
    return STATUS_ICONS.get((status or "").lower(), "")
