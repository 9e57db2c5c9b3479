"""English: the day before the month, the month as a short name, a 24-hour clock.

Formats not named here (the input formats, numbers) are Django's own for English."""

DATE_FORMAT = "j M Y"  # 6 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 6 Dec 2026, 14:30
SHORT_DATE_FORMAT = "j M"  # 6 Dec — where the year goes without saying (chart ticks, this week)
SHORT_DATETIME_FORMAT = "j M, H:i"  # 6 Dec, 14:30
TIME_FORMAT = "H:i"  # 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j M"  # 6 Dec

# Ascend's own (config.formats.EXTRA_FORMATS)
DAY_DATE_FORMAT = "D j M Y"  # Sun 6 Dec 2026 — a day's heading (a habit's tick, a reflection)
DAY_DATETIME_FORMAT = "D j M Y, H:i"  # Sun 6 Dec 2026, 14:30 — an appointment (a session, an event)
DATETIME_SECONDS_FORMAT = "j M Y, H:i:s"  # 6 Dec 2026, 14:30:05 — a record to the second (the audit log)
MONTH_FORMAT = "M"  # Dec — a month's label on a chart
WEEKDAY_FORMAT = "l"  # Sunday
