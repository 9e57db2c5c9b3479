"""core.llm against a real local HTTP server speaking the chat-completions API (llm_fake):
the real ``openai`` client, nothing patched; assertions on what the provider received."""

import json
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.llm import (
    LlmUnavailable,
    llm_complete,
    llm_configured,
    llm_provider_name,
    mask_personal_data,
    prompt_load,
)
from core.tests.llm_fake import DEFAULT_TEXT, LlmFake, strict_schema_problems

RESULT_SCHEMA = {
    "type": "object",
    "properties": {"category": {"type": "string"}, "reason": {"type": "string"}},
    "required": ["category", "reason"],
    "additionalProperties": False,
}


def conversation(text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You are a careers adviser. Write to support@ascend.example if stuck."},
        {"role": "assistant", "content": "What do you enjoy?"},
        {"role": "user", "content": text},
    ]


# --- masking ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at jane.doe+work@example.co.uk please", "mail me at [email] please"),
        ("JANE@EXAMPLE.ORG", "[email]"),
        ("call +44 20 7946 0958 today", "call [phone] today"),
        ("call (555) 123-4567.", "call [phone]."),
        ("my mobile is 0612345678", "my mobile is [phone]"),
        ("or 555.123.4567, or 00 33 1 23 45 67 89", "or [phone], or [phone]"),
        ("ring 030/1234567", "ring [phone]"),
    ],
)
def test_mask_personal_data_masks_emails_and_phone_numbers(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I started in 2015 and have 3 years of practice, 12 hours a week",
        "on 2024-05-12 and 12.05.2024 I worked from 2019-2023",
        "I earn 45000 a year and scored 98.5",
        "Version 1.2.3 of FL Studio",
    ],
)
def test_mask_personal_data_leaves_numbers_that_are_not_phone_numbers(text):
    assert mask_personal_data(text) == text


# --- configuration ---------------------------------------------------------------------------
def test_not_configured_raises_without_any_request(settings):
    settings.LLM_BASE_URL = ""
    settings.LLM_MODEL = "some-model"
    assert not llm_configured()
    assert llm_provider_name() == ""
    with pytest.raises(LlmUnavailable, match="configured"):
        llm_complete(messages=conversation("hello"))


def test_provider_name_from_settings_or_host(settings):
    settings.LLM_BASE_URL = "https://models.internal.example:8443/v1"
    settings.LLM_MODEL = "llama"
    settings.LLM_PROVIDER_NAME = ""
    assert llm_configured()
    assert llm_provider_name() == "models.internal.example"
    settings.LLM_PROVIDER_NAME = "Azure OpenAI (West Europe)"
    assert llm_provider_name() == "Azure OpenAI (West Europe)"


# --- requests and answers ----------------------------------------------------------------------
def test_complete_sends_masked_messages_and_returns_text_model_and_tokens(llm_fake):
    llm_fake.reply("You might enjoy sound design.", prompt_tokens=42, completion_tokens=6)
    reply = llm_complete(
        messages=conversation("I mix music; reach me at kim@example.com or +1 (415) 555-0100."),
        max_tokens=200,
    )
    assert reply.text == "You might enjoy sound design."
    assert reply.model == "fake-model"
    assert (reply.prompt_tokens, reply.completion_tokens) == (42, 6)
    [request] = llm_fake.requests
    assert request["model"] == "fake-model"
    assert request["max_tokens"] == 200
    assert "response_format" not in request
    assert llm_fake.headers[0]["authorization"] == "Bearer test-key"
    sent = llm_fake.sent_text()
    assert "kim@example.com" not in sent
    assert "555-0100" not in sent
    assert request["messages"][2] == {"role": "user", "content": "I mix music; reach me at [email] or [phone]."}
    # The system prompt is the site's own text: sent as written.
    assert request["messages"][0]["content"].endswith("support@ascend.example if stuck.")


def test_assistant_messages_are_masked_too(llm_fake):
    messages = [
        {"role": "assistant", "content": "You said your number is 0612345678?"},
        {"role": "user", "content": "yes"},
    ]
    llm_complete(messages=messages)
    assert llm_fake.requests[0]["messages"][0]["content"] == "You said your number is [phone]?"
    assert messages[0]["content"] == "You said your number is 0612345678?"  # the caller's list is untouched


def test_usage_counted_by_the_provider_is_returned(llm_fake):
    reply = llm_complete(messages=[{"role": "user", "content": "one two three four"}])
    assert reply.text == DEFAULT_TEXT
    assert reply.prompt_tokens == 4
    assert reply.completion_tokens == len(DEFAULT_TEXT.split())


def test_json_schema_is_requested_strictly_and_the_json_text_returned(llm_fake):
    llm_fake.reply_json({"category": "Music", "reason": "You mix tracks every week."})
    reply = llm_complete(messages=conversation("I mix tracks"), json_schema=RESULT_SCHEMA, schema_name="assessment")
    assert json.loads(reply.text) == {"category": "Music", "reason": "You mix tracks every week."}
    response_format = llm_fake.requests[0]["response_format"]
    assert response_format == {
        "type": "json_schema",
        "json_schema": {"name": "assessment", "schema": RESULT_SCHEMA, "strict": True},
    }


