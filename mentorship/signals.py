"""Facts mentorship announces to the apps above it (sent after the transaction commits)."""

from django.dispatch import Signal

# kwargs: session_id, mentor_id, mentee_id — a mentorship session was marked completed.
session_completed = Signal()
# kwargs: mentor_profile_id, user_id — staff verified a mentor.
mentor_verified = Signal()
