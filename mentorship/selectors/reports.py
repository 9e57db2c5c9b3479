"""Mentorship's numbers on the staff reports (registered in ``MentorshipConfig.ready``):
sessions booked, held and cancelled, and attendance at events."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.reports import ReportMetric, ReportPeriod, bucket_series_one, period_totals
from mentorship.models import Event, EventAttendance, MentorshipSession
from mentorship.models.events import SEATED

Status = MentorshipSession.Status


def report_sessions(period: ReportPeriod) -> list[ReportMetric]:
    """Sessions booked in ``period`` (the mentor was asked to confirm then: a paid session
    once paid, so an abandoned checkout is no booking), held (completed in it), cancelled in
    it (after being booked) and missed (a no-show, of either side, starting in it), per
    bucket. Four queries."""
    sessions = MentorshipSession.objects.all()
    booked = bucket_series_one(sessions, field_name="requested_at", period=period, n=Count("pk"))["n"]
    held = bucket_series_one(
        sessions.filter(status=Status.COMPLETED), field_name="completed_at", period=period, n=Count("pk")
    )["n"]
    cancelled = bucket_series_one(
        sessions.filter(status=Status.CANCELLED, requested_at__isnull=False),
        field_name="cancelled_at",
        period=period,
        n=Count("pk"),
    )["n"]
    missed = period_totals(
        sessions,
        field_name="start_at",
        period=period,
        mentee=Count("pk", filter=Q(status=Status.NO_SHOW)),
        mentor=Count("pk", filter=Q(status=Status.MENTOR_NO_SHOW)),
    )
    return [
        ReportMetric("booked", _("Sessions booked"), sum(booked), series=booked),
        ReportMetric("held", _("Sessions held"), sum(held), series=held),
        ReportMetric("cancelled", _("Sessions cancelled"), sum(cancelled), series=cancelled),
        ReportMetric("mentee_no_show", _("Mentee did not show"), missed["mentee"]),
        ReportMetric("mentor_no_show", _("Mentor did not show"), missed["mentor"]),
    ]


def report_events(period: ReportPeriod) -> list[ReportMetric]:
    """Events that took place in ``period`` (scheduled, starting in it) with their seats
    taken, attendees and no-shows per bucket, and the events cancelled in it. Three queries."""
    attendance = bucket_series_one(
        EventAttendance.objects.filter(event__status=Event.Status.SCHEDULED),
        field_name="event__start_at",
        period=period,
        seated=Count("pk", filter=Q(status__in=SEATED)),
        attended=Count("pk", filter=Q(status=EventAttendance.Status.ATTENDED)),
        no_show=Count("pk", filter=Q(status=EventAttendance.Status.NO_SHOW)),
    )
    held = period_totals(
        Event.objects.filter(status=Event.Status.SCHEDULED), field_name="start_at", period=period, n=Count("pk")
    )["n"]
    cancelled = period_totals(Event.objects.all(), field_name="cancelled_at", period=period, n=Count("pk"))["n"]
    return [
        ReportMetric("events", _("Events held"), held),
        ReportMetric("seats", _("Seats taken"), sum(attendance["seated"]), series=attendance["seated"]),
        ReportMetric("attended", _("Attended"), sum(attendance["attended"]), series=attendance["attended"]),
        ReportMetric("no_show", _("Did not show"), sum(attendance["no_show"])),
        ReportMetric("cancelled_events", _("Events cancelled"), cancelled),
    ]
