"""Template filters of the habit pictures."""

from django import template

from growth.charts import flame_level

register = template.Library()


@register.filter
def flame(streak: int) -> int:
    """The flame size class (0–5) of a streak."""
    return flame_level(int(streak or 0))
