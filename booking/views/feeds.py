"""Calendar feeds over HTTP: the secret-token .ics URL, and the page that issues feeds."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from booking import ics
from booking.models import CalendarFeed, Resource
from booking.services.feeds import issue_feed, revoke_feed


class FeedRequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CalendarFeed.Kind.choices,
        initial=CalendarFeed.Kind.PERSONAL,
        widget=forms.RadioSelect,
    )
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a resource",
        widget=forms.Select(attrs={"class": "select"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == CalendarFeed.Kind.PERSONAL:
            data["resource"] = None
        elif data.get("kind") == CalendarFeed.Kind.RESOURCE and not data.get("resource"):
            self.add_error("resource", "Choose the resource whose busy times you want.")
        return data


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed's calendar; an unknown or replaced token is a plain 404."""
    feed = (
        CalendarFeed.objects.select_related("owner", "resource__lab")
        .filter(token_hash=CalendarFeed.hash_token(token))
        .first()
    )
    if feed is None or not feed.owner.is_active:
        return HttpResponseNotFound("No such calendar feed.", content_type="text/plain")
    # Calendar clients poll all day: one that holds the current feed gets a 304 without it
    # being written again. Weak, since DTSTAMP (the moment of writing) differs.
    now = timezone.now()
    etag = f'W/"{ics.feed_version(feed, now=now)}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        ics.feed_ics(feed, now=now), content_type="text/calendar; charset=utf-8"
    )
    response["ETag"] = etag
    response["Content-Disposition"] = 'inline; filename="labitory.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feeds(request: HttpRequest) -> TemplateResponse:
    """Your feeds; posting issues (or regenerates) one and shows its URL this once."""
    form = FeedRequestForm(request.POST or None, initial={"resource": request.GET.get("resource")})
    context = {"form": form, "feeds": request.user.calendar_feeds.select_related("resource")}
    if request.method != "POST":
        return TemplateResponse(request, "booking/feeds/calendar_feeds.html", context)
    if not form.is_valid():
        return TemplateResponse(request, "booking/feeds/calendar_feeds.html", context, status=400)
    feed, token = issue_feed(
        owner=request.user, kind=form.cleaned_data["kind"], resource=form.cleaned_data["resource"]
    )
    url = request.build_absolute_uri(reverse("booking_feeds:feed", kwargs={"token": token}))
    context.update(
        issued=feed, feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1], form=None
    )
    response = TemplateResponse(request, "booking/feeds/calendar_feeds.html", context)
    # The secret is shown once: no cache may keep the page.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def stop_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop one of your feeds; another person's feed id is a 404."""
    feed = get_object_or_404(CalendarFeed, pk=pk, owner=request.user)
    revoke_feed(feed=feed, by=request.user)
    messages.success(request, "That calendar address no longer works.")
    return redirect("booking_feeds:manage")
