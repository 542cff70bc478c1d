"""The demo facility: a newcomer's ready-made site, never part of a real one.

This app owns the demo's data (`content`), the code that turns it into records
(`facility`, then `bookings`, `approvals` and `billing` through the domain services), and
the commands `seed_demo` and `demo_code`. It sits above every other app: pages, booking,
approvals and reporting know nothing of it. Its commands refuse to run unless the settings
allow demo data (`DEMO_DATA_ALLOWED`, `demo.allowed`), so a production site never gets
its staff logins with printed passwords and a published authenticator key.
"""
