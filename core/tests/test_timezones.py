"""The time-zone picker: current zones by region (no legacy aliases), searchable through a
datalist, and every name stored before still valid."""

import re

import pytest
from django import forms

from core.forms import TimezoneField
from core.timezones import AREAS, current_timezones, timezone_choices, timezone_options, timezone_resolve
from core.validators import available_timezones


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
        ("US/Eastern", "US/Eastern"),  # a legacy name stored before stays valid
        ("Etc/GMT+5", "Etc/GMT+5"),
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


def test_a_legacy_value_stored_before_is_shown_and_kept():
    assert 'value="US/Eastern"' in str(ZoneForm(initial={"timezone": "US/Eastern"})["timezone"])
    assert TimezoneField().clean("US/Eastern") == "US/Eastern"


def test_field_refuses_an_unknown_zone_with_a_clear_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose a time zone from the list"):
        TimezoneField().clean("Mars/Olympus")
