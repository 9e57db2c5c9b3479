"""Account data: "download my data" (a ZIP of JSON built by a task) and "delete my account"
(identity anonymised, private content removed, shared records kept as "deleted user").

Each app contributes through :data:`core.registry.personal_data`.
"""

import io
import json
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_forget_person, audit_hide_values, audit_person_identifiers
from accounts.models import DataExport, User
from accounts.notifications import AccountNotification
from core.registry import personal_data

from .files import file_store_generated
from .notifications import notification_send

DATA_EXPORT_LIFETIME = timedelta(days=7)
# A new export may be requested once the previous one is this old (or finished).
DATA_EXPORT_MIN_INTERVAL = timedelta(minutes=10)


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Ask for a ZIP of everything Ascend holds about ``user``; a task builds it after
    commit. A request made while a recent one is still being prepared returns that one."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
    pending = DataExport.objects.filter(
        user=user, status=DataExport.Status.PENDING, created_at__gte=timezone.now() - DATA_EXPORT_MIN_INTERVAL
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(user=user)
    from accounts.tasks import data_export_build_task

    data_export_build_task.delay_on_commit(str(export.pk))
    return export


def data_export_collect(*, user: User) -> dict[str, object]:
    """Every registered exporter's data for ``user``, keyed by handler."""
    return {handler.key: handler.export(user) for handler in personal_data.all() if handler.export is not None}


def data_export_zip(*, user: User) -> bytes:
    """The ZIP: one pretty-printed JSON file per handler and a short README."""
    buffer = io.BytesIO()
    generated = timezone.now()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, data in data_export_collect(user=user).items():
            archive.writestr(f"{key}.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        archive.writestr(
            "README.txt",
            f"Your data from Ascend, generated {generated:%Y-%m-%d %H:%M} UTC for {user.email}.\n"
            "Each .json file holds one part of your account; uploaded files are listed with their\n"
            "metadata in files.json and can be downloaded from your account while it exists.\n",
        )
    return buffer.getvalue()


def data_export_build(*, export_id: str) -> DataExport:
    """Build a pending export's ZIP, store it privately under ``users/{id}/exports/`` for
    seven days and notify the user with a link. Idempotent: a finished export is left alone.

    The ZIP is built before the transaction (no lock held while reading everything); if
    anything fails after the object was stored, the object is removed again, so a failed
    run leaves neither a row nor an orphaned object.
    """
    export = DataExport.objects.select_related("user").get(pk=export_id)
    if export.status != DataExport.Status.PENDING:
        return export
    user = export.user
    content = data_export_zip(user=user)
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export_id)
        if export.status != DataExport.Status.PENDING:
            return export
        now = timezone.now()
        name = f"ascend-data-{now:%Y-%m-%d}-{str(export.pk)[:8]}.zip"
        stored = file_store_generated(
            user=user,
            name=name,
            content=content,
            mime_type="application/zip",
            key=f"users/{user.pk}/exports/{name}",
            expires_at=now + DATA_EXPORT_LIFETIME,
        )
        try:
            export.file = stored
            export.status = DataExport.Status.READY
            export.finished_at = now
            export.save(update_fields=["file", "status", "finished_at", "updated_at"])
            notification_send(
                user=user,
                type=AccountNotification.DATA_EXPORT_READY,
                title=_("Your data export is ready"),
                message=_("Download it within seven days; after that it is deleted."),
                related=export,
                action_url=reverse("accounts:data-export-download", kwargs={"pk": export.pk}),
                email=True,
            )
        except Exception:
            stored.storage.delete(stored.key)
            raise
    return export


@transaction.atomic
def data_export_fail(*, export_id: str) -> None:
    """Mark an export that could not be built, so the user can ask again."""
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED, finished_at=timezone.now()
    )


def _password_check(*, user: User, password: str) -> None:
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("That is not your current password.")})


@transaction.atomic
def account_delete(*, user: User, password: str) -> User:
    """Delete the account of ``user`` after checking their password (``ValidationError``
    on ``password`` otherwise, nothing changed).

    Every registered eraser removes the user's private content and anonymises shared
    records; then the identity is anonymised: no e-mail, name, profile text, avatar,
    password, sessions or second factor remain, the row stays (``erased_at``) so shared
    records such as reviews show "Deleted user". The audit log is append-only and keeps its
    entries, pseudonymised (``accounts.audit.audit_forget_person``): no earlier entry keeps
    their e-mail, names, demographics, IP address or user agent.
    """
    from allauth.account.models import EmailAddress

    _password_check(user=user, password=password)
    user = User.objects.select_for_update().get(pk=user.pk)
    emails = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    identifiers = audit_person_identifiers(user) | set(emails)
    # Record who erased which fields, never the erased values (that would undo the erasure).
    with audit_hide_values():
        for handler in personal_data.all():
            if handler.erase is not None:
                handler.erase(user)
        _user_anonymise(user)
    audit_forget_person(user=user, identifiers=identifiers)
    return user


def _user_anonymise(user: User) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    if user.avatar:
        user.avatar.delete(save=False)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk.hex}@deleted.invalid"
    user.username = None
    for name in ("first_name", "last_name", "title", "bio", "location", "race", "ethnicity"):
        setattr(user, name, "")
    user.skills, user.interests, user.intents = [], [], []
    user.assistant_consent_at = None
    user.avatar = ""
    user.password = make_password(None)
    user.is_active = user.is_staff = user.is_superuser = False
    user.timezone = settings.TIME_ZONE
    user.erased_at = timezone.now()
    user.save()
