"""Support for a person who may be struggling: the one rule deciding when to offer it, the
support lines of their country, and the people they work with (their therapist, their
mentor).

Therapy (a distressing journal entry) and learning (a low mood in the wellness check) both
call :func:`support_for`: the same rule, the same lines, the same words. The country is the
one of the person's time zone (tzdata's ``zone.tab``: "Europe/Berlin" → Germany) — Ascend asks
for no country; a zone of no country ("UTC") or a country not listed here gets the
international lines. The contacts come from :data:`core.registry.support_contacts`, which
therapy and mentorship fill from ``ready()`` (core knows no app).

The numbers are national, free, confidential lines, each checked against its service's own
site; keep the list short and correct rather than long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.registry import SupportContact, support_contacts
from core.timezones import timezone_country


@dataclass(frozen=True)
class SupportLine:
    """A helpline: its own name (not translated), the number to call, the number to text
    ("" when it takes no texts) and its site."""

    name: str
    phone: str
    url: str
    text: str = ""

    @property
    def phone_href(self) -> str:
        """The number for a ``tel:`` link ("116 123" → "116123")."""
        return re.sub(r"[^\d+]", "", self.phone)

    @property
    def text_href(self) -> str:
        return re.sub(r"[^\d+]", "", self.text)


@dataclass(frozen=True)
class CountrySupport:
    """The emergency number and the support lines of one country."""

    name: StrOrPromise
    emergency: str
    lines: tuple[SupportLine, ...]


#: National support lines by ISO 3166 country code.
SUPPORT_LINES: dict[str, CountrySupport] = {
    "US": CountrySupport(
        _("the United States"),
        "911",
        (SupportLine("988 Suicide & Crisis Lifeline", "988", "https://988lifeline.org", text="988"),),
    ),
    "CA": CountrySupport(
        _("Canada"), "911", (SupportLine("9-8-8 Suicide Crisis Helpline", "988", "https://988.ca", text="988"),)
    ),
    "GB": CountrySupport(
        _("the United Kingdom"),
        "999",
        (
            SupportLine("Samaritans", "116 123", "https://www.samaritans.org"),
            SupportLine("Shout", "", "https://giveusashout.org", text="85258"),
        ),
    ),
    "IE": CountrySupport(_("Ireland"), "112", (SupportLine("Samaritans", "116 123", "https://www.samaritans.org"),)),
    "AU": CountrySupport(_("Australia"), "000", (SupportLine("Lifeline", "13 11 14", "https://www.lifeline.org.au"),)),
    "NZ": CountrySupport(
        _("New Zealand"), "111", (SupportLine("Need to talk? 1737", "1737", "https://1737.org.nz", text="1737"),)
    ),
    "DE": CountrySupport(
        _("Germany"), "112", (SupportLine("TelefonSeelsorge", "0800 111 0 111", "https://www.telefonseelsorge.de"),)
    ),
    "AT": CountrySupport(
        _("Austria"), "112", (SupportLine("TelefonSeelsorge", "142", "https://www.telefonseelsorge.at"),)
    ),
    "CH": CountrySupport(
        _("Switzerland"), "112", (SupportLine("Die Dargebotene Hand / La Main Tendue", "143", "https://www.143.ch"),)
    ),
    "FR": CountrySupport(
        _("France"), "112", (SupportLine("3114 – Numéro national de prévention du suicide", "3114", "https://3114.fr"),)
    ),
    "NL": CountrySupport(
        _("the Netherlands"), "112", (SupportLine("113 Zelfmoordpreventie", "0800 0113", "https://www.113.nl"),)
    ),
    "ES": CountrySupport(
        _("Spain"),
        "112",
        (SupportLine("Línea 024 de atención a la conducta suicida", "024", "https://www.sanidad.gob.es/linea024/"),),
    ),
    "SE": CountrySupport(_("Sweden"), "112", (SupportLine("Självmordslinjen (Mind)", "90101", "https://mind.se"),)),
    "NO": CountrySupport(
        _("Norway"), "112", (SupportLine("Mental Helse Hjelpetelefonen", "116 123", "https://mentalhelse.no"),)
    ),
    "DK": CountrySupport(_("Denmark"), "112", (SupportLine("Livslinien", "70 201 201", "https://www.livslinien.dk"),)),
    "FI": CountrySupport(
        _("Finland"), "112", (SupportLine("MIELI Kriisipuhelin", "09 2525 0111", "https://mieli.fi"),)
    ),
    "IN": CountrySupport(_("India"), "112", (SupportLine("Tele-MANAS", "14416", "https://telemanas.mohfw.gov.in"),)),
    "BR": CountrySupport(
        _("Brazil"), "192", (SupportLine("CVV – Centro de Valorização da Vida", "188", "https://cvv.org.br"),)
    ),
    "ZA": CountrySupport(
        _("South Africa"), "112", (SupportLine("SADAG Suicide Crisis Line", "0800 567 567", "https://www.sadag.org"),)
    ),
}

#: Where anyone, anywhere, finds a free helpline of their country.
INTERNATIONAL_LINES: tuple[SupportLine, ...] = (
    SupportLine("Find A Helpline", "", "https://findahelpline.com"),
    SupportLine("Befrienders Worldwide", "", "https://befrienders.org"),
)


@dataclass(frozen=True)
class SupportResources:
    """What a person in distress is shown: ``message`` (``settings.THERAPY_CRISIS_RESOURCES``),
    the lines of their country (``country`` "" and the international lines when it is
    unknown or not listed), its emergency number ("" when unknown), and the people they
    may turn to."""

    message: str
    country: str
    country_name: StrOrPromise
    emergency: str
    lines: tuple[SupportLine, ...]
    contacts: tuple[SupportContact, ...]

    @property
    def is_international(self) -> bool:
        return not self.country

    def as_dict(self) -> dict[str, Any]:
        """The API's shape (``country`` null when the international lines are shown)."""
        return {
            "message": self.message,
            "country": self.country or None,
            "emergency_number": self.emergency or None,
            "lines": [
                {"name": line.name, "phone": line.phone or None, "text": line.text or None, "url": line.url}
                for line in self.lines
            ],
        }


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def support_feeling_is_distressing(feeling: str) -> bool:
    """Whether ``feeling`` (a suggested value or free text) names one of
    ``settings.THERAPY_CRISIS_FEELINGS`` — a whole word, ignoring case ("Very anxious"
    does, "calm" does not)."""
    distressing = {word.strip().lower() for word in settings.THERAPY_CRISIS_FEELINGS if word.strip()}
    return any(word in distressing for word in _WORD.findall(feeling.lower()))


