"""Mentor profiles, venues, mentorship sessions, feedback, reviews, mentor notes, community events."""
