"""Money: rate cards, usage records, billing periods, statements and exports."""
