"""Account screens: two-factor sign-in and set-up, personal API tokens."""
