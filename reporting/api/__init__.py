"""The money part of the REST API (/api/v1/usage/, /api/v1/statements/): read only, for
finance staff and for PIs about their own projects (reporting/permissions.py decides).
Statement PDFs are downloaded at statements/{id}/download/, which shares the site's guarded view.
Registered on the API's router in site/api/urls.py (labitory.api.urls)."""
