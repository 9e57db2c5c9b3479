"""Thin receivers: react to allauth's signals by enqueueing tasks after commit."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .tasks import user_welcome_email_task


@receiver(email_confirmed, dispatch_uid="accounts.welcome_on_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    if email_address.primary or not email_address.user.emailaddress_set.filter(primary=True).exists():
        user_welcome_email_task.delay_on_commit(str(email_address.user_id))
