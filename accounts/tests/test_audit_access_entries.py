"""The access log other apps write and read through accounts (therapy's "who viewed my
records"): audit_access_record and audit_access_list."""

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.selectors.audit import audit_access_list
from accounts.services.audit import audit_access_record
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_access_entries_are_listed_by_what_they_name_newest_first(django_assert_num_queries):
    therapist, client, other = UserFactory(), UserFactory(), UserFactory()
    ContentType.objects.get_for_model(type(client))  # content types are cached per process
    with django_assert_num_queries(1):  # one insert for every entry
        audit_access_record(
            actor=therapist,
            accessed=[(client, {"client_id": str(client.pk)}), (other, {"client_id": str(other.pk)})],
            what="viewed",
        )
    audit_access_record(actor=therapist, accessed=[(client, {"client_id": str(client.pk)})], what="opened")

    mine = list(audit_access_list(additional_data={"client_id": str(client.pk)}))

    assert [entry.action_name for entry in mine] == ["user.opened", "user.viewed"]
    assert {entry.actor_id for entry in mine} == {therapist.pk}


def test_the_whole_access_log_is_never_one_answer():
    with pytest.raises(ValueError, match="at least one key"):
        audit_access_list(additional_data={})
