"""Which category a person who signs themselves up gets (password or SSO).

The category decides rates and approval rules, so nobody gets the internal one by typing an
address. A self sign-up starts as external academic and unconfirmed; staff confirm the right
category on the user's screen. Only an address that is verified (the emailed link opened, or
a single sign-on provider trusted to vouch for addresses, `OIDC_<ID>_EMAIL_VERIFIED`) on one
of `SIGNUP_INTERNAL_DOMAINS` makes a person internal by itself: that list is staff's
confirmation given in advance.
"""

from django.conf import settings

from people.models import User


def is_internal_address(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return domain in settings.SIGNUP_INTERNAL_DOMAINS


def apply_signup_category(user: User, *, verified: bool) -> User:
    """Set a new self sign-up's category from its address; does not save."""
    if verified and is_internal_address(user.email):
        user.category, user.category_confirmed = User.Category.INTERNAL, True
    else:
        user.category, user.category_confirmed = User.Category.EXTERNAL_ACADEMIC, False
    return user


def confirm_internal_address(user: User, email: str) -> bool:
    """An address of the user's was just verified: an unconfirmed person whose login address
    it is, on an internal domain, becomes internal. Returns whether they did (saved)."""
    if user.category_confirmed or email.lower() != user.email.lower():
        return False
    if not is_internal_address(email):
        return False
    apply_signup_category(user, verified=True)
    user.save(update_fields=["category", "category_confirmed"])
    return True