def support_needed(
    *,
    feeling: str | None = None,
    intensity: int | None = None,
    mood: int | None = None,
    mood_range: tuple[int, int] = (1, 5),
) -> bool:
    """The one rule for offering support: a feeling that is distressing
    (:func:`support_feeling_is_distressing`) at ``settings.THERAPY_CRISIS_MIN_INTENSITY`` or
    above (a journal entry), or a ``mood`` among the lowest two of its scale ``mood_range``
    (the wellness check: 1 or 2 of 1–5)."""
    if mood is not None:
        lowest, _highest = mood_range
        return mood <= lowest + 1
    if feeling is None or intensity is None:
        return False
    return intensity >= settings.THERAPY_CRISIS_MIN_INTENSITY and support_feeling_is_distressing(feeling)


def support_country(user: Any) -> str:
    """The ISO code of ``user``'s country as far as Ascend knows it — the country of their
    time zone — when :data:`SUPPORT_LINES` lists it, else ""."""
    code = timezone_country(getattr(user, "timezone", "") or "")
    return code if code in SUPPORT_LINES else ""


def support_contacts_for(user: Any) -> tuple[SupportContact, ...]:
    """The people ``user`` works with now, from every app's
    :class:`core.registry.SupportContactSource`, in the registry's order."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return tuple(contact for source in support_contacts.all() for contact in source.contacts(user))


def support_resources(*, user: Any, with_contacts: bool = True) -> SupportResources:
    """The support lines of ``user``'s country (:func:`support_country`; the international
    ones when unknown) and, with ``with_contacts``, the people they may turn to."""
    code = support_country(user)
    country = SUPPORT_LINES.get(code)
    return SupportResources(
        message=str(settings.THERAPY_CRISIS_RESOURCES),
        country=code,
        country_name=country.name if country else "",
        emergency=country.emergency if country else "",
        lines=country.lines if country else INTERNATIONAL_LINES,
        contacts=support_contacts_for(user) if with_contacts else (),
    )


def support_for(
    *,
    user: Any,
    feeling: str | None = None,
    intensity: int | None = None,
    mood: int | None = None,
    mood_range: tuple[int, int] = (1, 5),
    with_contacts: bool = True,
) -> SupportResources | None:
    """What to show ``user`` after they told how they feel: their support resources when
    :func:`support_needed` says so, else ``None``."""
    if not support_needed(feeling=feeling, intensity=intensity, mood=mood, mood_range=mood_range):
        return None
    return support_resources(user=user, with_contacts=with_contacts)
