"""Every API error as JSON of one shape:

    {"code": "slot_taken", "message": "…", "problems": [{"code", "message", "field"}]}

`code` is stable for clients to branch on:

- a service's refusal (labitory.refusals.Refused): the rule's code (`slot_taken`,
  `too_long`, `not_qualified`, `already_decided`, `illegal_transition`, …), with the HTTP
  status the one table in labitory/refusals.py gives it (409 for a conflict, 400 otherwise);
  every problem is listed in `problems`; for a series none of whose occurrences can be
  booked, every occurrence's problems, each `field` prefixed with `occurrences.<n>`;
- a recurrence that cannot be used: `invalid_recurrence`, 400;
- input that cannot be read: `invalid`, 400, with one problem per bad value; when every
  problem is a bad time (`invalid_datetime`) or a bad window (`ends_before_start`,
  `window_too_long`), that code;
- DRF's own codes otherwise: `not_authenticated`, `csrf_failed`, `permission_denied`,
  `not_found`, `method_not_allowed`, `parse_error`, `unsupported_media_type`, `throttled`.
"""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from booking.recurrence import InvalidRule
from labitory.refusals import Problem, Refused

NAMED_INPUT_CODES = frozenset(
    {"invalid_datetime", "ends_before_start", "window_too_long", "invalid_recurrence"}
)
NON_FIELD_KEYS = frozenset({api_settings.NON_FIELD_ERRORS_KEY, "__all__"})


def error_body(code: str, message: str, problems: list[dict] | None = None) -> dict:
    return {"code": code, "message": message, "problems": problems or []}


def refused_response(refused: Refused) -> Response:
    problems = [_problem(problem) for problem in refused.reported()]
    return Response(error_body(refused.code, refused.message, problems), status=refused.status)


def _problem(problem: Problem) -> dict:
    return {"code": problem.code, "message": problem.message, "field": problem.field}


def input_problems(detail, field: str | None = None) -> Iterator[dict]:
    """DRF's nested error detail as a flat list of problems, fields as dotted paths."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = field if key in NON_FIELD_KEYS else ".".join(filter(None, [field, str(key)]))
            yield from input_problems(value, name)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            yield from input_problems(item, f"{field}.{index}" if nested and field else field)
    else:
        code = getattr(detail, "code", None) or "invalid"
        yield {"code": code, "message": str(detail), "field": field}


def invalid_body(detail) -> dict:
    problems = list(input_problems(detail))
    codes = {p["code"] for p in problems}
    code = codes.pop() if len(codes) == 1 and codes <= NAMED_INPUT_CODES else "invalid"
    if len(problems) == 1:
        only = problems[0]
        message = f"{only['field']}: {only['message']}" if only["field"] else only["message"]
    else:
        message = _("Some values were not accepted: see problems.")
    return error_body(code, message, problems)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every service's refusal and every API error, as JSON."""
    if isinstance(exc, Refused):
        return refused_response(exc)
    if isinstance(exc, InvalidRule):
        exc = exceptions.ValidationError({"repeat": [str(exc)]}, code="invalid_recurrence")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = invalid_body(exc.detail)
    elif isinstance(exc.detail, dict | list):
        response.data = invalid_body(exc.detail) | {"code": _code(exc)}
    else:
        response.data = error_body(_code(exc), str(exc.detail))
    return response


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any /api/ path no endpoint answers: a JSON 404, not the page tree's HTML one."""
    message = _("There is no API endpoint at %(path)s.") % {"path": request.path}
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message += " " + _("Did you mean %(path)s/?") % {"path": request.path}
    return JsonResponse(error_body("not_found", message), status=status.HTTP_404_NOT_FOUND)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    """The shape of every error response (documented in the schema)."""

    code = serializers.CharField(help_text="Stable machine code, e.g. slot_taken.")
    message = serializers.CharField(help_text="For people.")
    problems = ProblemSerializer(many=True)
