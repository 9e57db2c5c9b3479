"""Who may do what in therapy (rules predicates): the one place for access, used by pages,
API, admin and selectors of every therapy area (DESIGN.md §3).

- A relationship is seen by its two parties only (anyone else: 404).
- Messages: both parties read the history of a relationship that is or was active; only an
  ACTIVE relationship takes new messages.
- A therapist reads a client's shared journal entries and acts on sessions only inside an
  ACTIVE relationship.
- Content of therapy records is shown in admin to superusers only (and logged there).
"""

from typing import Any

import rules


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def relationship_active_between(*, client: Any, therapist: Any) -> bool:
    """Whether ``client`` and ``therapist`` (users or their ids) are in an ACTIVE
    relationship. One query."""
    from therapy.models import TherapyRelationship

    client_id = getattr(client, "pk", client)
    therapist_id = getattr(therapist, "pk", therapist)
    if client_id is None or therapist_id is None:
        return False
    return TherapyRelationship.objects.filter(
        client_id=client_id, therapist_id=therapist_id, status=TherapyRelationship.Status.ACTIVE
    ).exists()


@rules.predicate
def is_verified_therapist(user: Any) -> bool:
    """A signed-in user whose therapist profile staff verified. One query."""
    from therapy.models import TherapistProfile

    if not _signed_in(user):
        return False
    return TherapistProfile.objects.filter(user_id=user.pk, status=TherapistProfile.Status.VERIFIED).exists()


@rules.predicate
def is_relationship_party(user: Any, relationship: Any) -> bool:
    """The relationship's client or therapist (whatever its status). No query."""
    return bool(
        relationship is not None and _signed_in(user) and user.pk in (relationship.client_id, relationship.therapist_id)
    )


@rules.predicate
def is_relationship_therapist(user: Any, relationship: Any) -> bool:
    return bool(relationship is not None and _signed_in(user) and user.pk == relationship.therapist_id)


@rules.predicate
def is_relationship_client(user: Any, relationship: Any) -> bool:
    return bool(relationship is not None and _signed_in(user) and user.pk == relationship.client_id)


@rules.predicate
def is_relationship_active(user: Any, relationship: Any) -> bool:
    from therapy.models import TherapyRelationship

    return bool(relationship is not None and relationship.status == TherapyRelationship.Status.ACTIVE)


@rules.predicate
def was_relationship_accepted(user: Any, relationship: Any) -> bool:
    """Active now or once (ended or blocked after being accepted): its history exists."""
    return bool(relationship is not None and relationship.accepted_at is not None)


# Either party reads the conversation of a relationship that is or was active.
can_read_messages = is_relationship_party & was_relationship_accepted
# Only an ACTIVE relationship takes new messages, from either party.
can_send_message = is_relationship_party & is_relationship_active
# The therapist accepts a pending request and blocks a client; either party ends.
can_accept_relationship = is_relationship_therapist
can_block_relationship = is_relationship_therapist
can_end_relationship = is_relationship_party
# A therapist reads shared journal entries and works on sessions only while active.
can_act_as_therapist_of = is_relationship_therapist & is_relationship_active


@rules.predicate
def can_read_therapy_content_in_admin(user: Any) -> bool:
    """Superusers only: managers and other staff never read journal text, notes or messages."""
    return bool(_signed_in(user) and user.is_superuser)


@rules.predicate
def is_client_of(user: Any, client: Any) -> bool:
    """Whether ``user`` is an active therapist of ``client`` (user or id). One query."""
    return _signed_in(user) and relationship_active_between(client=client, therapist=user)
