"""Finding time across instruments: which ones could this person book for a window?"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from booking.forms import FindForm
from booking.queries import bookable_resources
from labitory.clock import facility_zone


@login_required
@require_safe
def find(request: HttpRequest) -> HttpResponse:
    searched = bool(request.GET)
    form = FindForm(request.GET if searched else None)
    candidates = None
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
    context = {"form": form, "candidates": candidates, "zone": facility_zone()}
    return render(request, "booking/find.html", context)
