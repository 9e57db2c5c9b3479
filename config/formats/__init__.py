"""Ascend's date and time formats per language (``FORMAT_MODULE_PATH``): one style for each
kind of date, chosen by the active language. Templates name a format
(``|date:"DATE_FORMAT"``) and Python calls ``django.utils.formats.date_format(value,
"DATE_FORMAT")`` — never a literal format string (``core/tests/test_date_formats.py``).

Besides Django's own names each language's module defines :data:`EXTRA_FORMATS`."""

#: Ascend's own named formats, defined by every language's module.
EXTRA_FORMATS = (
    "DAY_DATE_FORMAT",
    "DAY_DATETIME_FORMAT",
    "DATETIME_SECONDS_FORMAT",
    "MONTH_FORMAT",
    "WEEKDAY_FORMAT",
)
