"""Audit entries for events other code announces: sign-in, sign-out, role changes."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from wagtail.log_actions import get_active_log_context, log

from people.audit import record
from people.models import User
from people.roles import Role
from people.signup import confirm_internal_address


@receiver(user_logged_in, dispatch_uid="people.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    sociallogin = kwargs.get("sociallogin")
    method = f"sso:{sociallogin.account.provider}" if sociallogin else "password"
    record("people.signed_in", subject=user, request=request, method=method)


@receiver(user_logged_out, dispatch_uid="people.audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record("people.signed_out", subject=user, request=request)


@receiver(social_account_added, dispatch_uid="people.audit_sso_link")
def audit_sso_link(sender, request, sociallogin, **kwargs) -> None:
    record(
        "people.sso.linked",
        subject=sociallogin.user,
        request=request,
        provider=sociallogin.account.provider,
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="people.audit_roles")
def audit_role_change(sender, instance, action, pk_set, reverse, **kwargs) -> None:
    """A user's groups changed (from the user's side or the group's side)."""
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    from django.contrib.auth.models import Group

    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    roles = [name for name in names if name in Role.ALL]
    context = get_active_log_context()
    log(
        instance=instance,
        action="people.roles_changed",
        user=context.user,
        data={
            "change": action.removeprefix("post_"),
            "groups": names,
            "roles": roles,
            "now": sorted(instance.groups.values_list("name", flat=True)),
        },
    )


@receiver(post_save, sender=User, dispatch_uid="people.trust_admin_email")
def trust_email_set_by_staff(sender, instance: User, created: bool, raw=False, **kwargs) -> None:
    """An address that a site admin, the demo seed or an import gave an account counts as
    verified, so that person can sign in. Addresses people give themselves when signing up
    stay unverified until they open the emailed link (allauth records those itself)."""
    if raw or getattr(instance, "_self_signup", False) or not instance.email:
        return
    if EmailAddress.objects.filter(user=instance, email__iexact=instance.email).exists():
        return
    EmailAddress.objects.filter(user=instance, primary=True).update(primary=False)
    EmailAddress.objects.create(user=instance, email=instance.email, verified=True, primary=True)


@receiver(email_confirmed, dispatch_uid="people.internal_on_verified_address")
def internal_on_verified_address(sender, request, email_address, **kwargs) -> None:
    """A self sign-up opened the link for an address on SIGNUP_INTERNAL_DOMAINS."""
    user = email_address.user
    if confirm_internal_address(user, email_address.email):
        record("people.category_confirmed", subject=user, request=request, email=user.email)
