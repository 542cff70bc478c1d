"""The two-factor step of allauth's sign-in: after the password (or SSO), before the
session exists, a user with an authenticator app enters a code."""

from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response

from people.two_factor import has_second_factor


class SecondFactorStage(LoginStage):
    key = "labitory_second_factor"
    urlname = "two_factor_sign_in"

    def handle(self):
        user = self.login.user
        if user is None or not has_second_factor(user):
            return None, True
        return headed_redirect_response(self.urlname), True
