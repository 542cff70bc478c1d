"""Template helpers for the public pages: site navigation, breadcrumbs, page labels."""

from django import template
from wagtail.models import Page, Site

register = template.Library()

PAGE_KINDS = {
    "homepage": "Home",
    "labpage": "Lab",
    "instrumentpage": "Instrument",
    "instrumentindexpage": "Instrument listing",
    "policypage": "Policy",
}


def _site_root(request) -> Page | None:
    """The site's home page in the active language (the English one when untranslated)."""
    site = Site.find_for_request(request) if request else None
    return site.root_page.localized.specific if site else None


@register.simple_tag(takes_context=True)
def site_nav(context) -> dict:
    """The home page, the instrument listing and the lab pages, for header and footer.

    `section` names the part of the site the current page belongs to, and `current` is
    the matching aria-current value: "page" on the section's own page, "true" below it.
    """
    from labpages.models import InstrumentIndexPage, InstrumentPage, LabPage

    request = context.get("request")
    home = _site_root(request)
    page = context.get("page")
    section, current = "", "true"
    if isinstance(page, (InstrumentIndexPage, InstrumentPage)):
        section = "instruments"
        current = "page" if isinstance(page, InstrumentIndexPage) else "true"
    elif isinstance(page, LabPage):
        section = "labs"
    elif getattr(getattr(request, "resolver_match", None), "url_name", "") == "search":
        section, current = "search", "page"
    nav = {"home": None, "instrument_index": None, "labs": [], "section": section}
    nav["current"] = current
    if home is not None:
        nav["home"] = home
        nav["instrument_index"] = InstrumentIndexPage.objects.child_of(home).live().first()
        nav["labs"] = list(LabPage.objects.child_of(home).live().public().only("title", "url_path"))
    return nav


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page) -> list[Page]:
    """The page's ancestors from the site's home page down, excluding the page itself."""
    home = _site_root(context.get("request"))
    if home is None or page is None:
        return []
    return list(page.get_ancestors().filter(depth__gte=home.depth).live())


@register.filter
def page_kind(page) -> str:
    """A short label for the kind of page, for search results."""
    return PAGE_KINDS.get(type(page).__name__.lower(), "Page")


@register.filter
def page_summary(page) -> str:
    """The best one-line description a page has: its search description or summary."""
    for field in ("search_description", "summary", "intro"):
        value = getattr(page, field, "")
        if value:
            return value
    return ""


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers for a pagination bar, with an ellipsis for long runs."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)


HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame"}


@register.filter
def initials(name: str) -> str:
    """Up to two initials of a person's name, skipping titles such as "Dr"."""
    words = [w for w in str(name).replace(".", " ").split() if w.lower() not in HONORIFICS]
    if not words:
        return ""
    letters = [words[0][0]] + ([words[-1][0]] if len(words) > 1 else [])
    return "".join(letters).upper()


@register.filter
def present(items) -> list:
    """The items that still exist: chooser blocks give None for deleted documents."""
    return [item for item in items or () if item]
