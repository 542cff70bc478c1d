"""The booking screens of the Wagtail admin: forms, filters, views and viewsets.

`booking/wagtail_hooks.py` registers them; every screen is scoped to the user's labs by
`booking.permissions.LabScopedPermissionPolicy`.
"""
