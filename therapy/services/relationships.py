"""Client–therapist relationships: request, accept, end, block (DESIGN.md §2 therapy).

pending → active (the therapist accepts) → ended (either party); pending → ended (the client
withdraws, the therapist declines); any → blocked (the therapist); blocked → ended (the
therapist unblocks). After "ended" the client may ask again: the same row reopens as pending
(one relationship per pair, its message history kept). After "blocked" the client can
neither ask again nor send messages.

Safety: when a client shares an entry that may need attention (``core.support``'s rule), each
of their therapists in force is flagged and notified at once
(:func:`relationships_distress_flag`) — without a word of the entry — until they open the
client's shared journal (:func:`relationship_distress_seen`).

While the therapist's verification is withdrawn, their ACTIVE relationships are suspended
(``therapy.rules``); :func:`relationships_suspension_notify` tells the clients when that
starts and when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from therapy.models import TherapistProfile, TherapyRelationship
from therapy.notifications import TherapyNotification
from therapy.rules import relationships_in_force

if TYPE_CHECKING:
    from accounts.models import User

Status = TherapyRelationship.Status

BLOCKED_MESSAGE = gettext_lazy("This therapist is not taking requests or messages from you.")


def _locked(relationship: TherapyRelationship) -> TherapyRelationship:
    return TherapyRelationship.objects.select_for_update().select_related("client", "therapist").get(pk=relationship.pk)


@transaction.atomic
def relationship_request(*, client: User, therapist_profile: TherapistProfile) -> TherapyRelationship:
    """``client`` asks a verified therapist to work with them: a pending relationship.

    Refused with ``ApplicationError`` (nothing stored) when the therapist is not accepting
    new clients, when a request is already pending or the relationship active, and when the
    therapist blocked the client. Asking yourself or an unverified therapist is a
    ``ValidationError``. An ended relationship reopens as pending. Side effect: the therapist
    is notified (THERAPY_REQUEST).
    """
    therapist = therapist_profile.user
    if therapist.pk == client.pk:
        raise ValidationError({"therapist": _("You cannot ask yourself to be your therapist.")})
    if therapist_profile.status != TherapistProfile.Status.VERIFIED or not therapist.is_active:
        raise ValidationError({"therapist": _("This therapist is not available.")})
    relationship = (
        TherapyRelationship.objects.select_for_update().filter(client=client, therapist_id=therapist.pk).first()
    )
    if relationship is not None:
        if relationship.status == Status.BLOCKED:
            raise ApplicationError(str(BLOCKED_MESSAGE))
        if relationship.status == Status.PENDING:
            raise ApplicationError(_("You have already asked this therapist; they have not answered yet."))
        if relationship.status == Status.ACTIVE:
            raise ApplicationError(_("You are already working with this therapist."))
    if not therapist_profile.accepting_clients:
        raise ApplicationError(_("This therapist is not accepting new clients at the moment."))
    now = timezone.now()
    if relationship is None:
        try:
            with transaction.atomic():
                relationship = TherapyRelationship.objects.create(
                    client=client, therapist=therapist, status=Status.PENDING, requested_at=now
                )
        except IntegrityError as exc:  # a second request raced this one
            raise ApplicationError(_("You have already asked this therapist; they have not answered yet.")) from exc
    else:
        relationship.status = Status.PENDING
        relationship.requested_at = now
        relationship.ended_at = None
        relationship.ended_by = None
        relationship.save()
    notification_send(
        user=therapist,
        type=TherapyNotification.THERAPY_REQUEST,
        title=_("A new client asks to work with you"),
        message=_("%(name)s would like to start therapy with you.") % {"name": client.display_name},
        related=relationship,
        action_url=reverse("therapy:client-list"),
    )
    return relationship


@transaction.atomic
def relationship_accept(*, relationship: TherapyRelationship, by: User) -> TherapyRelationship:
    """The therapist accepts a pending request: the relationship is active (messages, shared
    journal entries, sessions). Only the relationship's therapist, verified, may (else
    ``ApplicationError``); only a pending request. Side effect: the client is notified."""
    relationship = _locked(relationship)
    if by.pk != relationship.therapist_id:
        raise ApplicationError(_("Only the therapist can accept a request."))
    if relationship.status != Status.PENDING:
        raise ApplicationError(
            _("Only a pending request can be accepted; this relationship is %(status)s.")
            % {"status": relationship.get_status_display().lower()}
        )
    if not TherapistProfile.objects.filter(user_id=by.pk, status=TherapistProfile.Status.VERIFIED).exists():
        raise ApplicationError(_("Your therapist profile must be verified before you accept clients."))
    relationship.status = Status.ACTIVE
    relationship.accepted_at = timezone.now()
    relationship.save()
    notification_send(
        user=relationship.client,
        type=TherapyNotification.THERAPY_RELATIONSHIP,
        title=_("Your therapist accepted your request"),
        message=_("%(name)s accepted your request. You can now send messages.") % {"name": by.display_name},
        related=relationship,
        action_url=reverse("therapy:my-therapists"),
    )
    return relationship


@transaction.atomic
def relationship_end(*, relationship: TherapyRelationship, by: User) -> TherapyRelationship:
    """Either party ends an active relationship, withdraws (client) or declines (therapist) a
    pending request. The message history stays readable to both; nothing new can be sent.
    Raises ``ApplicationError`` when already ended or blocked, or when ``by`` is not a party.
    Side effect: the other party is notified (THERAPY_RELATIONSHIP)."""
    relationship = _locked(relationship)
    if by.pk not in (relationship.client_id, relationship.therapist_id):
        raise ApplicationError(_("Only the client or the therapist can end this relationship."))
    if relationship.status not in (Status.PENDING, Status.ACTIVE):
        raise ApplicationError(
            _("This relationship is already %(status)s.") % {"status": relationship.get_status_display().lower()}
        )
    was_pending = relationship.status == Status.PENDING
    relationship.status = Status.ENDED
    relationship.ended_at = timezone.now()
    relationship.ended_by = by
    relationship.distress_shared_at = relationship.urgent_requested_at = None
    relationship.save()
    by_client = by.pk == relationship.client_id
    other = relationship.therapist if by_client else relationship.client
    if was_pending:
        title = _("A request was withdrawn") if by_client else _("Your request was declined")
    else:
        title = _("A therapy relationship ended")
    notification_send(
        user=other,
        type=TherapyNotification.THERAPY_RELATIONSHIP,
        title=title,
        message=_("%(name)s ended the relationship.") % {"name": by.display_name},
        related=relationship,
        action_url=reverse("therapy:client-list" if by_client else "therapy:my-therapists"),
    )
    return relationship


@transaction.atomic
def relationship_block(*, relationship: TherapyRelationship, by: User) -> TherapyRelationship:
    """The therapist blocks the client (from any status but blocked): the client can neither
    send messages nor ask again; the history stays readable. Only the relationship's
    therapist may (else ``ApplicationError``). The client is not notified (their pages show
    the status)."""
    relationship = _locked(relationship)
    if by.pk != relationship.therapist_id:
        raise ApplicationError(_("Only the therapist can block a client."))
    if relationship.status == Status.BLOCKED:
        raise ApplicationError(_("This client is already blocked."))
    now = timezone.now()
    relationship.status = Status.BLOCKED
    relationship.blocked_at = now
    relationship.distress_shared_at = relationship.urgent_requested_at = None
    if relationship.ended_at is None:
        relationship.ended_at = now
        relationship.ended_by = by
    relationship.save()
    return relationship


@transaction.atomic
def relationship_unblock(*, relationship: TherapyRelationship, by: User) -> TherapyRelationship:
    """The therapist lifts their block: the relationship is ended (not active again), so the
    client may ask to work with them again and the therapist decides anew. Only the
    relationship's therapist may, only a blocked relationship (else ``ApplicationError``).
    The client is not notified, as they were not of the block."""
    relationship = _locked(relationship)
    if by.pk != relationship.therapist_id:
        raise ApplicationError(_("Only the therapist can unblock a client."))
    if relationship.status != Status.BLOCKED:
        raise ApplicationError(_("This client is not blocked."))
    relationship.status = Status.ENDED
    relationship.blocked_at = None
    relationship.save()
    return relationship


def relationships_distress_flag(*, client: User) -> int:
    """``client`` just shared an entry that may need attention: flag each of their
    relationships in force (``therapy.rules.relationships_in_force``) and notify its
    therapist at once (THERAPY_ATTENTION) — a link to the client's shared journal, never the
    entry, the feeling or the client's name (the e-mail copy leaves the site). A therapist
    already flagged and not yet reading is not notified again. Returns how many were
    notified; one query plus one notification each."""
    now = timezone.now()
    relationships = list(
        relationships_in_force()
        .select_for_update()
        .filter(client_id=client.pk, distress_shared_at__isnull=True)
        .select_related("therapist")
    )
    for relationship in relationships:
        relationship.distress_shared_at = now
        relationship.save(update_fields=["distress_shared_at", "updated_at"])
        notification_send(
            user=relationship.therapist,
            type=TherapyNotification.THERAPY_ATTENTION,
            title=_("A client shared an entry that may need your attention"),
            message=_("Open the client's shared journal on Ascend to read it."),
            related=relationship,
            action_url=reverse("therapy:client-journal", kwargs={"client_id": client.pk}),
        )
    return len(relationships)


def relationship_distress_seen(*, therapist: User, client_ids: Iterable[Any]) -> int:
    """``therapist`` read the shared journal of the clients ``client_ids``: their flags of a
    distressing entry are lowered. One ``UPDATE``; returns how many."""
    ids = list(client_ids)
    if not ids:
        return 0
    return TherapyRelationship.objects.filter(
        therapist_id=therapist.pk, client_id__in=ids, distress_shared_at__isnull=False
    ).update(distress_shared_at=None, updated_at=timezone.now())


def relationships_suspension_notify(*, therapist: User, suspended: bool) -> int:
    """Tell each client of ``therapist``'s ACTIVE relationships that the relationship is
    paused (``suspended``: the therapist's verification was withdrawn — they read nothing of
    the client's until verified again) or resumed (verified again). Called by the profile
    services where verification changes; returns how many clients were told. One query plus
    one notification per client; the notices name the therapist, never any content."""
    relationships = TherapyRelationship.objects.filter(therapist_id=therapist.pk, status=Status.ACTIVE).select_related(
        "client"
    )
    name = therapist.display_name
    if suspended:
        title = _("Your therapy with %(name)s is paused") % {"name": name}
        message = _(
            "%(name)s's verification as a therapist is being checked again. Until it is restored they cannot "
            "read your shared journal entries, session notes or messages, and no messages can be sent."
        ) % {"name": name}
    else:
        title = _("Your therapy with %(name)s has resumed") % {"name": name}
        message = _("%(name)s is verified again: your conversation and shared records are open to them again.") % {
            "name": name
        }
    told = 0
    for relationship in relationships:
        notification_send(
            user=relationship.client,
            type=TherapyNotification.THERAPY_RELATIONSHIP,
            title=title,
            message=message,
            related=relationship,
            action_url=reverse("therapy:my-therapists"),
        )
        told += 1
    return told
