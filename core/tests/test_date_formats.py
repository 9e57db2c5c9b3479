"""One style of date per kind, by the active language (config/formats): templates and Python
name a format (``|date:"DATE_FORMAT"``, ``date_format(value, "DAY_DATE_FORMAT")``) and never
spell one out; what English renders; every language defines Ascend's own names."""

import ast
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from config.formats import EXTRA_FORMATS

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "core", "growth", "learning", "mentorship", "therapy")
DJANGO_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
)
NAMED = frozenset(DJANGO_FORMATS + EXTRA_FORMATS)
#: Formats for machines, not people: ISO 8601 in a <time datetime> or a form's value, a Unix
#: time, the time zone's abbreviation beside a named format, a datetime-local input's value.
MACHINE = frozenset({"c", "U", "Y-m-d", "T", "Y-m-d\\TH:i"})
#: strftime patterns Python may use (file names, storage keys, form widgets, admin strings):
#: numbers only, year first — never a month's or a day's name, never day or month first.
ISO_LIKE = re.compile(r"%Y(?:[-/]?%m(?:[-/]?%d(?:[T ]%H:%M(?::%S)?(?: ?%Z)?)?)?)?|%m|%H:%M(?::%S)?")
FILTER = re.compile(r"\|(?:date|time):(?:\"([^\"]*)\"|'([^']*)')")


def _templates() -> list[Path]:
    found = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("templates").rglob("*.txt")]
    for app in APPS:
        found += [*ROOT.joinpath(app, "templates").rglob("*.html"), *ROOT.joinpath(app, "templates").rglob("*.txt")]
    return found


def _python() -> list[Path]:
    return [
        path
        for app in (*APPS, "config")
        for path in ROOT.joinpath(app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def test_templates_name_their_date_formats() -> None:
    literal = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in FILTER.finditer(line):
                value = match.group(1) if match.group(1) is not None else match.group(2)
                if value not in NAMED | MACHINE:
                    literal.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert _templates(), "no template found"
    assert not literal, "name a format from config/formats instead:\n" + "\n".join(literal)


def _format_literals(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, call, format) of every date_format/time_format call whose format is a literal,
    and every strftime or f-string date pattern."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [*node.args, *(keyword.value for keyword in node.keywords if keyword.arg == "format")]
            if name in {"date_format", "time_format"} and len(args) > 1 and isinstance(args[1], ast.Constant):
                found.append((node.lineno, name, str(args[1].value)))
            if name == "strftime" and args and isinstance(args[0], ast.Constant):
                found.append((node.lineno, name, str(args[0].value)))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(str(part.value) for part in node.format_spec.values if isinstance(part, ast.Constant))
            if "%" in spec:
                found.append((node.lineno, "f-string", spec))
    return found


def test_python_names_its_date_formats_or_writes_iso_numbers() -> None:
    literal = []
    for path in _python():
        for line, call, value in _format_literals(ast.parse(path.read_text())):
            allowed = value in NAMED if call.endswith("_format") else ISO_LIKE.fullmatch(value) is not None
            if not allowed:
                literal.append(f"{path.relative_to(ROOT)}:{line}: {call} {value!r}")
    assert not literal, "name a format from config/formats instead:\n" + "\n".join(literal)


def test_the_scans_catch_a_literal_format() -> None:
    line = '<td>{{ session.start_at|date:"D j M Y, H:i" }}</td> {{ day|date:"DATE_FORMAT" }}'
    assert [m.group(1) for m in FILTER.finditer(line)] == ["D j M Y, H:i", "DATE_FORMAT"]
    code = 'date_format(d, "l j F")\nformats.date_format(d, "DATE_FORMAT")\nf"{d:%-d %b %Y}"\nd.strftime("%Y-%m-%d")'
    assert sorted(_format_literals(ast.parse(code))) == [
        (1, "date_format", "l j F"),
        (2, "date_format", "DATE_FORMAT"),
        (3, "f-string", "%-d %b %Y"),
        (4, "strftime", "%Y-%m-%d"),
    ]
    assert ISO_LIKE.fullmatch("%Y-%m-%dT%H:%M")
    assert not ISO_LIKE.fullmatch("%-d %b %Y")
    assert not ISO_LIKE.fullmatch("%d/%m/%Y")


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_defines_ascends_own_formats(language: str) -> None:
    for name in EXTRA_FORMATS:
        assert formats.get_format(name, lang=language) != name, f"{language} lacks {name}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DATE_FORMAT", "6 Dec 2026"),
        ("DATETIME_FORMAT", "6 Dec 2026, 14:05"),
        ("SHORT_DATE_FORMAT", "6 Dec"),
        ("SHORT_DATETIME_FORMAT", "6 Dec, 14:05"),
        ("TIME_FORMAT", "14:05"),
        ("YEAR_MONTH_FORMAT", "December 2026"),
        ("DAY_DATE_FORMAT", "Sun 6 Dec 2026"),
        ("DAY_DATETIME_FORMAT", "Sun 6 Dec 2026, 14:05"),
        ("DATETIME_SECONDS_FORMAT", "6 Dec 2026, 14:05:09"),
        ("MONTH_FORMAT", "Dec"),
        ("WEEKDAY_FORMAT", "Sunday"),
    ],
)
def test_english_dates_are_day_month_year(name: str, expected: str) -> None:
    moment = datetime(2026, 12, 6, 14, 5, 9, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):
        assert formats.date_format(moment, name) == expected
        assert Template('{{ moment|date:"' + name + '" }}').render(Context({"moment": moment})) == expected


def test_english_plain_filters_and_times_follow_the_same_style() -> None:
    with translation.override("en"):
        rendered = Template("{{ day|date }} · {{ at|time }} · {{ at|time:'TIME_FORMAT' }}").render(
            Context({"day": date(2026, 12, 6), "at": time(9, 30)})
        )
    assert rendered == "6 Dec 2026 · 09:30 · 09:30"
