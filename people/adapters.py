"""How allauth signs people in here: allowed sign-up domains, the category a self sign-up
gets (people.signup), the lockout key, the two-factor login stage, and the audit trail of
sign-ins."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest

from people.audit import record
from people.lockout import lockout_key
from people.models import User
from people.signup import apply_signup_category


def email_domain_allowed(email: str) -> bool:
    allowed = settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS
    if not allowed:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in allowed


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same words for a wrong address and a wrong password (no account enumeration).
        "email_password_mismatch": "That email address and password do not match an "
        "account. Check them and try again.",
        "too_many_login_attempts": "Too many failed sign-in attempts. Wait a while before "
        "trying again, or ask a site admin to unlock your account.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return settings.ACCOUNT_SIGNUP_ENABLED

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            domains = ", ".join(settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS)
            raise forms.ValidationError(
                f"Sign-up is open to addresses at {domains} only.", code="domain_not_allowed"
            )
        return email

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # allauth records this address itself, unverified until the emailed link is opened
        # (people.receivers makes an internal address's owner internal then).
        user._self_signup = True
        user = super().save_user(request, user, form, commit=False)
        apply_signup_category(user, verified=False)
        if commit:
            user.save()
        return user

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # One key per address, whatever host name the request came in on, so that a site
        # admin's "clear lockout" (people/lockout.py) finds it.
        return lockout_key(credentials.get("email", ""))

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        email = credentials.get("email", "")
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            record("people.sign_in_failed", subject=user, request=request, reason="password")

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            user = User.objects.filter(email__iexact=credentials.get("email", "")).first()
            if user is not None:
                record("people.locked_out", subject=user, request=request)
            raise

    def get_login_stages(self) -> list[str]:
        return [*super().get_login_stages(), "people.stages.SecondFactorStage"]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request: HttpRequest, sociallogin, form=None):
        # allauth records the addresses the provider vouches for (or not) itself.
        sociallogin.user._self_signup = True
        apply_signup_category(sociallogin.user, verified=vouched_for(sociallogin))
        return super().save_user(request, sociallogin, form)

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        email = sociallogin.user.email or ""
        return bool(email) and email_domain_allowed(email)


def vouched_for(sociallogin) -> bool:
    """The provider says the user's address is verified, and it is trusted to say so
    (OIDC_<ID>_EMAIL_VERIFIED, the same switch as linking accounts by address)."""
    app = getattr(sociallogin.account.get_provider(), "app", None)
    trusted = bool(app and (app.settings or {}).get("email_authentication"))
    email = (sociallogin.user.email or "").lower()
    return trusted and any(
        address.verified and address.email.lower() == email
        for address in sociallogin.email_addresses
    )
