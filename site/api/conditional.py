"""Conditional GET for the API's reads: every answer to a GET under /api/ carries an ETag, a
digest of its body, and a request whose If-None-Match names it gets 304 with no body.

The digest is taken from the answer just written, so it can never vouch for a stale copy:
a booking that changed changes the body, and so the ETag. It saves the caller the transfer
and the parsing, not the server the reading.
"""

from django.middleware.http import ConditionalGetMiddleware

API_PREFIX = "/api/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
