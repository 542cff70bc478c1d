"""My bookings: the agenda of what is to come (by day, a series once), past and cancelled
bookings (paged), and a month grid whose booked days open that day's bookings.

Each row's actions come from the rule that governs them: permissions.can_change_booking,
permissions.can_cancel_booking and attendance.check_in_problem.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from booking import agenda, queries
from booking.forms import MyBookingsFilter
from booking.models import Booking, Resource
from booking.permissions import can_cancel_booking, can_change_booking
from booking.services.attendance import check_in_problem
from booking.views.bookings import again_url
from labitory.clock import facility_zone
from people.models import User

PAGE_SIZE = 20
TABS = ("upcoming", "past", "month")


def actions(booking: Booking, user: User, now: datetime.datetime) -> dict:
    """What the person may do on one row, each answer from the rule that owns it."""
    return {
        "booking": booking,
        "can_change": can_change_booking(booking, now=now),
        "can_cancel": can_cancel_booking(booking, now=now),
        "can_check_in": check_in_problem(booking, user, now) is None,
        "can_check_out": booking.status == Booking.Status.CHECKED_IN,
        "again_url": again_url(booking, now),
    }


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tab = request.GET.get("show")
    tab = tab if tab in TABS else "upcoming"
    resources = list(
        Resource.objects.filter(bookings__user=request.user)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    filters = MyBookingsFilter(request.GET, resources=resources, upcoming=tab == "upcoming")
    chosen = {"status": filters.value("status") or "", "resource_id": filters.value("resource")}
    shown = {"upcoming": _upcoming, "past": _past, "month": _month}[tab]
    context = {
        "tab": tab,
        "filters": filters,
        "is_filtered": any(chosen.values()),
        "zone": facility_zone(),
        "now": now,
        **shown(request, now, chosen),
    }
    return render(request, "booking/my_bookings.html", context)


def _upcoming(request: HttpRequest, now: datetime.datetime, chosen: dict) -> dict:
    entries = agenda.collapsed(queries.upcoming_of(request.user, now=now, **chosen), now=now)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{**actions(e.booking, request.user, now), "entry": e} for e in page.object_list]
    days = agenda.by_day(
        rows, start=lambda row: row["booking"].start, now=now, zone=facility_zone()
    )
    waiting = list(queries.waiting_entries_of(request.user, now=now))
    return {"page_obj": page, "days": days, "waiting": waiting}


def _past(request: HttpRequest, now: datetime.datetime, chosen: dict) -> dict:
    page = Paginator(queries.finished_of(request.user, now=now, **chosen), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"page_obj": page, "rows": [actions(b, request.user, now) for b in page]}


def _month(request: HttpRequest, now: datetime.datetime, chosen: dict) -> dict:
    zone = facility_zone()
    today = now.astimezone(zone).date()
    first = agenda.parse_month(request.GET.get("month"), today=today)
    start, end = agenda.month_bounds(first, zone)
    context = {
        "month": first,
        "previous_month": (first - datetime.timedelta(days=1)).replace(day=1),
        "next_month": end.date(),
        "weeks": agenda.month_weeks(
            first, queries.days_booked(request.user, start, end, zone), today=today
        ),
    }
    day = agenda.parse_day(request.GET.get("day"))
    if day is not None:
        day_start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        bookings = queries.bookings_starting(
            request.user, day_start, day_start + datetime.timedelta(days=1)
        )
        context |= {"day": day, "rows": [actions(b, request.user, now) for b in bookings]}
    return context
