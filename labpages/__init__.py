"""Wagtail pages: home, lab, instrument, policy; their blocks; the site settings."""
