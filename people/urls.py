"""Account screens under /account/ (allauth's own are under /accounts/)."""

from django.urls import path

from people.views import tokens, two_factor

urlpatterns = [
    path("security/", two_factor.security, name="account_security"),
    path("two-factor/", two_factor.sign_in, name="two_factor_sign_in"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", two_factor.regenerate_backup_codes, name="backup_codes"),
    path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
    path("api-tokens/", tokens.token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
]
