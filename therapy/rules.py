"""Who may do what in therapy (rules predicates): the one place for access, used by pages,
API, admin and selectors of every therapy area (DESIGN.md §3).

- A relationship is seen by its two parties only (anyone else: 404).
- Messages: both parties read the history of a relationship that is or was active; only an
  ACTIVE relationship takes new messages.
- A therapist reads a client's shared journal entries and acts on sessions only inside an
  ACTIVE relationship.
- Every access a therapist has *as a therapist* — shared journal entries, session notes,
  messages (read or write), session moves — also needs their profile VERIFIED now. A
  therapist whose verification is withdrawn (rejected, or back to pending) keeps their
  relationships, but they are *suspended*: the therapist reads and writes nothing of those
  clients until staff verify them again; the client keeps their own records and reads their
  conversation, but sends nothing new. The querysets of the selectors take the same
  condition from :func:`therapist_verified_q`, so pages, API and export agree.
- Content of therapy records is shown in admin to superusers only (and logged there).
"""

from typing import Any

import rules
from django.db.models import Q


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def therapist_verified_q(path: str = "therapist") -> Q:
    """The lookup "the therapist at ``path`` (a relation to their user) holds a VERIFIED
    profile", for querysets: ``therapist_verified_q()`` on relationships and sessions,
    ``therapist_verified_q("relationship__therapist")`` on messages."""
    from therapy.models import TherapistProfile

    return Q(**{f"{path}__therapist_profile__status": TherapistProfile.Status.VERIFIED})


def relationships_in_force() -> Any:
    """The relationships that give their therapist clinical access: ACTIVE, with the
    therapist verified now (an ACTIVE one whose therapist is not is suspended)."""
    from therapy.models import TherapyRelationship

    return TherapyRelationship.objects.filter(therapist_verified_q(), status=TherapyRelationship.Status.ACTIVE)


def relationship_active_between(*, client: Any, therapist: Any) -> bool:
    """Whether ``client`` and ``therapist`` (users or their ids) are in an ACTIVE
    relationship that is not suspended (see :func:`relationships_in_force`). One query."""
    client_id = getattr(client, "pk", client)
    therapist_id = getattr(therapist, "pk", therapist)
    if client_id is None or therapist_id is None:
        return False
    return relationships_in_force().filter(client_id=client_id, therapist_id=therapist_id).exists()


def relationship_therapist_verified(relationship: Any) -> bool:
    """Whether the therapist of ``relationship`` is verified now: the ``therapist_verified``
    annotation of the relationship selectors when present (no query), else one query."""
    from therapy.models import TherapistProfile

    verified = getattr(relationship, "therapist_verified", None)
    if verified is None:
        verified = TherapistProfile.objects.filter(
            user_id=relationship.therapist_id, status=TherapistProfile.Status.VERIFIED
        ).exists()
        relationship.therapist_verified = verified
    return bool(verified)


def relationship_is_suspended(relationship: Any) -> bool:
    """An ACTIVE relationship whose therapist is not verified now (withdrawn or back to
    pending): nothing clinical passes until they are verified again."""
    from therapy.models import TherapyRelationship

    return relationship.status == TherapyRelationship.Status.ACTIVE and not relationship_therapist_verified(
        relationship
    )


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
def is_relationship_active(user: Any, relationship: Any) -> bool:
    from therapy.models import TherapyRelationship

    return bool(relationship is not None and relationship.status == TherapyRelationship.Status.ACTIVE)


@rules.predicate
def was_relationship_accepted(user: Any, relationship: Any) -> bool:
    """Active now or once (ended or blocked after being accepted): its history exists."""
    return bool(relationship is not None and relationship.accepted_at is not None)


@rules.predicate
def is_relationship_client_or_verified_therapist(user: Any, relationship: Any) -> bool:
    """The client, or the therapist while verified (the relationship annotation or one
    query): a therapist whose verification is withdrawn reads nothing of their clients."""
    if relationship is None or not _signed_in(user):
        return False
    if user.pk == relationship.client_id:
        return True
    return user.pk == relationship.therapist_id and relationship_therapist_verified(relationship)


@rules.predicate
def is_relationship_suspended(user: Any, relationship: Any) -> bool:
    return bool(relationship is not None and relationship_is_suspended(relationship))


# Either party reads the conversation of a relationship that is or was active; the
# therapist only while verified.
can_read_messages = is_relationship_client_or_verified_therapist & was_relationship_accepted
# Only an ACTIVE relationship that is not suspended takes new messages, from either party.
can_send_message = is_relationship_party & is_relationship_active & ~is_relationship_suspended
# The therapist accepts a pending request and blocks a client; either party ends.
can_accept_relationship = is_relationship_therapist
can_block_relationship = is_relationship_therapist
can_end_relationship = is_relationship_party
# A therapist reads shared journal entries and works on sessions only while active.
can_act_as_therapist_of = is_relationship_therapist & is_relationship_active & ~is_relationship_suspended


@rules.predicate
def can_read_therapy_content_in_admin(user: Any) -> bool:
    """Superusers only: managers and other staff never read journal text, notes or messages."""
    return bool(_signed_in(user) and user.is_superuser)


@rules.predicate
def is_client_of(user: Any, client: Any) -> bool:
    """Whether ``user`` is a therapist of ``client`` (user or id) in an ACTIVE relationship,
    verified now. One query."""
    return _signed_in(user) and relationship_active_between(client=client, therapist=user)
