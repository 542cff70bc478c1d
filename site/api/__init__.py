"""The REST API under /api/v1/, the project's shared layer: routes (urls.py), sign-in
(authentication.py), throttling, paging, input fields, one error shape (errors.py) and the
OpenAPI schema.

Each app's `api/` holds only its serializers, filters and viewsets; views parse input, call
one service and render the result; they never write models.
"""
