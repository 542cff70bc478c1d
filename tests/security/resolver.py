"""Every URL the site answers, for the tests that walk them all."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(resolver=None, prefix: str = "", namespace: tuple = ()):
    """(name or None, full route) of every URL the site answers."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespace, entry.name)) if entry.name else None
            yield name, prefix + str(entry.pattern)
