"""Booking approvals (rules, chains, delegation, escalation) and notifications."""
