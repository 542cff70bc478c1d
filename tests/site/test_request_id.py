"""Each request has an id: nginx's when it is sane, else a new one; returned in a header."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from structlog.contextvars import bind_contextvars, get_contextvars

from labitory.request_id import RequestIdMiddleware

NGINX_ID = "4f2a9c0e7b1d4e6f8a3b5c7d9e1f2a3b"


def bound_during(request) -> dict:
    seen = {}

    def view(request):
        seen.update(get_contextvars())
        return HttpResponse()

    response = RequestIdMiddleware(view)(request)
    return {"bound": seen, "header": response["X-Request-ID"]}


def test_a_request_returns_the_id_nginx_sent(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": NGINX_ID})

    assert response["X-Request-ID"] == NGINX_ID


def test_a_request_without_an_id_is_given_a_new_one_each_time(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize(
    "forged",
    ["short", "x" * 129, "id with spaces", "id\nINFO forged log line", "<script>", "ü" * 16],
)
def test_an_id_that_is_not_sane_is_replaced(forged):
    seen = bound_during(RequestFactory().get("/", headers={"X-Request-ID": forged}))

    assert seen["header"] != forged
    assert re.fullmatch(r"[0-9a-f]{32}", seen["header"])


def test_the_id_is_bound_for_log_lines_while_the_request_is_served():
    seen = bound_during(RequestFactory().get("/", headers={"X-Request-ID": NGINX_ID}))

    assert seen["bound"] == {"request_id": NGINX_ID}


def test_nothing_from_an_earlier_request_lingers_in_the_thread():
    bind_contextvars(request_id="left-over-from-before", user="someone")

    seen = bound_during(RequestFactory().get("/"))

    assert seen["bound"] == {"request_id": seen["header"]}
    assert get_contextvars() == {}
