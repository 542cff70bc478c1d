"""Error reports to Sentry, from the web processes and the Celery workers alike.

Settings call `init_sentry` when SENTRY_DSN is set. A worker loads the same settings when
it starts (before it forks its children), so one call here covers both. No personal data
is sent (no cookies, user details, request bodies or local variables); each event is
tagged with the request id its log lines carry (labitory.request_id).
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from labitory.request_id import current_request_id


def tag_request_id(event: dict, hint: dict) -> dict:
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        # No personal data: no cookies or user details, no request bodies (booking notes,
        # addresses) and no local variables of the failing frames.
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=tag_request_id,
    )
