"""Finding time across instruments: which ones could this person book for a window?"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from booking.bookable import bookable_resources
from booking.forms import FindForm
from labitory.clock import facility_zone

PER_PAGE = 20


@login_required
@require_safe
def find(request: HttpRequest) -> HttpResponse:
    """Every matching instrument is judged (so the count of free ones is true); the results
    are shown a page at a time, bookable ones first."""
    searched = bool(request.GET)
    form = FindForm(request.GET if searched else None)
    context = {"form": form, "zone": facility_zone(), "candidates": None, "page_obj": None}
    if searched and form.is_valid():
        window = form.cleaned_data
        candidates = bookable_resources(
            user=request.user,
            start=window["starts_at"],
            end=window["ends_at"],
            now=timezone.now(),
            category_slug=window["category"],
            lab_slug=window["lab"],
        )
        context["candidates"] = candidates
        context["page_obj"] = Paginator(candidates, PER_PAGE).get_page(request.GET.get("page"))
        context["bookable"] = sum(candidate.bookable for candidate in candidates)
    return render(request, "booking/find.html", context)
