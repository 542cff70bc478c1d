"""A person's own language: the site speaks it to them once they sign in, and every email and
statement written for them is in it (labitory.i18n.language_of)."""

from django.conf import settings

from people.models import User


def set_language(*, user: User, language: str) -> User:
    """Remember `language` (one of LANGUAGES, or '' for none) as `user`'s own."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the site's languages.")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