def test_json_in_a_code_fence_is_unwrapped(llm_fake):
    llm_fake.reply('```json\n{"category": "Music", "reason": "r"}\n```')
    reply = llm_complete(messages=conversation("x"), json_schema=RESULT_SCHEMA)
    assert json.loads(reply.text) == {"category": "Music", "reason": "r"}


@pytest.mark.parametrize("answer", ["Sure! Music.", '["Music"]', "{broken"])
def test_an_answer_that_is_not_a_json_object_is_unavailable(llm_fake, answer):
    llm_fake.reply(answer)
    with pytest.raises(LlmUnavailable, match="JSON"):
        llm_complete(messages=conversation("x"), json_schema=RESULT_SCHEMA)


def test_a_schema_breaking_strict_rules_is_refused_by_the_provider(llm_fake):
    loose = {"type": "object", "properties": {"category": {"type": "string"}}}
    assert strict_schema_problems(loose)
    with pytest.raises(LlmUnavailable, match="HTTP 400"):
        llm_complete(messages=conversation("x"), json_schema=loose)
    assert strict_schema_problems(RESULT_SCHEMA) == []


@pytest.mark.parametrize("answer", ["", "   \n"])
def test_an_empty_answer_is_unavailable(llm_fake, answer):
    llm_fake.reply(answer)
    with pytest.raises(LlmUnavailable, match="empty"):
        llm_complete(messages=conversation("x"))


def test_a_body_that_is_not_a_chat_completion_is_unavailable(llm_fake):
    llm_fake.reply_raw("<html>Bad gateway page of a proxy</html>")
    with pytest.raises(LlmUnavailable):
        llm_complete(messages=conversation("x"))
    llm_fake.reply_raw(json.dumps({"object": "list", "data": []}))
    with pytest.raises(LlmUnavailable):
        llm_complete(messages=conversation("x"))


# --- failures --------------------------------------------------------------------------------
def test_http_500_is_unavailable(llm_fake):
    llm_fake.fail(status=500)
    with pytest.raises(LlmUnavailable, match="HTTP 500"):
        llm_complete(messages=conversation("x"))
    assert len(llm_fake.completions()) == 1  # LLM_MAX_RETRIES = 0: one attempt


def test_a_wrong_api_key_is_unavailable(llm_fake, settings):
    settings.LLM_API_KEY = "wrong"
    with pytest.raises(LlmUnavailable, match="HTTP 401"):
        llm_complete(messages=conversation("x"))


def test_errors_are_retried_up_to_the_setting(llm_fake, settings):
    settings.LLM_MAX_RETRIES = 1
    llm_fake.fail(status=503)
    llm_fake.reply("second time lucky")
    assert llm_complete(messages=conversation("x")).text == "second time lucky"
    assert len(llm_fake.completions()) == 2


def test_a_provider_that_hangs_times_out(llm_fake, settings):
    settings.LLM_TIMEOUT_SECONDS = 0.5
    llm_fake.hang(5)
    started = time.monotonic()
    with pytest.raises(LlmUnavailable, match="in time"):
        llm_complete(messages=conversation("x"))
    assert time.monotonic() - started < 3
    assert len(llm_fake.completions()) == 1


def test_a_provider_that_is_down_is_unavailable(settings):
    with LlmFake() as fake:
        url = fake.url
    settings.LLM_BASE_URL = f"{url}/v1"  # nobody listens there any more
    settings.LLM_MODEL = "fake-model"
    settings.LLM_MAX_RETRIES = 0
    with pytest.raises(LlmUnavailable, match="reached"):
        llm_complete(messages=conversation("x"))


def test_the_fake_lists_its_models(llm_fake):
    import openai

    client = openai.OpenAI(base_url=f"{llm_fake.url}/v1", api_key=llm_fake.api_key, max_retries=0)
    assert [model.id for model in client.models.list()] == ["fake-model"]


# --- prompts ---------------------------------------------------------------------------------
@pytest.fixture
def prompts_dir(settings):
    from django.apps import apps

    directory = __import__("pathlib").Path(apps.get_app_config("core").path) / "prompts"
    created = not directory.exists()
    directory.mkdir(exist_ok=True)
    written: list = []

    def write(name: str, text: str):
        path = directory / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        prompt_load.cache_clear()
        return path

    yield write
    for path in written:
        path.unlink()
    if created:
        directory.rmdir()
    prompt_load.cache_clear()


def test_prompt_load_reads_version_and_text(prompts_dir):
    prompts_dir("test_prompt_a", "version: 2026-12-a\n\nYou help people choose a career.\nBe brief.\n")
    prompt = prompt_load("core", "test_prompt_a")
    assert (prompt.name, prompt.version) == ("test_prompt_a", "2026-12-a")
    assert prompt.text == "You help people choose a career.\nBe brief."
    assert prompt_load("core", "test_prompt_a") is prompt  # read once


@pytest.mark.parametrize("content", ["You help people.\n", "version:\nYou help.\n", "version: 3\n\n"])
def test_prompt_load_refuses_a_file_without_version_or_text(prompts_dir, content):
    prompts_dir("test_prompt_bad", content)
    with pytest.raises(ImproperlyConfigured):
        prompt_load("core", "test_prompt_bad")


def test_prompt_load_refuses_a_missing_file():
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        prompt_load("core", "no_such_prompt")
