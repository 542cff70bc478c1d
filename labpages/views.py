"""Public views that are not pages: site search."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .queries import site_search


def search(request):
    text = request.GET.get("q", "")
    results = Paginator(site_search(text), 10).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "labpages/search.html", {"query": text.strip(), "results": results}
    )
