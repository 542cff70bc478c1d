"""`{{ amount|money }}` and `{% currency_symbol %}`: labitory.money in templates."""

from django import template

from labitory import money as formatting

register = template.Library()


@register.filter
def money(amount) -> str:
    return formatting.money(amount)


@register.simple_tag
def currency_symbol() -> str:
    return formatting.currency_symbol()
