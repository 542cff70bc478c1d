"""The OpenAPI schema: only /api/v1/, with every operation's error responses documented."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .errors import ErrorSerializer

API_PREFIX = "/api/v1/"

ERRORS = {
    400: "The input cannot be read (`invalid`, or `invalid_datetime` for a time without a UTC "
    "offset), or the booking breaks a rule (`code` names it; every broken rule is in "
    "`problems`).",
    403: "Not signed in (`not_authenticated`), CSRF token missing (`csrf_failed`), or not "
    "allowed (`permission_denied`).",
    404: "No such object or page, or not yours (`not_found`).",
    409: "The slot is taken (`slot_taken`), it overlaps your own booking "
    "(`overlaps_own_booking`), or the booking's status does not allow this "
    "(`illegal_transition`).",
    429: "Too many requests (`throttled`): retry after the Retry-After header's seconds.",
}


def only_api_v1(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: leave out every endpoint outside /api/v1/
    (Wagtail's admin API among them)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses an operation can give, all of the shape in errors.py."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation["responses"]
        for http in self.error_statuses():
            responses.setdefault(
                str(http),
                {"content": {"application/json": {"schema": error}}, "description": ERRORS[http]},
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self) -> list[int]:
        action = getattr(self.view, "action", None)
        statuses = [403, 429]
        if action != "retrieve":
            statuses.append(400)
        if "{" in self.path or action == "list":
            statuses.append(404)
        if self.method in ("POST", "PATCH", "PUT", "DELETE"):
            statuses.append(409)
        return sorted(statuses)


class LabitorySessionScheme(SessionScheme):
    target_class = "booking.api.authentication.SessionAuthentication"
