"""Booking's part of the REST API: resources, their free time, and bookings.

Serializers and viewsets only; the shared layer (routes, sign-in, throttling, errors,
schema) is the project's, in labitory.api.
"""
