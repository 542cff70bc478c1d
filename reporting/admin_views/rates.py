"""Rate cards in the admin: the overlap rule on save, and no repricing of used cards."""

from wagtail.admin.forms import WagtailAdminModelForm

from ..rules import check_rate_card_overlap

PRICE_FIELDS = (
    "resource",
    "category",
    "hourly_rate",
    "booking_fee",
    "minimum_charge",
    "rounding_minutes",
    "no_show_percent",
    "late_cancellation_percent",
    "effective_from",
)


class RateCardForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        card = self.instance
        used = card.pk and card.usage_records.exists()
        if used and any(name in self.changed_data for name in PRICE_FIELDS):
            self.add_error(
                None,
                "This card has already priced usage, so its prices and start cannot change "
                "(old periods must reprice the same). Set an end date here and add a new card "
                "from the next day.",
            )
            return cleaned
        for name in PRICE_FIELDS + ("effective_to",):
            if name in cleaned:
                setattr(card, name, cleaned[name])
        if not self.errors and (problem := check_rate_card_overlap(card)):
            self.add_error(problem.field, problem.message)
        return cleaned
