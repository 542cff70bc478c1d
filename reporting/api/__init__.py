"""The money part of the REST API (/api/v1/usage/, /api/v1/statements/): read only, for
finance staff and for PIs about their own projects (reporting/permissions.py decides).
Statement PDFs are downloaded through the site's guarded view, which the API links to.
Registered on the API's router in booking/api/urls.py."""
