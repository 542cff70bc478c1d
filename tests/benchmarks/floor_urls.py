"""The site's URLs and, before them, the floors the benchmarks time pages and the API
against. Served only by the benchmarks' gunicorn (floor_settings.py), never by the product.

  /bench/hello       a bare Django view: the middleware and gunicorn alone
  /bench/bookings    a booking row created from the same JSON as POST /api/v1/bookings/,
                     authenticated by the same personal API token, with no rules, no log,
                     no outbox and no serializer: the database's insert (and its exclusion
                     constraint: a taken slot is a 409) and the token's look-up alone
"""

import datetime
import json

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.request import Request

from booking.models import Booking
from labitory import urls
from labitory.api.authentication import BearerTokenAuthentication


def hello(request):
    return HttpResponse("Hello", content_type="text/plain")


@csrf_exempt
def bare_booking(request):
    user, _ = BearerTokenAuthentication().authenticate(Request(request))
    data = json.loads(request.body)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                resource_id=data["resource"],
                project_id=data["project"],
                user=user,
                start=datetime.datetime.fromisoformat(data["start"]),
                end=datetime.datetime.fromisoformat(data["end"]),
                note=data.get("note", ""),
                status=Booking.Status.CONFIRMED,
            )
    except IntegrityError:
        return JsonResponse({"code": "slot_taken"}, status=409)
    return JsonResponse({"id": booking.pk}, status=201)


urlpatterns = [
    path("bench/hello", hello),
    path("bench/bookings", bare_booking),
    *urls.urlpatterns,
]
