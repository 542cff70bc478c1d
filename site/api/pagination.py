"""How list endpoints page (a settings-level class: it imports nothing of the API)."""

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.serializers import ValidationError


def _whole_number(raw: str | None, name: str, largest: int | None = None) -> int | None:
    """`raw` as a whole number from 1 (to `largest`), None when absent; anything else, an
    empty value included, is a 400 as the schema says."""
    if raw is None:
        return None
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    if number >= 1 and (largest is None or number <= largest):
        return number
    if largest:
        message = _("Use a whole number from 1 to %(largest)s.") % {"largest": largest}
    else:
        message = _("Use a whole number from 1.")
    raise ValidationError({name: message}, code="invalid")


class Pagination(PageNumberPagination):
    """Pages of 50 (`page_size` from 1 to 200); any other page or page size is a 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return _whole_number(request.query_params.get(self.page_query_param), "page") or 1

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        return _whole_number(raw, "page_size", self.max_page_size) or self.page_size

    def get_schema_operation_parameters(self, view):
        page, size = super().get_schema_operation_parameters(view)
        page["schema"]["minimum"] = 1
        size["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return [page, size]
