"""The approvals part of the REST API (/api/v1/approvals/): an approver's open tasks and
their decisions, through `workflows.approvals.decide` like the site's screens. Registered on
the API's router in site/api/urls.py (labitory.api.urls)."""
