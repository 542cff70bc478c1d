"""Money rules that data must meet before it is saved: each returns a Problem or None."""

from django.db.models import Q

from labitory.refusals import Problem

from .models import RateCard


def check_rate_card_overlap(card: RateCard) -> Problem | None:
    """Two cards of one resource, kind and category may not be in force on the same day."""
    if not (card.resource_id and card.category and card.effective_from):
        return None
    others = RateCard.objects.filter(
        resource_id=card.resource_id, kind=card.kind, category=card.category
    )
    if card.pk:
        others = others.exclude(pk=card.pk)
    if card.effective_to:
        others = others.filter(effective_from__lte=card.effective_to)
    clash = others.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=card.effective_from))
    other = clash.order_by("effective_from").first()
    if other is None:
        return None
    until = f"to {other.effective_to:%d %b %Y}" if other.effective_to else "with no end date"
    return Problem(
        "rate_card_overlap",
        f"Another {other.get_category_display().lower()} card for {other.resource} is in force "
        f"from {other.effective_from:%d %b %Y} {until}. "
        "End that card first, or choose dates that do not overlap.",
        "effective_from",
    )
