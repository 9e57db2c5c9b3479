"""The time zones a person picks from: the current zone of each place, by region.

``zoneinfo.available_timezones()`` holds some 600 names, many of them legacy aliases
("US/Eastern", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta"). The picker offers the zones of
tzdata's ``zone.tab`` — one current name per region of a country, each with its country —
plus UTC, grouped by area (Africa, America, … Pacific). Any name zoneinfo knows stays valid
(``core.validators.validate_timezone``), so a value stored before keeps working.

A backward-compatible alias — the ``L <zone> <alias>`` lines of tzdata's ``tzdata.zi`` —
resolves to the current name it stands for: browsers report old names (Chrome gives
"Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires"), and ``static/js/timezone-guess.js``
fills in whatever the browser says, so the form saves "Asia/Kolkata" instead.
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
def timezone_aliases() -> dict[str, str]:
    """``{alias: current name}`` from tzdata's links, for the aliases the picker does not
    offer whose zone it offers under one name: "Asia/Calcutta" → "Asia/Kolkata", "US/Eastern"
    → "America/New_York", "Etc/UTC" → "UTC". A name the picker offers is never remapped
    (tzdata links "Europe/Amsterdam" to "Europe/Brussels", yet both are listed); an alias
    of a zone the picker does not offer ("GMT" → "Etc/GMT") has no entry and stays itself."""
    current = current_timezones()
    links: dict[str, str] = {}
    for line in _tzdata_table("tzdata.zi").splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "L":
            links[fields[2]] = fields[1]
    names_of: dict[str, set[str]] = {}
    for alias, zone in links.items():
        names_of.setdefault(zone, {zone}).add(alias)
    aliases: dict[str, str] = {}
    for zone, names in names_of.items():
        listed = names & current
        if zone in current:
            target = zone
        elif len(listed) == 1:  # the zone is offered under one of its links ("Etc/UTC" as "UTC")
            target = next(iter(listed))
        else:
            continue
        aliases.update(dict.fromkeys(names - current, target))
    return aliases


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


@cache
def _zone_countries() -> dict[str, str]:
    return {row[2]: row[0] for row in _rows(_tzdata_table("zone.tab"))}


def timezone_country(name: str) -> str:
    """The ISO 3166 code of the country of the zone ``name`` (an alias counts as its current
    zone: "Asia/Calcutta" → "IN"), from tzdata's ``zone.tab``; "" for a zone of no country
    ("UTC", "Etc/GMT+5") or an unknown name."""
    return _zone_countries().get(timezone_current(name), "")


def timezone_current(name: str) -> str:
    """The current name of the zone ``name`` ("Asia/Calcutta" → "Asia/Kolkata"); ``name``
    itself when it is current or has no current name ("Etc/GMT+5")."""
    return timezone_aliases().get(name, name)


def timezone_resolve(text: str) -> str:
    """The zone name ``text`` means: the current name of a zone zoneinfo knows (itself, or
    the zone a legacy alias stands for: "Asia/Calcutta" → "Asia/Kolkata"; a legacy name with
    no current one, "Etc/GMT+5", stays itself), a current name or alias typed in another case
    or with spaces ("europe/paris", "America/New York", "asia/calcutta"), or the one current
    zone whose city is ``text`` ("Paris"). "" when it is none of these or ambiguous."""
    value = " ".join(text.split())
    if value in available_timezones():
        return timezone_current(value)
    folded = value.casefold().replace(" ", "_")
    by_name = [name for name in (*current_timezones(), *timezone_aliases()) if name.casefold() == folded]
    if by_name:
        return timezone_current(by_name[0])
    by_city = [
        option.name
        for options in timezone_options().values()
        for option in options
        if option.city.casefold() == value.casefold() or option.label.casefold() == value.casefold()
    ]
    return by_city[0] if len(by_city) == 1 else ""
