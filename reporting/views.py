"""Statements on the public site: a PI's list of their projects' statements, and the
download that finance staff and PIs share. Anyone else gets a 404, whatever id they try."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
def download_statement(request: HttpRequest, pk: int) -> FileResponse:
    return statement_file(request.user, pk)


def statement_file(user: User, pk: int) -> FileResponse:
    """The stored PDF, if this person may have it; a 404 otherwise (not a 403: the id of a
    statement someone else may see is not confirmed to exist). The site and the API share it."""
    statement = (
        Statement.objects.select_related("period", "project", "department")
        .filter(pk=pk, status=Statement.Status.READY)
        .first()
    )
    if statement is None or not statement.file or not can_download_statement(user, statement):
        raise Http404("No such statement.")
    response = FileResponse(
        statement.file.open("rb"),
        as_attachment=True,
        filename=statement.filename,
        content_type="application/pdf",
    )
    response["X-Content-SHA256"] = statement.sha256
    response["Cache-Control"] = "private, no-store"
    return response
