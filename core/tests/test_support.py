"""Support for a person in distress (core.support): one rule for a journal entry and a
wellness mood, the lines of the person's country by their time zone with the international
lines as the fallback, and the contacts the apps register."""

import uuid
from types import SimpleNamespace

import pytest

from core.registry import SupportContact, SupportContactSource, support_contacts
from core.support import (
    INTERNATIONAL_LINES,
    SUPPORT_LINES,
    support_country,
    support_feeling_is_distressing,
    support_for,
    support_needed,
    support_resources,
)
from core.timezones import timezone_country


def _person(zone: str, authenticated: bool = True) -> SimpleNamespace:
    return SimpleNamespace(timezone=zone, is_authenticated=authenticated, pk=uuid.uuid4())


@pytest.mark.parametrize(
    ("zone", "code"),
    [
        ("America/New_York", "US"),
        ("Europe/London", "GB"),
        ("Europe/Berlin", "DE"),
        ("Asia/Calcutta", "IN"),  # a legacy alias counts as its current zone
        ("Australia/Sydney", "AU"),
        ("UTC", ""),
        ("Etc/GMT+5", ""),
        ("Not/AZone", ""),
    ],
)
def test_timezone_country_from_zone_tab(zone: str, code: str) -> None:
    assert timezone_country(zone) == code


@pytest.mark.parametrize(
    ("kwargs", "needed"),
    [
        ({"mood": 1}, True),
        ({"mood": 2}, True),
        ({"mood": 3}, False),
        ({"mood": 5}, False),
        ({"mood": 2, "mood_range": (0, 10)}, False),
        ({"mood": 1, "mood_range": (0, 10)}, True),
        ({"feeling": "hopeless", "intensity": 8}, True),
        ({"feeling": "Very anxious", "intensity": 9}, True),
        ({"feeling": "hopeless", "intensity": 7}, False),
        ({"feeling": "calm", "intensity": 10}, False),
        ({}, False),
    ],
)
def test_one_rule_decides_for_moods_and_feelings(kwargs: dict, needed: bool) -> None:
    assert support_needed(**kwargs) is needed


def test_distressing_feelings_are_whole_words() -> None:
    assert support_feeling_is_distressing("so SAD today")
    assert not support_feeling_is_distressing("saddle")


def test_the_lines_follow_the_country_of_the_time_zone(settings) -> None:
    settings.THERAPY_CRISIS_RESOURCES = "MARKER"
    london = support_resources(user=_person("Europe/London"), with_contacts=False)
    assert london.country == "GB"
    assert london.emergency == "999"
    assert "116 123" in [line.phone for line in london.lines]
    assert london.message == "MARKER"
    us = support_resources(user=_person("America/Chicago"), with_contacts=False)
    assert [line.phone for line in us.lines] == ["988"]
    assert us.emergency == "911"


@pytest.mark.parametrize("zone", ["UTC", "Asia/Ulaanbaatar", ""])
def test_unknown_or_unlisted_countries_get_the_international_lines(zone: str) -> None:
    resources = support_resources(user=_person(zone), with_contacts=False)
    assert resources.is_international
    assert resources.lines == INTERNATIONAL_LINES
    assert resources.emergency == ""
    assert resources.as_dict()["country"] is None


def test_every_listed_line_can_be_reached() -> None:
    for code, country in SUPPORT_LINES.items():
        assert len(code) == 2
        assert code.isupper()
        assert country.emergency.isdigit()
        assert country.lines
        for line in country.lines:
            assert line.url.startswith("https://")
            assert line.phone or line.text
            assert line.phone_href == "" or line.phone_href.isdigit()


def test_support_for_answers_only_when_needed() -> None:
    person = _person("Europe/Paris")
    assert support_for(user=person, mood=4) is None
    resources = support_for(user=person, mood=1, with_contacts=False)
    assert resources is not None
    assert resources.country == "FR"
    assert support_country(person) == "FR"


@pytest.mark.django_db
def test_contacts_come_from_the_registry() -> None:
    contact = SupportContact(role="Your test person", action="Write to them", url="/somewhere/")
    support_contacts.register(SupportContactSource("test-support", lambda user: [contact], order=999))
    try:
        assert support_resources(user=_person("UTC")).contacts[-1] == contact
        assert support_resources(user=_person("UTC"), with_contacts=False).contacts == ()
        assert support_resources(user=_person("UTC", authenticated=False)).contacts == ()
    finally:
        support_contacts.unregister("test-support")
