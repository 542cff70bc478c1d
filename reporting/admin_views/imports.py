"""Importing projects, users and rate cards from CSV or XLSX: a dry run first that shows
every row's errors, then the real import in one transaction (a bad file writes nothing).

import-export has no Wagtail integration (its own admin drags in Django admin's jQuery), so
this is a small view around its resources.
"""

import base64

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..resources import IMPORTABLE

MAX_BYTES = 2 * 1024 * 1024
FORMATS = {"csv": "csv", "xlsx": "xlsx"}
PERMISSIONS = {
    "projects": "people.add_project",
    "users": "people.add_user",
    "rate-cards": "reporting.add_ratecard",
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in IMPORTABLE.items()], label="What to import"
    )
    file = forms.FileField(
        required=False, help_text="A .csv (UTF-8) or .xlsx file whose first row names the columns."
    )
    payload = forms.CharField(required=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("The file is larger than 2 MB.")
            cleaned["raw"], cleaned["filename"] = upload.read(), upload.name
        elif cleaned.get("payload"):
            cleaned["raw"] = base64.b64decode(cleaned["payload"])
        else:
            raise forms.ValidationError("Choose a file to import.")
        extension = (cleaned.get("filename") or "").rsplit(".", 1)[-1].lower()
        if extension not in FORMATS:
            raise forms.ValidationError("Only .csv and .xlsx files can be imported.")
        try:
            cleaned["dataset"] = read_dataset(cleaned["raw"], extension)
        except Exception as error:  # tablib raises many kinds for a malformed file
            raise forms.ValidationError(
                f"The file could not be read as {extension}: {error}"
            ) from error
        return cleaned


def read_dataset(raw: bytes, extension: str) -> tablib.Dataset:
    if extension == "csv":
        return tablib.Dataset().load(raw.decode("utf-8-sig"), format="csv")
    return tablib.Dataset().load(raw, format="xlsx")


def field_error(resource, row, field: str, messages: list[str]) -> str:
    """'Column "hourly_rate", value "12,5": Enter a number.' The column as the file names it,
    and what the row held there."""
    column = resource.fields[field].column_name if field in resource.fields else field
    if column not in row.row_values:
        return f"{column}: {' '.join(messages)}"
    return f'Column "{column}", value "{row.row_values[column]}": {" ".join(messages)}'


def row_reports(result, resource) -> list[dict]:
    """Each row's outcome and messages, for the preview table."""
    reports = []
    for number, row in enumerate(result.rows, start=1):
        errors = [str(error.error) for error in row.errors]
        if row.validation_error is not None:
            errors += [
                field_error(resource, row, field, messages)
                for field, messages in row.validation_error.message_dict.items()
            ]
        reports.append({"number": number, "action": row.import_type, "errors": errors})
    for error in result.base_errors:
        reports.append({"number": "—", "action": "error", "errors": [str(error.error)]})
    return reports


class ImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "reporting/admin/import.html"
    form_class = ImportForm
    page_title = "Import"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not any(request.user.has_perm(p) for p in PERMISSIONS.values()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Import"}]

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        if not self.request.user.has_perm(PERMISSIONS[kind]):
            form.add_error("kind", "You may not import these records.")
            return self.form_invalid(form)
        resource = IMPORTABLE[kind][1]()
        confirm = "confirm" in self.request.POST and form.cleaned_data.get("payload")
        result = resource.import_data(
            form.cleaned_data["dataset"],
            dry_run=not confirm,
            raise_errors=False,
            use_transactions=True,
            user=self.request.user,
        )
        failed = result.has_errors() or result.has_validation_errors()
        if confirm and not failed:
            totals = result.totals
            messages.success(
                self.request,
                f"Imported {IMPORTABLE[kind][0].lower()}: {totals.get('new', 0)} new, "
                f"{totals.get('update', 0)} updated, {totals.get('skip', 0)} unchanged.",
            )
            return redirect(reverse("reporting_import"))
        context = self.get_context_data(form=form)
        context.update(
            preview=row_reports(result, resource),
            failed=failed,
            totals=result.totals,
            payload=base64.b64encode(form.cleaned_data["raw"]).decode(),
            filename=form.cleaned_data["filename"],
            kind=kind,
            kind_label=IMPORTABLE[kind][0],
        )
        return self.render_to_response(context)


def import_template(request, kind: str) -> HttpResponse:
    """An empty CSV with the columns an import of `kind` reads, to fill in and upload."""
    if kind not in IMPORTABLE:
        raise Http404
    if not request.user.has_perm(PERMISSIONS[kind]):
        raise PermissionDenied
    columns = [field.column_name for field in IMPORTABLE[kind][1]().get_import_fields()]
    response = HttpResponse(",".join(columns) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
