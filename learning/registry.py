"""Registries through which higher apps plug into learning (learning never imports them).

- :data:`advisor_checks` — who may rewrite a learner's career pathway besides staff. Each
  :class:`AdvisorCheck` answers ``allows(advisor, learner)``; the mentorship app registers
  "a mentor who works with the learner" from its ``AppConfig.ready()``. Staff is built in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Registry


@dataclass(frozen=True)
class AdvisorCheck:
    """One way of being the advisor of a learner: ``allows(advisor, learner)`` is true when
    ``advisor`` may rewrite ``learner``'s pathways. It should cost at most one query."""

    key: str
    allows: Callable[[Any, Any], bool]
    order: int = 100


def _is_staff(advisor: Any, learner: Any) -> bool:
    return bool(advisor.is_active and advisor.is_staff)


advisor_checks: Registry[AdvisorCheck] = Registry()
advisor_checks.register(AdvisorCheck(key="staff", allows=_is_staff, order=0))


def advisor_allowed(*, advisor: Any, learner: Any) -> bool:
    """True when one registered check lets ``advisor`` rewrite ``learner``'s pathways. An
    anonymous or inactive ``advisor`` never may."""
    if not getattr(advisor, "is_authenticated", False) or not advisor.is_active:
        return False
    return any(check.allows(advisor, learner) for check in advisor_checks.all())
