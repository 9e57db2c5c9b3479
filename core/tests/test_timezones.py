"""The time-zone picker: current zones by region (no legacy aliases), searchable through a
datalist; a legacy alias (what many browsers report) resolves to its current zone, and
every name stored before stays valid."""

import re

import pytest
from django import forms

from core.forms import TimezoneField
from core.timezones import (
    AREAS,
    current_timezones,
    timezone_aliases,
    timezone_choices,
    timezone_current,
    timezone_options,
    timezone_resolve,
)
from core.validators import available_timezones, validate_timezone


def test_zones_are_grouped_by_region_utc_first():
    groups = [str(label) for label, _options in timezone_choices()]
    assert groups == ["UTC", *[str(label) for label in AREAS.values()]]
    for area, options in timezone_options().items():
        assert options, f"no zone under {area}"
        names = [option.name for option in options]
        assert all(name == "UTC" or name.startswith(f"{area}/") for name in names)
        assert [option.city for option in options] == sorted(option.city for option in options)


def test_only_current_canonical_zones_are_offered():
    offered = current_timezones()
    assert 350 < len(offered) < len(available_timezones())
    for alias in ("US/Eastern", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta", "Europe/Kiev", "GMT", "Etc/UTC"):
        assert alias not in offered
    for name in ("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Europe/Kyiv", "Pacific/Auckland"):
        assert name in offered
    assert all(name == "UTC" or name.split("/", 1)[0] in AREAS for name in offered)


def test_options_name_their_country():
    paris = next(option for option in timezone_options()["Europe"] if option.name == "Europe/Paris")
    assert paris.label == "Paris, France"
    buenos_aires = next(o for o in timezone_options()["America"] if o.name == "America/Argentina/Buenos_Aires")
    assert buenos_aires.city == "Buenos Aires"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("America/New York", "America/New_York"),
        ("paris", "Europe/Paris"),
        ("Paris, France", "Europe/Paris"),
        # What Chrome reports in India, Ukraine, Argentina, Vietnam and Nepal: legacy
        # aliases the picker does not list, resolved to the zone's current name.
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Asia/Katmandu", "Asia/Kathmandu"),
        ("asia/calcutta", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("Zulu", "UTC"),
        # A listed name stays itself even where tzdata links it to another zone.
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("UTC", "UTC"),
        # A legacy name with no current one stays valid as it is.
        ("Etc/GMT+5", "Etc/GMT+5"),
        ("GMT", "GMT"),
        ("Mars/Olympus", ""),
        ("", ""),
    ],
)
def test_resolve(text, zone):
    assert timezone_resolve(text) == zone


class ZoneForm(forms.Form):
    timezone = TimezoneField()


def test_field_renders_a_searchable_input_with_the_grouped_list():
    html = str(ZoneForm()["timezone"])
    assert re.search(r'<input type="text" name="timezone"[^>]*list="id_timezone-zones"', html)
    assert '<datalist id="id_timezone-zones">' in html
    values = re.findall(r'<option value="([^"]+)"', html)
    assert set(values) == current_timezones()
    assert values[0] == "UTC"
    # In region order: all of Africa before the Americas, … the Pacific last.
    areas = [value.split("/", 1)[0] for value in values[1:]]
    assert areas == sorted(areas, key=list(AREAS).index)
    assert '<option value="Europe/Paris" label="Paris, France">' in html


def test_aliases_come_from_tzdata_links_and_lead_to_listed_zones():
    aliases = timezone_aliases()
    assert len(aliases) > 100
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Europe/Kiev"] == "Europe/Kyiv"
    assert not set(aliases) & current_timezones()  # a listed name is never remapped
    assert set(aliases.values()) <= current_timezones()
    assert set(aliases) <= available_timezones()


def test_a_legacy_value_stored_before_stays_valid_and_is_shown_by_its_current_name():
    for legacy in ("Asia/Calcutta", "Europe/Kiev", "US/Eastern", "Etc/GMT+5"):
        validate_timezone(legacy)  # a stored value still passes the model's validator
    assert 'value="Asia/Kolkata"' in str(ZoneForm(initial={"timezone": "Asia/Calcutta"})["timezone"])
    assert TimezoneField().clean("Asia/Calcutta") == "Asia/Kolkata"
    assert 'value="Etc/GMT+5"' in str(ZoneForm(initial={"timezone": "Etc/GMT+5"})["timezone"])
    assert TimezoneField().clean("Etc/GMT+5") == "Etc/GMT+5"
    assert timezone_current("Mars/Olympus") == "Mars/Olympus"


def test_the_browser_alias_the_script_fills_in_is_saved_as_the_current_zone():
    form = ZoneForm(data={"timezone": "Europe/Kiev"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["timezone"] == "Europe/Kyiv"


def test_field_refuses_an_unknown_zone_with_a_clear_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose a time zone from the list"):
        TimezoneField().clean("Mars/Olympus")
