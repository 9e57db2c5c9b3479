"""The shared life of the fake outside services (core/tests/fake_server.py): the fake
language-model provider and the fake Stripe each listen on a free port of 127.0.0.1 while
started and give it back when stopped."""

import urllib.error
import urllib.request

import pytest

from core.tests.fake_server import FakeServer
from core.tests.llm_fake import LlmFake
from learning.tests.stripe_fake import StripeFake


@pytest.mark.parametrize(("fake_class", "path"), [(LlmFake, "/v1/models"), (StripeFake, "/v1/refunds")])
def test_a_fake_answers_on_its_own_port_until_it_is_stopped(fake_class: type[FakeServer], path: str) -> None:
    with fake_class() as fake, fake_class() as other:
        assert fake.url.startswith("http://127.0.0.1:")
        assert fake.url != other.url
        with pytest.raises(urllib.error.HTTPError) as unauthorised:  # no key: refused like the real service
            urllib.request.urlopen(fake.url + path, timeout=5)  # noqa: S310 — a local test server
        assert unauthorised.value.code == 401
        url = fake.url

    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + path, timeout=5)  # noqa: S310


def test_a_fake_is_built_with_its_own_arguments() -> None:
    assert LlmFake("another-key").api_key == "another-key"
    assert StripeFake("sk_other").secret_key == "sk_other"
    with pytest.raises(AssertionError, match="start"):
        _ = LlmFake().url
