"""Booking on public pages: the availability panel and booking side panel of an instrument
page, and accepting a policy on its page. Pages load these tags; the domain never imports
pages."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from booking.availability import DAY, VIEWS, WEEK, availability
from booking.explain import duration, rule_sentences, standing
from booking.forms import format_local
from booking.models import PolicyAcceptance, Resource
from booking.permissions import can_manage_lab
from booking.services.policies import is_required
from booking.time_grid import time_grid
from labitory.clock import facility_zone

register = template.Library()

# How far from today the availability view may be moved: far enough for any horizon.
REACH = datetime.timedelta(days=5 * 366)


def chosen_day(value: str | None, today: datetime.date) -> datetime.date:
    """The ?day= of the availability view, or today when it is missing, garbled or absurd."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return today
    return day if abs(day - today) <= REACH else today


def _access(request, resource: Resource) -> dict:
    """What the signed-in person still needs before booking the resource, read once per
    request however many panels ask."""
    if not request.user.is_authenticated:
        return {}
    cache = request.__dict__.setdefault("_booking_access", {})
    if resource.pk not in cache:
        cache[resource.pk] = standing(resource, request.user, now=timezone.now())
    return cache[resource.pk]


@register.inclusion_tag("booking/includes/availability.html", takes_context=True)
def booking_panel(context, resource: Resource) -> dict:
    """Free slots and busy time of the resource for the day or week the query string asks."""
    request = context["request"]
    now = timezone.now()
    zone = facility_zone()
    today = now.astimezone(zone).date()
    view = request.GET.get("view", WEEK)
    view = view if view in VIEWS else WEEK
    shown = availability(
        resource,
        day=chosen_day(request.GET.get("day"), today),
        view=view,
        viewer=request.user,
        now=now,
    )
    access = _access(request, resource)
    return {
        "request": request,
        "user": request.user,
        "resource": resource,
        "availability": shown,
        "grid": time_grid(shown),
        "choosable": not access.get("cannot_book_yet", False),
        "new_url": reverse("booking:new", args=[resource.pk]),
        "now": now,
        "zone": zone,
        "DAY": DAY,
        "WEEK": WEEK,
        **access,
    }


@register.inclusion_tag("booking/includes/rules_panel.html", takes_context=True)
def booking_rules_panel(context, resource: Resource) -> dict:
    """The resource's rules in words and, for a signed-in person, what they still need."""
    request = context["request"]
    result = {
        "request": request,
        "user": request.user,
        "resource": resource,
        "rules": rule_sentences(resource),
        "new_url": reverse("booking:new", args=[resource.pk]),
    }
    result.update(_access(request, resource))
    return result


@register.inclusion_tag("booking/includes/policy_acceptance.html", takes_context=True)
def policy_acceptance(context, page) -> dict:
    """On a policy page: accept its current version, or when it was accepted."""
    request = context["request"]
    acceptable = is_required(page)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    result = {
        "request": request,
        "user": request.user,
        "page": page,
        "acceptable": acceptable,
        "back": back,
    }
    if acceptable and request.user.is_authenticated and page.live_revision_id:
        mine = PolicyAcceptance.objects.filter(user=request.user, policy_id=page.pk)
        result["current"] = mine.filter(revision_id=page.live_revision_id).first()
        result["earlier"] = None if result["current"] else mine.first()
    return result


@register.filter
def local_iso(moment: datetime.datetime) -> str:
    """A moment as the booking form's URL parameters carry it: 2030-03-05T09:30."""
    return format_local(moment)


@register.filter
def minutes_between(booking) -> str:
    """How long a booking lasts, in words."""
    return duration(int((booking.end - booking.start).total_seconds() // 60))


@register.filter
def local(moment: datetime.datetime) -> datetime.datetime:
    """A moment in the facility's zone, for comparing local dates in templates."""
    return moment.astimezone(facility_zone())


@register.filter
def resource_page(resource: Resource):
    """The live page that presents the resource, or None."""
    page = getattr(resource, "page", None)
    return page if page is not None and page.live else None


@register.filter
def offer_open(entry, now: datetime.datetime) -> bool:
    """Whether a waiting-list entry holds an offer that can still be accepted at `now`."""
    return (
        entry.status == "offered"
        and entry.offer_expires_at is not None
        and now < entry.offer_expires_at
    )


@register.simple_tag(takes_context=True)
def can_print_sign(context, resource: Resource) -> bool:
    """Whether the viewer coordinates the resource's lab: they reach its sign and kiosk."""
    request = context.get("request")
    return bool(request and resource and can_manage_lab(request.user, resource.lab))


@register.simple_tag(takes_context=True)
def book_for_url(context, resource: Resource) -> str:
    """Where the lab's staff book this resource for a researcher (the admin's form, with the
    resource chosen), or "" for anyone else."""
    request = context.get("request")
    if not (
        request and resource and resource.is_active and can_manage_lab(request.user, resource.lab)
    ):
        return ""
    return f"{reverse('wagtailsnippets_booking_booking:book_for')}?resource={resource.pk}"
