"""A task for the fault tests only (loaded by their worker with ``--include``): it issues a
course certificate through the real service, but on its first delivery it records its
process id and waits to be killed — a worker dying in the middle of a task."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificate_issue_after_a_crash(enrollment_id: str, journal: str) -> str:
    from learning.models import Enrollment
    from learning.services.certificates import certificate_issue

    runs = Path(journal)
    first_delivery = not runs.exists()
    with runs.open("a") as record:
        record.write(f"{os.getpid()}\n")
    if first_delivery:
        time.sleep(60)  # the test kills this process here
    certificate = certificate_issue(enrollment=Enrollment.objects.get(pk=enrollment_id))
    return str(certificate.pk)
