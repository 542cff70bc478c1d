"""Accepting a policy: a user agrees to the version of a policy page that is published now."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from booking.models import PolicyAcceptance, RequiredPolicy
from labitory.refusals import Refused
from people.models import User


class PolicyUnavailable(Refused):
    """The page is not a published policy to accept, so nothing can be recorded."""


def accept_policy(
    *, user: User, policy_page_id: int, now: datetime.datetime | None = None
) -> PolicyAcceptance:
    """Record that the user accepted the policy's live revision; accepting twice is harmless.

    Raises PolicyUnavailable unless the page is live, has a published revision and is a
    policy to accept: one that a resource requires (the one source of truth for that).
    """
    now = now or timezone.now()
    page = Page.objects.live().filter(pk=policy_page_id).first()
    required = RequiredPolicy.objects.filter(policy_id=policy_page_id).exists()
    if page is None or page.live_revision_id is None or not required:
        raise PolicyUnavailable(
            "policy_unavailable", f"Page {policy_page_id} is not a published policy to accept."
        )
    with transaction.atomic():
        acceptance, created = PolicyAcceptance.objects.get_or_create(
            user=user,
            revision_id=page.live_revision_id,
            defaults={"policy": page, "accepted_at": now},
        )
        if created:
            log(
                instance=page,
                action="booking.policy_accepted",
                user=user,
                data={"revision": page.live_revision_id},
            )
    return acceptance
