"""Statements on the public site: a PI's list of their projects' statements, and the
download that finance staff and PIs share. Anyone else gets a 404, whatever id they try."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from labitory.private_files import file_response
from people.models import User

from .models import Statement
from .permissions import can_download_statement, statements_for


@login_required
@require_GET
def my_statements(request: HttpRequest) -> HttpResponse:
    statements = statements_for(request.user).filter(status=Statement.Status.READY)
    return render(request, "reporting/my_statements.html", {"statements": statements[:200]})


@login_required
@require_GET
def download_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    return statement_file(request.user, pk)


def statement_file(user: User, pk: int) -> HttpResponseBase:
    """The stored PDF, if this person may have it; a 404 otherwise (not a 403: the id of a
    statement someone else may see is not confirmed to exist). The site and the API share it;
    it is the only way to a statement's file, which no URL reaches (labitory.private_files)."""
    statement = (
        Statement.objects.select_related("period", "project", "department")
        .filter(pk=pk, status=Statement.Status.READY)
        .first()
    )
    if statement is None or not statement.file or not can_download_statement(user, statement):
        raise Http404("No such statement.")
    response = file_response(
        statement.file, filename=statement.filename, content_type="application/pdf"
    )
    response["X-Content-SHA256"] = statement.sha256
    return response
