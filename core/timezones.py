"""The time zones a person picks from: the current zone of each place, by region.

``zoneinfo.available_timezones()`` holds some 600 names, many of them legacy aliases
("US/Eastern", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta"). The picker offers the zones of
tzdata's ``zone.tab`` — one current name per region of a country, each with its country —
plus UTC, grouped by area (Africa, America, … Pacific). Any name zoneinfo knows stays valid
(``core.validators.validate_timezone``), so a value stored before keeps working.
"""

from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .validators import available_timezones

#: The areas of current zones, in the order the picker shows them, with their labels.
AREAS: dict[str, StrOrPromise] = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}
UTC = "UTC"


@dataclass(frozen=True)
class TimezoneOption:
    name: str  # the IANA name stored, e.g. "America/Argentina/Buenos_Aires"
    city: str  # "Buenos Aires"
    country: str  # "Argentina"

    @property
    def label(self) -> str:
        return f"{self.city}, {self.country}" if self.country else self.city


def _tzdata_table(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def timezone_options() -> dict[str, list[TimezoneOption]]:
    """``{area: [option, …]}`` in :data:`AREAS` order, each area's zones by city; UTC
    under its own key. Only names this Python's zoneinfo knows are offered."""
    countries = {row[0]: row[1] for row in _rows(_tzdata_table("iso3166.tab"))}
    known = available_timezones()
    grouped: dict[str, list[TimezoneOption]] = {area: [] for area in AREAS}
    for row in _rows(_tzdata_table("zone.tab")):
        code, name = row[0], row[2]
        area, _sep, place = name.partition("/")
        if area not in grouped or name not in known:
            continue
        city = place.rsplit("/", 1)[-1].replace("_", " ")
        grouped[area].append(TimezoneOption(name=name, city=city, country=countries.get(code, "")))
    for options in grouped.values():
        options.sort(key=lambda option: (option.city, option.country))
    return {UTC: [TimezoneOption(name=UTC, city=UTC, country="")], **grouped}


@cache
def current_timezones() -> frozenset[str]:
    """Every name the picker offers."""
    return frozenset(option.name for options in timezone_options().values() for option in options)


def timezone_choices() -> list[tuple[StrOrPromise, list[tuple[str, str]]]]:
    """Grouped choices (Django renders groups as ``<optgroup>``): UTC, then by area."""
    return [
        (AREAS.get(area, area), [(option.name, option.label) for option in options])
        for area, options in timezone_options().items()
    ]


def timezone_resolve(text: str) -> str:
    """The zone name ``text`` means: itself when zoneinfo knows it, a current name typed in
    another case or with spaces ("europe/paris", "America/New York"), or the one current
    zone whose city is ``text`` ("Paris"). "" when it is none of these or ambiguous."""
    value = " ".join(text.split())
    if value in available_timezones():
        return value
    folded = value.casefold().replace(" ", "_")
    by_name = [name for name in current_timezones() if name.casefold() == folded]
    if by_name:
        return by_name[0]
    by_city = [
        option.name
        for options in timezone_options().values()
        for option in options
        if option.city.casefold() == value.casefold() or option.label.casefold() == value.casefold()
    ]
    return by_city[0] if len(by_city) == 1 else ""
