"""Accepting a policy: a user agrees to the version of a policy page that is published now."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from booking.models import PolicyAcceptance, RequiredPolicy
from labitory.refusals import Refused
from people.models import User


class PolicyUnavailable(Refused):
    """The page is not a published policy to accept, so nothing can be recorded."""


def is_required(page: Page) -> bool:
    """Whether some resource requires this policy page, or the policy it translates."""
    return RequiredPolicy.objects.filter(policy__translation_key=page.translation_key).exists()


def accept_policy(
    *, user: User, policy_page_id: int, now: datetime.datetime | None = None
) -> PolicyAcceptance:
    """Record that the user accepted the policy's live revision; accepting twice is harmless.
    The page may be a translation of the policy a resource requires: accepting the version in
    one's own language meets the requirement (booking.queries.accepted_policies).

    Raises PolicyUnavailable unless the page is live, has a published revision and is a
    policy to accept: one that a resource requires, or a translation of one.
    """
    now = now or timezone.now()
    page = Page.objects.live().filter(pk=policy_page_id).first()
    if page is None or page.live_revision_id is None or not is_required(page):
        raise PolicyUnavailable(
            "policy_unavailable",
            _("Page %(page)s is not a published policy to accept.") % {"page": policy_page_id},
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
