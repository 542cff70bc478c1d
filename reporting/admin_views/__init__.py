"""The admin's Reports area: one module per screen, assembled in reporting/wagtail_hooks.py."""
