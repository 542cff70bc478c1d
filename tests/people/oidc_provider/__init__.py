"""A small OpenID Connect provider (django-oauth-toolkit) that the SSO test runs on loopback."""
