"""One id per request, in every log line and error report it causes, even in Celery workers.

The middleware takes the id nginx sends in X-Request-ID when it looks like one (nginx's
`$request_id` is 32 hex digits), or makes one; binds it into structlog's context variables;
and returns it in the response's X-Request-ID header. A task published while an id is bound
carries it in its message headers, and the worker binds it while the task runs.
"""

import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun
from structlog.contextvars import bind_contextvars, clear_contextvars, get_contextvars

HEADER = "X-Request-ID"
# Letters, digits and a few separators, of a sensible length: anything else (a header
# made up to forge or flood log lines) is replaced with an id of our own.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def request_id_from(header: str | None) -> str:
    if header and SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return get_contextvars().get("request_id")


class RequestIdMiddleware:
    """First in the middleware list, so that every other layer's log lines carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        # A server thread serves many requests: nothing bound for the last one may linger.
        clear_contextvars()
        bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            clear_contextvars()
        response[HEADER] = request_id
        return response


@before_task_publish.connect
def carry_request_id(headers: dict | None = None, **kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers["request_id"] = request_id


@task_prerun.connect
def bind_task_context(task_id: str, task, **kwargs) -> None:
    # An eager task runs inside the caller, whose context already has the request's id.
    if task.request.is_eager:
        return
    clear_contextvars()
    context = {"task_id": task_id, "task": task.name}
    request_id = getattr(task.request, "request_id", None)
    if request_id:
        context["request_id"] = request_id
    bind_contextvars(**context)


@task_postrun.connect
def clear_task_context(task, **kwargs) -> None:
    if not task.request.is_eager:
        clear_contextvars()
