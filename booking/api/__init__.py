"""The REST API under /api/v1/: a thin translation layer over the booking services.

Views parse input, call one service, and render the result; they never write models.
Errors are JSON with a stable `code` (see errors.py).
"""
