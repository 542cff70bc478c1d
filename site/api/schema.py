"""The OpenAPI schema: only /api/v1/, with every operation's error responses documented."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .errors import ErrorSerializer

API_PREFIX = "/api/v1/"

ERRORS = {
    400: "The input cannot be read (`invalid`, `invalid_datetime` for a time without a UTC "
    "offset, `invalid_recurrence` for a repetition that cannot be used), the booking breaks a "
    "rule (`code` names it; every broken rule is in `problems`, for a series each field "
    "prefixed `occurrences.<n>`), or a rejection has no comment (`comment_required`).",
    401: "No credentials (`not_authenticated`) or an API token that is not valid, has expired "
    "or was revoked (`invalid_token`).",
    403: "CSRF token missing (`csrf_failed`), a read-only token used to write "
    "(`token_read_only`), a staff session without two-factor (`second_factor_required`), or "
    "not allowed (`permission_denied`, e.g. staff changing someone else's booking).",
    404: "No such object or page, or not yours (`not_found`).",
    409: "The slot is taken (`slot_taken`), it overlaps your own booking "
    "(`overlaps_own_booking`), the booking's status does not allow this "
    "(`illegal_transition`), check-in is not open yet or has closed (`check_in_not_open`, "
    "`check_in_closed`), the booking is not checked in (`not_checked_in`), or an approval "
    "step or request is already decided "
    "(`already_decided`, `request_approved`, `request_rejected`, `request_cancelled`, "
    "`request_expired`).",
    429: "Too many requests (`throttled`): retry after the Retry-After header's seconds.",
}


def _example(code: str, message: str, problems: list[dict] | None = None) -> dict:
    return {"value": {"code": code, "message": message, "problems": problems or []}}


# One example body per error status, shown beside the schema in the docs.
EXAMPLES = {
    400: _example(
        "invalid",
        "start: Add a UTC offset (e.g. +01:00, or Z for UTC): without one the time is ambiguous.",
        [{"code": "invalid_datetime", "message": "Add a UTC offset …", "field": "start"}],
    ),
    401: _example("not_authenticated", "Authentication credentials were not provided."),
    403: _example("token_read_only", "This API token is read only."),
    404: _example("not_found", "No Booking matches the given query."),
    409: _example(
        "slot_taken",
        "Someone else has booked that time. Choose another slot.",
        [{"code": "slot_taken", "message": "Someone else has booked that time.", "field": None}],
    ),
    429: _example("throttled", "Request was throttled. Expected available in 12 seconds."),
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
                {
                    "content": {
                        "application/json": {
                            "schema": error,
                            "examples": {"Example": EXAMPLES[http]},
                        }
                    },
                    "description": ERRORS[http],
                },
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self) -> list[int]:
        action = getattr(self.view, "action", None)
        statuses = [401, 403, 429]
        if action != "retrieve":
            statuses.append(400)
        # A create that names a person or object by id in its body (`booked_for`) says so.
        names_by_id = action == "create" and getattr(self.view, "create_names_by_id", False)
        if "{" in self.path or action == "list" or names_by_id:
            statuses.append(404)
        if self.method in ("POST", "PATCH", "PUT", "DELETE"):
            statuses.append(409)
        return sorted(statuses)


class LabitorySessionScheme(SessionScheme):
    target_class = "labitory.api.authentication.SessionAuthentication"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "labitory.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Account → API tokens), e.g. `lbt_…`. "
            "Read-only tokens are refused for writes (`token_read_only`).",
        }
