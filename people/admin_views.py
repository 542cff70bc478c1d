"""Site admins' account security screen: a user's two-factor state and sign-in lockout,
with the two repairs a site admin makes (reset two-factor, clear the lockout)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from people import two_factor
from people.api_tokens import ApiToken, revoke_token
from people.lockout import clear_lockout, is_locked_out
from people.models import User
from people.roles import Role, group_names


def can_manage_account_security(user: User) -> bool:
    """Site admins (and superusers) repair other people's sign-in."""
    if not user.is_authenticated or not user.is_active:
        return False
    # group_names is read once per request: the users list asks once per person listed.
    return user.is_superuser or Role.SITE_ADMIN in group_names(user)


def site_admin_only(view):
    def guarded(request: HttpRequest, *args, **kwargs):
        if not can_manage_account_security(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    guarded.__name__ = view.__name__
    guarded.__doc__ = view.__doc__
    return guarded


@site_admin_only
def account_security(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    spare = two_factor.backup_codes(subject)
    return TemplateResponse(
        request,
        "people/admin/account_security.html",
        {
            "subject": subject,
            "authenticator": two_factor.authenticator(subject),
            "backup_codes_left": spare.remaining() if spare else 0,
            "required": two_factor.needs_second_factor(subject),
            "locked_out": is_locked_out(request, subject.email),
            "tokens": ApiToken.objects.filter(user=subject),
            "page_title": f"Account security: {subject}",
            "user_content_type_id": ContentType.objects.get_for_model(User).pk,
        },
    )


@site_admin_only
@require_POST
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    two_factor.reset_second_factor(request, user=subject, by=request.user)
    messages.success(request, f"{subject}'s two-factor devices were removed.")
    return redirect("people_account_security", pk=pk)


@site_admin_only
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    clear_lockout(request, user=subject, by=request.user)
    messages.success(request, f"{subject} can sign in again.")
    return redirect("people_account_security", pk=pk)


@site_admin_only
@require_POST
def revoke_users_token(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_pk, user_id=pk)
    revoke_token(token=token, by=request.user, request=request)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect(reverse("people_account_security", args=[pk]))
