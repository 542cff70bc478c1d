"""Two-factor screens: the sign-in step, adding an app, backup codes, removing."""

from allauth.account.decorators import reauthentication_required
from allauth.account.stages import LoginStageController
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import two_factor
from people.stages import SecondFactorStage

ENROLMENT_SESSION_KEY = "labitory_totp_enrolment"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("The six-digit code from your authenticator app, or a backup code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "input",
            }
        ),
    )


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def refuse(form: CodeForm, refused: two_factor.SecondFactorRefused) -> None:
    form.add_error("code", forms.ValidationError(refused.message, code=refused.code))


def sign_in(request: HttpRequest) -> HttpResponse:
    """The step between password (or SSO) and a signed-in session."""
    stage = LoginStageController.enter(request, SecondFactorStage.key)
    if stage is None:
        return redirect("account_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = stage.login.user
        try:
            device = two_factor.check_code(request, user=user, code=form.cleaned_data["code"])
        except two_factor.SecondFactorRefused as refused:
            refuse(form, refused)
        else:
            response = stage.exit()
            otp_login(request, device)
            return response
    return render(request, "people/two_factor/sign_in.html", {"form": form})


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """A signed-in session that has not passed two-factor yet (e.g. the app was added on
    another device) proves it here before the admin opens."""
    next_url = safe_next(request, reverse("wagtailadmin_home"))
    if request.user.is_verified():
        return redirect(next_url)
    if not two_factor.has_second_factor(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={next_url}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.check_code(
                request, user=request.user, code=form.cleaned_data["code"]
            )
        except two_factor.SecondFactorRefused as refused:
            refuse(form, refused)
        else:
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "people/two_factor/verify.html", {"form": form, "next": next_url})


@never_cache  # the page carries the secret key, and then the backup codes
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code, type the first code, get backup codes."""
    if two_factor.has_second_factor(request.user) and request.user.is_verified():
        messages.info(request, "Two-factor sign-in is already on for your account.")
        return redirect("account_security")
    if two_factor.has_second_factor(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('account_security')}")
    next_url = safe_next(request, reverse("account_security"))
    device = pending_enrolment(request)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six-digit code your app shows now.")
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(
                request, device=device, code=form.cleaned_data["code"]
            )
        except two_factor.SecondFactorRefused as refused:
            refuse(form, refused)
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return render(
                request,
                "people/two_factor/backup_codes.html",
                {"codes": codes, "next": next_url, "just_enrolled": True},
            )
    if device is None:
        enrolment = two_factor.start_enrolment(request.user)
        request.session[ENROLMENT_SESSION_KEY] = enrolment.device.pk
    else:
        enrolment = two_factor.describe(device)
    return render(
        request,
        "people/two_factor/setup.html",
        {
            "form": form,
            "enrolment": enrolment,
            "qr_svg": two_factor.qr_svg(enrolment.uri),
            "next": next_url,
            "required": two_factor.needs_second_factor(request.user),
        },
    )


def pending_enrolment(request: HttpRequest) -> TOTPDevice | None:
    pk = request.session.get(ENROLMENT_SESSION_KEY)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The account's security page: two-factor state, backup codes left, API tokens."""
    spare = two_factor.backup_codes(request.user)
    return render(
        request,
        "people/account/security.html",
        {
            "authenticator": two_factor.authenticator(request.user),
            "backup_codes_left": spare.remaining() if spare else 0,
            "required": two_factor.needs_second_factor(request.user),
        },
    )


@never_cache
@login_required
@reauthentication_required(allow_get=True)
def regenerate_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), after the password is entered again."""
    if not two_factor.has_second_factor(request.user):
        return redirect("two_factor_setup")
    if request.method != "POST":
        return render(request, "people/two_factor/regenerate.html")
    codes = two_factor.issue_backup_codes(request, user=request.user)
    return render(
        request,
        "people/two_factor/backup_codes.html",
        {"codes": codes, "next": reverse("account_security")},
    )


@login_required
@reauthentication_required(allow_get=True)
def remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, after the password is entered again. A staff user can do this
    to move to a new phone: the admin stays closed to them until they add an app again."""
    if not two_factor.has_second_factor(request.user):
        return redirect("account_security")
    if request.method == "POST":
        two_factor.remove_second_factor(request, user=request.user)
        messages.success(request, _("Two-factor sign-in is off. Your backup codes no longer work."))
        return redirect("account_security")
    return render(request, "people/two_factor/remove.html")
