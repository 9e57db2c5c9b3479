"""Registries through which higher apps plug into learning (learning never imports them).

- :data:`advisor_checks` — who may rewrite a learner's career pathway besides staff. Each
  :class:`AdvisorCheck` answers ``allows(advisor, learner)``; the mentorship app registers
  "a mentor who works with the learner" from its ``AppConfig.ready()``. Staff is built in.
- :data:`purchase_kinds` — what else is sold through learning's payments besides courses.
  Each :class:`PurchaseKind` says how a paid item is handed over (``fulfil``), how an unpaid
  hold is let go (``release``) and where the buyer finds the item; mentorship registers
  ``session`` and ``event_seat``. Courses are learning's own and not registered here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django_stubs_ext import StrOrPromise

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


@dataclass(frozen=True)
class PaymentFacts:
    """What a purchase kind learns of a payment (the model stays learning's own)."""

    id: UUID
    user_id: UUID
    kind: str
    item_id: UUID
    amount_cents: int
    currency: str


@dataclass(frozen=True)
class PurchaseKind:
    """One kind of thing sold through learning's payments.

    - ``fulfil(facts)`` runs inside the webhook's transaction when the payment succeeds and
      hands the item over (a held session goes to the mentor for confirmation, a held seat
      becomes registered). It returns ``False`` when the item can no longer be had (the hold
      ran out and someone else took the slot or seat): the payment is then refunded in full
      automatically.
    - ``release(facts)`` runs when an unpaid payment ends (its hold expired, the checkout
      expired or failed) and lets the held slot or seat go; it must be idempotent.
    - ``item_url(facts)`` is the buyer's page of the item (payments list, receipts).
    """

    key: str
    label: StrOrPromise
    fulfil: Callable[[PaymentFacts], bool]
    release: Callable[[PaymentFacts], None]
    item_url: Callable[[PaymentFacts], str]
    order: int = 100


purchase_kinds: Registry[PurchaseKind] = Registry()
