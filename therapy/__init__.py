"""Therapist profiles, client–therapist relationships, journal, therapy sessions, messages."""
