"""Personal API tokens: list with last use, create (shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from people.api_tokens import MAX_LIFETIME_DAYS, ApiToken, TokenRefused, create_token, revoke_token
from people.two_factor import needs_second_factor

LIFETIMES = [(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, _("One year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell your tokens apart."),
        widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=LIFETIMES,
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "input"}),
    )


@never_cache  # a new token is shown on this page once
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                with_second_factor=request.user.is_verified(),
                request=request,
            )
        except TokenRefused as refused:
            form.add_error(None, refused.message)
        else:
            return render(request, "people/tokens/created.html", {"token": token, "secret": secret})
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "people/tokens/list.html",
        {
            "form": form,
            "tokens": tokens,
            "max_days": MAX_LIFETIME_DAYS,
            "needs_second_factor": needs_second_factor(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's token id is a 404, as if it did not exist.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token=token, by=request.user, request=request)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_tokens")
