"""How list endpoints page (a settings-level class: it imports nothing of the API)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.serializers import ValidationError


class Pagination(PageNumberPagination):
    """Pages of 50 (`page_size` up to 200); a page that is not a number is a 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            return raw
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({"page": "A page is a whole number from 1."}, code="invalid")
        return raw
