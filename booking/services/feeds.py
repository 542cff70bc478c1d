"""Secret-token calendar feeds: a user's own bookings, or a resource's busy times."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from booking.models import CalendarFeed, Resource
from people.models import User


def issue_feed(
    *, owner: User, kind: str, resource: Resource | None = None
) -> tuple[CalendarFeed, str]:
    """Give the owner a feed for the subject, with a new secret token; returns both.

    Only a hash of the token is stored, so the caller shows the token (in the URL) once.
    Issuing again for the same subject replaces the token: the old URL stops working.
    A personal feed has no resource; a resource feed needs one (ValueError otherwise).
    """
    if kind == CalendarFeed.Kind.PERSONAL and resource is not None:
        raise ValueError("A personal feed covers the owner's bookings, not one resource.")
    if kind == CalendarFeed.Kind.RESOURCE and resource is None:
        raise ValueError("A resource feed needs a resource.")
    if kind not in CalendarFeed.Kind.values:
        raise ValueError(f"Unknown feed kind {kind!r}.")
    token = CalendarFeed.new_token()
    with transaction.atomic():
        # A personal feed has a NULL resource, which the unique constraint does not cover:
        # issuing one owner's feeds in turn keeps it to one per subject.
        User.objects.select_for_update().only("pk").get(pk=owner.pk)
        feed, created = CalendarFeed.objects.update_or_create(
            owner=owner,
            kind=kind,
            resource=resource,
            defaults={"token_hash": CalendarFeed.hash_token(token), "created_at": timezone.now()},
        )
        log(
            instance=feed,
            action="booking.feed.issued",
            user=owner,
            data={"kind": kind, "resource": resource.pk if resource else None, "new": created},
        )
    return feed, token


def revoke_feed(*, feed: CalendarFeed, by: User) -> None:
    """Stop a feed: its address answers 404 from now on. Only its owner may (ValueError)."""
    if feed.owner_id != by.pk:
        raise ValueError("Only the feed's owner may stop it.")
    with transaction.atomic():
        log(
            instance=feed,
            action="booking.feed.revoked",
            user=by,
            data={"kind": feed.kind, "resource": feed.resource_id},
        )
        feed.delete()
